/**
 * Ambient, the "no edit" class: what is heard when nothing in particular happens. One of a quiet
 * room's tone (steady, dull noise), a calm outdoor scene (soft breeze, distant traffic, now and then a
 * bird's chirp), or an appliance hum (mains harmonics and a fan). Steady and without events, so the
 * event classes stand out against it.
 */
import type { Rng } from '@soundedit/models';
import { addInto, brownNoise, lowpass, pinkNoise, rms, secondsToSamples, smoothRandomCurve } from '../dsp.ts';
import { chance, exponential, intBetween, logUniform, pick, uniform, weighted } from '../random.ts';
import { ROOMS } from '../recording.ts';
import { defineSoundClass, type RenderedSource } from './sound-class.ts';

/** Dull broadband noise: air handling, distant traffic, the room itself. */
function roomTone(rng: Rng, n: number, sampleRate: number): Float32Array {
  const pink = pinkNoise(rng, n);
  const brown = brownNoise(rng, n, sampleRate);
  const mix = uniform(rng, 0.2, 0.8);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = mix * (pink[i] as number) + (1 - mix) * (brown[i] as number);
  return lowpass(x, sampleRate, logUniform(rng, 600, 4000));
}

/** A bird's chirp: a quick frequency sweep of a whistle-like tone, 2-7 kHz, with a soft envelope. */
function chirp(rng: Rng, sampleRate: number): Float32Array {
  const n = secondsToSamples(logUniform(rng, 0.04, 0.2), sampleRate);
  const f0 = logUniform(rng, 2000, 6000);
  const f1 = f0 * logUniform(rng, 0.6, 1.6);
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const x = i / n;
    const hz = Math.min(0.45 * sampleRate, f0 + (f1 - f0) * x);
    phase += hz / sampleRate;
    out[i] = Math.sin(Math.PI * x) ** 2 * Math.sin(2 * Math.PI * phase);
  }
  return out;
}

/** Birdsong in the distance: short phrases of a few chirps. */
function birds(rng: Rng, n: number, sampleRate: number): Float32Array {
  const out = new Float32Array(n);
  const durationS = n / sampleRate;
  for (let t = exponential(rng, 0.8); t < durationS; t += exponential(rng, logUniform(rng, 0.3, 1.5))) {
    const notes = intBetween(rng, 1, 6);
    const gap = uniform(rng, 0.05, 0.2);
    const level = logUniform(rng, 0.2, 1);
    for (let k = 0; k < notes; k++)
      addInto(out, chirp(rng, sampleRate), secondsToSamples(t + k * gap, sampleRate), level);
  }
  return out;
}

/** Mains hum: 50 or 60 Hz with a handful of decaying harmonics, slightly unsteady. */
function hum(rng: Rng, n: number, sampleRate: number): Float32Array {
  const mains = pick(rng, [50, 60]);
  const harmonics = intBetween(rng, 2, 8);
  const weights = Array.from({ length: harmonics }, (_, k) => logUniform(rng, 0.1, 1) / (k + 1));
  const wobble = smoothRandomCurve(rng, n, sampleRate, 0.5);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    let v = 0;
    for (let k = 0; k < harmonics; k++)
      v += (weights[k] as number) * Math.sin(2 * Math.PI * mains * (k + 1) * t + k);
    out[i] = v * (0.9 + 0.2 * (wobble[i] as number));
  }
  return out;
}

function addScaled(out: Float32Array, x: Float32Array, relativeDb: number, reference: number): void {
  const gain = (reference * 10 ** (relativeDb / 20)) / Math.max(rms(x), 1e-9);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + gain * (x[i] as number);
}

function render(rng: Rng, sampleRate: number, durationS: number): RenderedSource {
  const variant = weighted(rng, { room: 1, outdoor: 1, hum: 0.7 });
  const n = secondsToSamples(durationS, sampleRate);
  const out = roomTone(rng, n, sampleRate);
  const reference = rms(out);
  if (variant === 'outdoor') {
    const breeze = lowpass(pinkNoise(rng, n), sampleRate, logUniform(rng, 400, 1500));
    const sway = smoothRandomCurve(rng, n, sampleRate, uniform(rng, 0.1, 0.4));
    for (let i = 0; i < n; i++) breeze[i] = (breeze[i] as number) * (0.5 + (sway[i] as number));
    addScaled(out, breeze, uniform(rng, -6, 3), reference);
    if (chance(rng, 0.8)) addScaled(out, birds(rng, n, sampleRate), uniform(rng, -18, -3), reference);
  } else if (variant === 'hum') {
    addScaled(out, hum(rng, n, sampleRate), uniform(rng, -6, 6), reference);
  }
  return { samples: out, traits: { intensity: 'light', variant } };
}

export const ambient = defineSoundClass({ id: 'ambient', room: ROOMS.indoor, render });
export const synthesize = ambient.synthesize;
