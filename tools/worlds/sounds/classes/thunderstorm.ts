/**
 * Thunder: deep rolling rumbles. Each clap is low-passed noise under a "rolling" envelope (a string of
 * overlapping swells of decreasing strength, as sound arrives from different parts of the lightning
 * channel) whose brightness fades with time; a near strike starts with a tearing crack. Rain is mixed
 * in by `synthesizeSound`, not here.
 */
import type { Rng } from '@soundedit/models';
import {
  addInto,
  brownNoise,
  hannWindow,
  highpass,
  lowpassCoefficients,
  pinkNoise,
  secondsToSamples,
  sweptFilter,
  whiteNoise,
} from '../dsp.ts';
import { chance, exponential, intBetween, logUniform, uniform, weighted } from '../random.ts';
import { ROOMS } from '../recording.ts';
import { defineSoundClass, type RenderedSource } from './sound-class.ts';

/** The roll: swells arriving ever more sparsely and weakly, on a slow overall decay. */
function rollEnvelope(rng: Rng, n: number, sampleRate: number, distant: boolean): Float32Array {
  const env = new Float32Array(n);
  const lengthS = n / sampleRate;
  const swells = intBetween(rng, 4, 14);
  let t = 0;
  let strength = 1;
  for (let k = 0; k < swells && t < lengthS; k++) {
    const len = secondsToSamples(logUniform(rng, distant ? 0.3 : 0.1, distant ? 1.5 : 0.8), sampleRate);
    addInto(env, hannWindow(len), secondsToSamples(t, sampleRate), strength);
    // Spread over the whole clap, unevenly: rolls bunch up and thin out.
    t += exponential(rng, swells / lengthS) * uniform(rng, 0.5, 1.2);
    strength *= uniform(rng, 0.7, 1.05);
  }
  const attack = secondsToSamples(distant ? uniform(rng, 0.3, 1.5) : uniform(rng, 0.05, 0.4), sampleRate);
  const tau = lengthS * uniform(rng, 0.4, 1);
  for (let i = 0; i < n; i++) {
    const base = Math.min(1, (i + 1) / attack) * Math.exp(-i / sampleRate / tau);
    env[i] = base * (0.2 + (env[i] as number));
  }
  return env;
}

/** A near strike's crack: several quick broadband tears within the first few tenths of a second. */
function crack(rng: Rng, sampleRate: number): Float32Array {
  const out = new Float32Array(secondsToSamples(0.5, sampleRate));
  const bursts = intBetween(rng, 3, 8);
  for (let k = 0; k < bursts; k++) {
    const n = secondsToSamples(logUniform(rng, 0.005, 0.05), sampleRate);
    const b = whiteNoise(rng, n);
    for (let i = 0; i < n; i++) b[i] = (b[i] as number) * Math.exp((-4 * i) / n);
    addInto(out, b, secondsToSamples(uniform(rng, 0, 0.3), sampleRate), uniform(rng, 0.3, 1));
  }
  return highpass(out, sampleRate, uniform(rng, 300, 1200));
}

function clap(rng: Rng, sampleRate: number, lengthS: number, distant: boolean): Float32Array {
  const n = secondsToSamples(lengthS, sampleRate);
  const brown = brownNoise(rng, n, sampleRate);
  const pink = pinkNoise(rng, n);
  const src = new Float32Array(n);
  for (let i = 0; i < n; i++) src[i] = (brown[i] as number) + 0.2 * (pink[i] as number);
  const roll = rollEnvelope(rng, n, sampleRate, distant);
  // Brightness fades over the clap and flares with each swell; distance takes the top off.
  const topHz = distant ? logUniform(rng, 250, 700) : logUniform(rng, 1200, 4000);
  const floorHz = logUniform(rng, 80, 200);
  const fadeS = lengthS * uniform(rng, 0.1, 0.35);
  const cutoff = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const fade = Math.exp(-i / sampleRate / fadeS);
    cutoff[i] = (floorHz + (topHz - floorHz) * fade) * (0.4 + 2 * Math.min(1.5, roll[i] as number));
  }
  const out = sweptFilter(src, cutoff, (hz) => lowpassCoefficients(sampleRate, hz, 0.9), 64);
  for (let i = 0; i < n; i++) out[i] = (out[i] as number) * (roll[i] as number);
  if (!distant && chance(rng, 0.6)) addInto(out, crack(rng, sampleRate), 0, uniform(rng, 0.8, 2.5));
  return out;
}

function render(rng: Rng, sampleRate: number, durationS: number): RenderedSource {
  const distance = weighted(rng, { near: 1, distant: 1.2 });
  const intensity = weighted(rng, { moderate: 1, heavy: 1 });
  const out = new Float32Array(secondsToSamples(durationS, sampleRate));
  const claps = intBetween(rng, 1, Math.max(1, Math.min(3, Math.floor(durationS / 3))));
  let t = uniform(rng, 0, Math.min(1, durationS * 0.3));
  let count = 0;
  for (let k = 0; k < claps && t < durationS - 0.5; k++) {
    const lengthS = k === claps - 1 ? durationS - t : Math.min(durationS - t, uniform(rng, 3, 9));
    addInto(
      out,
      clap(rng, sampleRate, lengthS, distance === 'distant'),
      secondsToSamples(t, sampleRate),
      k === 0 ? 1 : uniform(rng, 0.4, 1),
    );
    count++;
    t += uniform(rng, 1.2, 3.5);
  }
  return { samples: highpass(out, sampleRate, 25), traits: { intensity, distance, events: count } };
}

export const thunderstorm = defineSoundClass({ id: 'thunderstorm', room: ROOMS.openSpace, render });
export const synthesize = thunderstorm.synthesize;
