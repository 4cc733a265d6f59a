/** Level measurement, loudness normalisation and a peak limiter that guarantees |x| <= ceiling. */
import { scale } from './mix.ts';

export function rms(x: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i] as number) ** 2;
  return x.length === 0 ? 0 : Math.sqrt(sum / x.length);
}

/** RMS in dB relative to a full-scale square wave (dBFS); -Infinity for silence. */
export function rmsDbfs(x: Float32Array): number {
  return 20 * Math.log10(rms(x));
}

export function peak(x: Float32Array): number {
  let p = 0;
  for (let i = 0; i < x.length; i++) p = Math.max(p, Math.abs(x[i] as number));
  return p;
}

/** Scales `x` in place to `targetDbfs` RMS; silence stays silence. */
export function normaliseRms(x: Float32Array, targetDbfs: number): Float32Array {
  const level = rms(x);
  return level > 0 ? scale(x, 10 ** (targetDbfs / 20) / level) : x;
}

export interface LimiterOptions {
  /** Largest allowed |sample|. */
  ceiling: number;
  /** How long the gain takes to come back after a peak. */
  releaseS: number;
  /** How early the gain starts to fall before a peak, so it does not jump (no click). */
  attackS: number;
}

const DEFAULT_LIMITER: LimiterOptions = { ceiling: 0.98, releaseS: 0.08, attackS: 0.002 };

/**
 * Peak limiter in place. The needed gain min(1, ceiling / |x|) is smoothed forward (release) and
 * backward (attack) by taking minima only, so the applied gain never exceeds what a sample needs:
 * the ceiling holds exactly, and transients such as crackles keep their shape rather than clip.
 */
export function limitPeaks(
  x: Float32Array,
  sampleRate: number,
  options: Partial<LimiterOptions> = {},
): Float32Array {
  const { ceiling, releaseS, attackS } = { ...DEFAULT_LIMITER, ...options };
  const n = x.length;
  const gain = new Float32Array(n);
  const release = Math.exp(-1 / (releaseS * sampleRate));
  let g = 1;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i] as number);
    const need = a > ceiling ? ceiling / a : 1;
    g = Math.min(need, 1 - (1 - g) * release);
    gain[i] = g;
  }
  const attack = Math.exp(-1 / (attackS * sampleRate));
  g = 1;
  for (let i = n - 1; i >= 0; i--) {
    g = Math.min(gain[i] as number, 1 - (1 - g) * attack);
    gain[i] = g;
  }
  for (let i = 0; i < n; i++) {
    const v = (x[i] as number) * (gain[i] as number);
    // Float rounding of the gain can leave a sample a hair above the ceiling.
    x[i] = Math.max(-ceiling, Math.min(ceiling, v));
  }
  return x;
}
