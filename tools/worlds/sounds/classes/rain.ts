/**
 * Rain: many tiny drop impacts (ticks on hard surfaces, plinks of drops into puddles, dull taps on
 * leaves and roofs) at a rate from tens to thousands per second, over the broadband hiss of the
 * distant drops that no longer resolve into events. Light rain is sparse and ticky, heavy rain a roar.
 */
import type { Rng } from '@soundedit/models';
import {
  highpass,
  lowpass,
  pinkNoise,
  rms,
  secondsToSamples,
  smoothRandomCurve,
  whiteNoise,
  addInto,
} from '../dsp.ts';
import { chance, exponential, logUniform, uniform, weighted } from '../random.ts';
import { ROOMS } from '../recording.ts';
import { addClick, eventGain } from './crackle.ts';
import { defineSoundClass, type RenderedSource } from './sound-class.ts';
import { bubble } from './bubble.ts';

type Surface = 'hard' | 'puddle' | 'leaves';

function addDrop(
  rng: Rng,
  out: Float32Array,
  sampleRate: number,
  t: number,
  surface: Surface,
  gain: number,
): void {
  switch (surface) {
    case 'hard':
      addClick(rng, out, sampleRate, t, gain, {
        tauS: logUniform(rng, 0.0002, 0.0012),
        hz: logUniform(rng, 2000, 7000),
        q: uniform(rng, 0.6, 2),
      });
      return;
    case 'leaves':
      addClick(rng, out, sampleRate, t, gain, {
        tauS: logUniform(rng, 0.001, 0.004),
        hz: logUniform(rng, 600, 2500),
        q: uniform(rng, 0.8, 2),
      });
      return;
    case 'puddle':
      // A drop into water traps a small bubble: a brief upward chirp.
      addInto(
        out,
        bubble(rng, sampleRate, logUniform(rng, 1200, 4500), uniform(rng, 0.2, 0.8), uniform(rng, 4, 12)),
        secondsToSamples(t, sampleRate),
        0.5 * gain,
      );
      return;
  }
}

function render(rng: Rng, sampleRate: number, durationS: number): RenderedSource {
  const intensity = weighted(rng, { light: 1, moderate: 1.5, heavy: 1.2 });
  const n = secondsToSamples(durationS, sampleRate);
  const out = new Float32Array(n);
  const rate = {
    light: logUniform(rng, 40, 200),
    moderate: logUniform(rng, 200, 800),
    heavy: logUniform(rng, 800, 2500),
  }[intensity];
  const surfaces: Record<Surface, number> = {
    hard: uniform(rng, 0, 1),
    puddle: uniform(rng, 0, 0.6),
    leaves: uniform(rng, 0, 1),
  };
  // Showers come and go a little.
  const swell = smoothRandomCurve(rng, n, sampleRate, uniform(rng, 0.1, 0.5));
  const steadiness = uniform(rng, 0.6, 0.95);
  let drops = 0;
  for (let t = exponential(rng, rate); t < durationS;) {
    addDrop(rng, out, sampleRate, t, weighted(rng, surfaces), eventGain(rng, 30));
    drops++;
    const s = swell[Math.min(n - 1, secondsToSamples(t, sampleRate))] as number;
    t += exponential(rng, rate * (steadiness + (1 - steadiness) * 2 * s));
  }
  // Nearby drips from a gutter or branch: slower, louder and more regular.
  if (chance(rng, 0.35)) {
    const period = uniform(rng, 0.2, 0.8);
    for (let t = uniform(rng, 0, period); t < durationS; t += period * uniform(rng, 0.7, 1.3)) {
      addInto(
        out,
        bubble(rng, sampleRate, logUniform(rng, 700, 2500), uniform(rng, 0.3, 1), uniform(rng, 8, 20)),
        secondsToSamples(t, sampleRate),
        uniform(rng, 1, 3),
      );
    }
  }
  // The wash of drops too many and too far to hear one by one: noise shaped brighter for harder rain.
  const hissDb = { light: uniform(rng, -14, -4), moderate: uniform(rng, -6, 4), heavy: uniform(rng, 0, 10) }[
    intensity
  ];
  const wash = highpass(
    chance(rng, 0.5) ? pinkNoise(rng, n) : whiteNoise(rng, n),
    sampleRate,
    logUniform(rng, 300, 1500),
  );
  const shaped = lowpass(wash, sampleRate, logUniform(rng, 5000, 12000));
  const gain = (Math.max(rms(out), 1e-6) * 10 ** (hissDb / 20)) / Math.max(rms(shaped), 1e-9);
  for (let i = 0; i < n; i++)
    out[i] =
      (out[i] as number) +
      gain * (shaped[i] as number) * (steadiness + (1 - steadiness) * 2 * (swell[i] as number));
  return { samples: out, traits: { intensity, events: drops } };
}

export const rain = defineSoundClass({ id: 'rain', room: ROOMS.outdoor, render });
export const synthesize = rain.synthesize;
