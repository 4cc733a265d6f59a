/** Amplitude and control curves, one value per sample. */
import type { Rng } from '@soundedit/models';

export interface Adsr {
  attackS: number;
  decayS: number;
  /** Level held after the decay, as a fraction of the peak. */
  sustain: number;
  releaseS: number;
}

/**
 * Linear-attack ADSR over `n` samples; the release starts so that it ends with the buffer, and a
 * buffer shorter than attack + release scales both down, so short events still open and close.
 */
export function adsr(n: number, sampleRate: number, shape: Adsr): Float32Array {
  const out = new Float32Array(n);
  let attack = Math.max(1, Math.round(shape.attackS * sampleRate));
  let release = Math.max(1, Math.round(shape.releaseS * sampleRate));
  if (attack + release > n) {
    const k = n / (attack + release);
    attack = Math.max(1, Math.floor(attack * k));
    release = Math.max(1, n - attack);
  }
  const decay = Math.max(1, Math.round(shape.decayS * sampleRate));
  const releaseStart = n - release;
  let level = 0;
  for (let i = 0; i < n; i++) {
    if (i < attack) level = (i + 1) / attack;
    else if (i < attack + decay) level = 1 - (1 - shape.sustain) * ((i - attack) / decay);
    else level = shape.sustain;
    if (i >= releaseStart) {
      const held = i === releaseStart ? level : (out[releaseStart] as number);
      level = held * (1 - (i - releaseStart) / release);
    }
    out[i] = level;
  }
  return out;
}

/** exp(-t / tauS) with an optional linear attack, the shape of struck or burst sounds. */
export function expDecay(n: number, sampleRate: number, tauS: number, attackS = 0): Float32Array {
  const out = new Float32Array(n);
  const attack = Math.round(attackS * sampleRate);
  const k = Math.exp(-1 / (tauS * sampleRate));
  let v = 1;
  for (let i = 0; i < n; i++) {
    if (i < attack) out[i] = (i + 1) / attack;
    else {
      out[i] = v;
      v *= k;
    }
  }
  return out;
}

/**
 * A smooth random curve: independent uniform [0, 1) values every 1/rateHz seconds joined by cosine
 * interpolation. Drives slow changes such as wind gusts, flame roar and thunder rolls.
 */
export function smoothRandomCurve(rng: Rng, n: number, sampleRate: number, rateHz: number): Float32Array {
  const step = Math.max(1, sampleRate / rateHz);
  const points = Math.ceil(n / step) + 2;
  const knots = new Float64Array(points);
  for (let k = 0; k < points; k++) knots[k] = rng.next();
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const pos = i / step;
    const k = Math.floor(pos);
    const frac = (1 - Math.cos(Math.PI * (pos - k))) / 2;
    out[i] = (knots[k] as number) * (1 - frac) + (knots[k + 1] as number) * frac;
  }
  return out;
}

/** A raised-cosine bump of total length `n`: the smooth swell of one rumble or gust. */
export function hannWindow(n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n);
  return out;
}

/** Multiplies `x` by `env` in place (over the shorter of the two) and returns `x`. */
export function applyEnvelope(x: Float32Array, env: Float32Array): Float32Array {
  const n = Math.min(x.length, env.length);
  for (let i = 0; i < n; i++) x[i] = (x[i] as number) * (env[i] as number);
  return x;
}
