/**
 * Fire crackling: sparse, irregular clicks and louder pops of varying size (sap and gas bursting in
 * the wood) over the low roar of the flames and a soft hiss. Crackles come in clusters: the rate
 * itself wanders.
 */
import type { Rng } from '@soundedit/models';
import {
  brownNoise,
  highpass,
  lowpass,
  pinkNoise,
  rms,
  secondsToSamples,
  smoothRandomCurve,
} from '../dsp.ts';
import { chance, exponential, logUniform, uniform, weighted } from '../random.ts';
import { ROOMS } from '../recording.ts';
import { addClick, eventGain } from './crackle.ts';
import { defineSoundClass, type RenderedSource } from './sound-class.ts';

/** Low flame roar: brown noise below a few hundred Hz, swelling and settling. */
function roar(rng: Rng, n: number, sampleRate: number): Float32Array {
  const x = lowpass(brownNoise(rng, n, sampleRate), sampleRate, logUniform(rng, 150, 500));
  const swell = smoothRandomCurve(rng, n, sampleRate, uniform(rng, 0.5, 3));
  for (let i = 0; i < n; i++) x[i] = (x[i] as number) * (0.4 + 0.6 * (swell[i] as number));
  return x;
}

/** Soft broadband hiss of burning gas and embers. */
function hiss(rng: Rng, n: number, sampleRate: number): Float32Array {
  const x = highpass(pinkNoise(rng, n), sampleRate, logUniform(rng, 1000, 3000));
  const swell = smoothRandomCurve(rng, n, sampleRate, uniform(rng, 0.3, 2));
  for (let i = 0; i < n; i++) x[i] = (x[i] as number) * (0.5 + 0.5 * (swell[i] as number));
  return x;
}

function render(rng: Rng, sampleRate: number, durationS: number): RenderedSource {
  const intensity = weighted(rng, { light: 1, moderate: 1.5, heavy: 1 });
  const variant = weighted(rng, { campfire: 1.2, fireplace: 1, bonfire: 0.6 });
  const n = secondsToSamples(durationS, sampleRate);
  const out = new Float32Array(n);
  const base = { light: [2, 6], moderate: [6, 15], heavy: [15, 40] }[intensity] as [number, number];
  const meanRate = logUniform(rng, ...base);
  // Clusters: the instantaneous rate follows a squared random curve, so quiet stretches alternate with bursts.
  const clustering = smoothRandomCurve(rng, n, sampleRate, uniform(rng, 0.5, 2));
  const bright = uniform(rng, 1500, 4500);
  let crackles = 0;
  for (let t = 0; t < durationS;) {
    const local =
      meanRate * 2 * (clustering[Math.min(n - 1, secondsToSamples(t, sampleRate))] as number) ** 2 + 0.3;
    t += exponential(rng, local);
    if (t >= durationS) break;
    crackles++;
    addClick(rng, out, sampleRate, t, eventGain(rng, 36), {
      tauS: logUniform(rng, 0.0003, 0.003),
      hz: bright * logUniform(rng, 0.5, 2),
      q: uniform(rng, 0.5, 2),
    });
    // A crackle sometimes splinters into a few quick follow-ups.
    if (chance(rng, 0.25)) {
      for (let k = 0, dt = 0; k < 3; k++) {
        dt += logUniform(rng, 0.004, 0.03);
        addClick(rng, out, sampleRate, t + dt, eventGain(rng, 30) * 0.5, {
          tauS: logUniform(rng, 0.0002, 0.0015),
          hz: bright * logUniform(rng, 0.7, 2.5),
          q: 1,
        });
      }
    }
  }
  // Pops: the big, lower knocks of a log splitting.
  for (let t = exponential(rng, 0.5); t < durationS; t += exponential(rng, logUniform(rng, 0.2, 1.5))) {
    addClick(rng, out, sampleRate, t, uniform(rng, 0.8, 2), {
      tauS: logUniform(rng, 0.003, 0.015),
      hz: logUniform(rng, 400, 1800),
      q: uniform(rng, 0.7, 1.5),
    });
  }
  const crackleLevel = Math.max(rms(out), 1e-6);
  const roarDb = {
    campfire: uniform(rng, -16, -4),
    fireplace: uniform(rng, -22, -8),
    bonfire: uniform(rng, -8, 4),
  }[variant];
  const body = roar(rng, n, sampleRate);
  const air = hiss(rng, n, sampleRate);
  const bodyGain = (crackleLevel * 10 ** (roarDb / 20)) / Math.max(rms(body), 1e-9);
  const airGain = (crackleLevel * 10 ** (uniform(rng, -24, -10) / 20)) / Math.max(rms(air), 1e-9);
  for (let i = 0; i < n; i++)
    out[i] = (out[i] as number) + bodyGain * (body[i] as number) + airGain * (air[i] as number);
  return { samples: out, traits: { intensity, variant, events: crackles } };
}

export const fireCrackling = defineSoundClass({ id: 'fire_crackling', room: ROOMS.outdoor, render });
export const synthesize = fireCrackling.synthesize;
