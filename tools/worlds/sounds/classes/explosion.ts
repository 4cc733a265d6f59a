/**
 * Explosion: a sharp broadband crack, a body whose brightness closes down quickly (a low-pass falling
 * from kHz to under 100 Hz) while its level decays over seconds into a long rumble, a sub-bass thump,
 * falling debris crackle, and sometimes an echo off distant walls. One blast, or a few in a row.
 */
import type { Rng } from '@soundedit/models';
import {
  addInto,
  brownNoise,
  highpass,
  lowpass,
  lowpassCoefficients,
  secondsToSamples,
  sweptFilter,
  whiteNoise,
} from '../dsp.ts';
import { chance, exponential, intBetween, logUniform, uniform, weighted } from '../random.ts';
import { ROOMS } from '../recording.ts';
import { addClick, eventGain } from './crackle.ts';
import { defineSoundClass, type RenderedSource } from './sound-class.ts';

interface Blast {
  distant: boolean;
  /** How long the rumble takes to decay by 1/e. */
  tauS: number;
  /** Starting brightness of the body. */
  topHz: number;
}

function blast(rng: Rng, sampleRate: number, lengthS: number, b: Blast): Float32Array {
  const n = secondsToSamples(lengthS, sampleRate);
  // Body: white noise for the crack's top, brown for the rumble's weight.
  const white = whiteNoise(rng, n);
  const brown = brownNoise(rng, n, sampleRate);
  const src = new Float32Array(n);
  for (let i = 0; i < n; i++) src[i] = 0.5 * (white[i] as number) + (brown[i] as number);
  const closeS = logUniform(rng, 0.15, 1.0);
  const floorHz = logUniform(rng, 60, 180);
  const cutoff = new Float32Array(n);
  for (let i = 0; i < n; i++) cutoff[i] = floorHz + (b.topHz - floorHz) * Math.exp(-i / sampleRate / closeS);
  const body = sweptFilter(src, cutoff, (hz) => lowpassCoefficients(sampleRate, hz, 0.8), 32);
  const attack = secondsToSamples(b.distant ? 0.02 : 0.001, sampleRate);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const env = Math.min(1, (i + 1) / attack) * Math.exp(-t / b.tauS);
    body[i] = (body[i] as number) * env;
  }
  // Crack: a few ms of raw broadband noise at the very front (the shock wave), muted when far away.
  const crackN = secondsToSamples(uniform(rng, 0.005, 0.03), sampleRate);
  const crack = whiteNoise(rng, crackN);
  const crackTau = crackN / 3 / sampleRate;
  for (let i = 0; i < crackN; i++) crack[i] = (crack[i] as number) * Math.exp(-i / sampleRate / crackTau);
  addInto(body, b.distant ? lowpass(crack, sampleRate, 1500) : crack, 0, uniform(rng, 1.5, 3));
  // Thump: a falling sub-bass sine, the pressure wave felt as much as heard.
  const thumpN = secondsToSamples(uniform(rng, 0.2, 0.6), sampleRate);
  const startHz = uniform(rng, 50, 90);
  let phase = 0;
  for (let i = 0; i < thumpN && i < n; i++) {
    const t = i / sampleRate;
    phase += (startHz * Math.exp(-t / 0.3)) / sampleRate;
    body[i] =
      (body[i] as number) + 1.5 * Math.exp(-t / (thumpN / sampleRate / 3)) * Math.sin(2 * Math.PI * phase);
  }
  return body;
}

/** Debris and shrapnel: sharp clicks whose rate falls off after the blast. */
function debris(rng: Rng, out: Float32Array, sampleRate: number, startS: number, lengthS: number): void {
  const peakRate = logUniform(rng, 15, 60);
  for (let t = 0; t < lengthS;) {
    t += exponential(rng, peakRate * Math.exp(-t / (lengthS / 3)) + 0.5);
    addClick(rng, out, sampleRate, startS + t, 0.4 * eventGain(rng, 30), {
      tauS: logUniform(rng, 0.0004, 0.004),
      hz: logUniform(rng, 1200, 6000),
      q: uniform(rng, 0.7, 3),
    });
  }
}

function render(rng: Rng, sampleRate: number, durationS: number): RenderedSource {
  const distance = weighted(rng, { near: 1.2, distant: 1 });
  const distant = distance === 'distant';
  const intensity = weighted(rng, { moderate: 1, heavy: 1.5 });
  const n = secondsToSamples(durationS, sampleRate);
  const out = new Float32Array(n);
  const blasts = chance(rng, 0.6)
    ? 1
    : intBetween(rng, 2, Math.max(2, Math.min(4, Math.floor(durationS / 1.2))));
  let t = uniform(rng, 0.05, Math.min(0.8, durationS * 0.25));
  let count = 0;
  for (let k = 0; k < blasts && t < durationS - 0.3; k++) {
    const b: Blast = {
      distant,
      tauS: logUniform(rng, 0.25, intensity === 'heavy' ? 1.5 : 0.8),
      topHz: distant ? logUniform(rng, 800, 2500) : logUniform(rng, 3000, 8000),
    };
    const body = blast(rng, sampleRate, durationS - t, b);
    addInto(out, body, secondsToSamples(t, sampleRate), k === 0 ? 1 : uniform(rng, 0.4, 1));
    if (!distant && chance(rng, 0.7))
      debris(rng, out, sampleRate, t + uniform(rng, 0.05, 0.4), uniform(rng, 1, 3));
    // An echo off a far wall or hillside: a later, darker copy of the blast.
    if (chance(rng, 0.45)) {
      const delay = uniform(rng, 0.15, 0.9);
      addInto(
        out,
        lowpass(body, sampleRate, logUniform(rng, 400, 1500)),
        secondsToSamples(t + delay, sampleRate),
        uniform(rng, 0.2, 0.5),
      );
    }
    count++;
    t += uniform(rng, 0.5, 2.5);
  }
  return { samples: highpass(out, sampleRate, 25), traits: { intensity, distance, events: count } };
}

export const explosion = defineSoundClass({ id: 'explosion', room: ROOMS.openSpace, render });
export const synthesize = explosion.synthesize;
