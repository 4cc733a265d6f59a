/**
 * Wind: band-passed noise whose level and centre frequency follow slow gusts (stronger gusts are
 * louder and brighter), with optional whistling resonances that rise in pitch as a gust builds, a
 * low buffeting rumble, and the rustle of leaves.
 */
import type { Rng } from '@soundedit/models';
import {
  bandpassCoefficients,
  brownNoise,
  hannWindow,
  highpass,
  lowpass,
  pinkNoise,
  rms,
  secondsToSamples,
  smoothRandomCurve,
  sweptFilter,
  whiteNoise,
} from '../dsp.ts';
import { chance, intBetween, logUniform, uniform, weighted } from '../random.ts';
import { ROOMS } from '../recording.ts';
import { defineSoundClass, type RenderedSource } from './sound-class.ts';

/** Gust strength in [0, 1]: a slow random curve plus a few distinct gusts. */
function gustCurve(rng: Rng, n: number, sampleRate: number, gusts: number, steadiness: number): Float32Array {
  const g = smoothRandomCurve(rng, n, sampleRate, uniform(rng, 0.15, 0.6));
  for (let i = 0; i < n; i++) g[i] = steadiness + (1 - steadiness) * (g[i] as number) * 0.6;
  for (let k = 0; k < gusts; k++) {
    const len = Math.min(n, secondsToSamples(uniform(rng, 0.8, 3), sampleRate));
    const at = Math.floor(rng.next() * Math.max(1, n - len / 2)) - Math.floor(len / 4);
    const bump = hannWindow(len);
    const height = uniform(rng, 0.3, 0.7);
    for (let i = 0; i < len; i++) {
      const j = at + i;
      if (j >= 0 && j < n) g[j] = Math.min(1, (g[j] as number) + height * (bump[i] as number));
    }
  }
  return g;
}

function addScaled(out: Float32Array, x: Float32Array, gain: number): void {
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + gain * (x[i] as number);
}

function render(rng: Rng, sampleRate: number, durationS: number): RenderedSource {
  const variant = weighted(rng, { breeze: 1, gusty: 1.5, howling: 1 });
  const intensity = variant === 'breeze' ? 'light' : weighted(rng, { moderate: 1, heavy: 1 });
  const n = secondsToSamples(durationS, sampleRate);
  const gusts = variant === 'breeze' ? 0 : intBetween(rng, 1, Math.max(1, Math.round(durationS / 2.5)));
  const gust = gustCurve(rng, n, sampleRate, gusts, variant === 'breeze' ? 0.5 : uniform(rng, 0.1, 0.4));

  // The body: pink noise through a broad band-pass that opens upwards as the gust grows.
  const lowHz = logUniform(rng, 120, 400);
  const span = logUniform(rng, 2, 6);
  const centre = new Float32Array(n);
  for (let i = 0; i < n; i++) centre[i] = lowHz * span ** (gust[i] as number);
  const q = uniform(rng, 0.6, 1.6);
  const swept = sweptFilter(pinkNoise(rng, n), centre, (hz) => bandpassCoefficients(sampleRate, hz, q), 64);
  // Air noise has little energy in the top octaves; the band-pass skirt alone would leave too much.
  const body = lowpass(swept, sampleRate, logUniform(rng, 2000, 5000));
  for (let i = 0; i < n; i++) body[i] = (body[i] as number) * (gust[i] as number) ** 1.5;
  const level = Math.max(rms(body), 1e-9);
  const out = body;

  // Whistles: narrow resonances (edges, wires, gaps) whose pitch follows the gust, audible only when it blows hard.
  const whistles = variant === 'howling' ? intBetween(rng, 1, 3) : chance(rng, 0.25) ? 1 : 0;
  for (let k = 0; k < whistles; k++) {
    const baseHz = logUniform(rng, 350, 1600);
    const rise = uniform(rng, 1.3, 2.2);
    const pitch = new Float32Array(n);
    for (let i = 0; i < n; i++) pitch[i] = baseHz * rise ** (gust[i] as number);
    const qW = uniform(rng, 25, 80);
    const tone = sweptFilter(whiteNoise(rng, n), pitch, (hz) => bandpassCoefficients(sampleRate, hz, qW), 32);
    for (let i = 0; i < n; i++) tone[i] = (tone[i] as number) * (gust[i] as number) ** 3;
    addScaled(out, tone, (level * 10 ** (uniform(rng, -8, 2) / 20)) / Math.max(rms(tone), 1e-9));
  }

  // Buffeting on the microphone or a building: deep rumble tied to the gusts.
  if (chance(rng, 0.45)) {
    const rumble = lowpass(brownNoise(rng, n, sampleRate), sampleRate, logUniform(rng, 60, 150));
    for (let i = 0; i < n; i++) rumble[i] = (rumble[i] as number) * (gust[i] as number) ** 2;
    addScaled(out, rumble, (level * 10 ** (uniform(rng, -6, 4) / 20)) / Math.max(rms(rumble), 1e-9));
  }

  // Leaves: bright, flickering noise, for wind in trees.
  if (chance(rng, 0.3)) {
    const leaves = highpass(whiteNoise(rng, n), sampleRate, logUniform(rng, 1500, 3500));
    const flicker = smoothRandomCurve(rng, n, sampleRate, uniform(rng, 8, 25));
    for (let i = 0; i < n; i++)
      leaves[i] = (leaves[i] as number) * (flicker[i] as number) ** 2 * (gust[i] as number);
    addScaled(out, leaves, (level * 10 ** (uniform(rng, -18, -8) / 20)) / Math.max(rms(leaves), 1e-9));
  }
  return { samples: out, traits: { intensity, variant, events: gusts } };
}

export const wind = defineSoundClass({ id: 'wind', room: ROOMS.outdoor, render });
export const synthesize = wind.synthesize;
