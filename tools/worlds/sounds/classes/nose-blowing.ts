/**
 * Nose blowing: 1-3 forceful honks. Each is broadband air noise shaped by the nasal cavity (a strong
 * low resonance and a weaker upper one), starting with a wet flutter, often with a trumpet-like buzz
 * of the nostrils, and often followed by a sniff.
 */
import type { Rng } from '@soundedit/models';
import {
  addInto,
  adsr,
  applyEnvelope,
  filterChain,
  highpassCoefficients,
  lowpassCoefficients,
  peakingCoefficients,
  rms,
  secondsToSamples,
  whiteNoise,
} from '../dsp.ts';
import { chance, intBetween, logUniform, uniform, weighted } from '../random.ts';
import { ROOMS } from '../recording.ts';
import { defineSoundClass, type RenderedSource } from './sound-class.ts';
import { sniff } from './sniff.ts';

interface Nose {
  /** The nasal cavity's main resonance, the "honk". */
  resonanceHz: number;
  upperHz: number;
  /** Nostril flutter rate when the honk buzzes. */
  buzzHz: number;
  buzz: number;
}

/** Flutter of the nostrils: a rough pulse train, strongest while the flow is strongest. */
function buzzSource(rng: Rng, n: number, sampleRate: number, hz: number): Float32Array {
  const out = new Float32Array(n);
  let phase = 0;
  let rate = hz;
  for (let i = 0; i < n; i++) {
    phase += rate / sampleRate;
    if (phase >= 1) {
      phase -= 1;
      rate = hz * (1 + 0.06 * rng.normal());
    }
    // Narrow pulses: the nostrils snap shut for most of each cycle.
    out[i] = phase < 0.3 ? Math.sin((Math.PI * phase) / 0.3) ** 2 - 0.3 : -0.3;
  }
  return out;
}

/** The wet rattle at the start: irregular 20-70 Hz amplitude chatter that fades within a few tenths of a second. */
function rattle(rng: Rng, n: number, sampleRate: number): Float32Array {
  const out = new Float32Array(n).fill(1);
  const lengthN = Math.min(n, secondsToSamples(uniform(rng, 0.08, 0.3), sampleRate));
  const hz = uniform(rng, 20, 70);
  let phase = 0;
  for (let i = 0; i < lengthN; i++) {
    phase += (hz * (1 + 0.4 * rng.normal())) / sampleRate;
    const chatter = 0.5 + 0.5 * Math.sign(Math.sin(2 * Math.PI * phase));
    const fade = i / lengthN;
    out[i] = fade + (1 - fade) * (0.15 + 0.85 * chatter);
  }
  return out;
}

function honk(rng: Rng, sampleRate: number, nose: Nose): Float32Array {
  const n = secondsToSamples(uniform(rng, 0.35, 1.3), sampleRate);
  const air = whiteNoise(rng, n);
  const buzz = buzzSource(rng, n, sampleRate, nose.buzzHz * uniform(rng, 0.9, 1.1));
  const buzzGain = (nose.buzz * rms(air)) / Math.max(rms(buzz), 1e-9);
  for (let i = 0; i < n; i++) air[i] = (air[i] as number) + buzzGain * (buzz[i] as number);
  const shaped = filterChain(air, [
    highpassCoefficients(sampleRate, uniform(rng, 150, 300)),
    peakingCoefficients(
      sampleRate,
      nose.resonanceHz * uniform(rng, 0.95, 1.05),
      uniform(rng, 3, 8),
      uniform(rng, 14, 24),
    ),
    peakingCoefficients(sampleRate, nose.upperHz, uniform(rng, 2, 5), uniform(rng, 6, 12)),
    lowpassCoefficients(sampleRate, uniform(rng, 5000, 10_000)),
  ]);
  applyEnvelope(shaped, rattle(rng, n, sampleRate));
  const env = adsr(n, sampleRate, {
    attackS: uniform(rng, 0.01, 0.05),
    decayS: uniform(rng, 0.1, 0.3),
    sustain: uniform(rng, 0.5, 0.85),
    releaseS: uniform(rng, 0.08, 0.3),
  });
  return applyEnvelope(shaped, env);
}

function render(rng: Rng, sampleRate: number, durationS: number): RenderedSource {
  const nose: Nose = {
    resonanceHz: logUniform(rng, 350, 950),
    upperHz: logUniform(rng, 1400, 3500),
    buzzHz: logUniform(rng, 110, 380),
    buzz: chance(rng, 0.65) ? uniform(rng, 0.3, 1.2) : 0,
  };
  const intensity = weighted(rng, { light: 1, moderate: 1.5, heavy: 1.2 });
  const honks = intBetween(rng, 1, Math.min(3, Math.max(1, Math.floor(durationS / 0.9))));
  const out = new Float32Array(secondsToSamples(durationS, sampleRate));
  let t = uniform(rng, 0.05, Math.max(0.1, durationS - honks * 0.9 - 0.1) * 0.5);
  let level = 1;
  let count = 0;
  for (let k = 0; k < honks && t < durationS - 0.3; k++) {
    const h = honk(rng, sampleRate, nose);
    addInto(out, h, secondsToSamples(t, sampleRate), level);
    count++;
    t += h.length / sampleRate + uniform(rng, 0.15, 0.7);
    level *= uniform(rng, 0.6, 1);
    if (chance(rng, 0.35) && t < durationS - 0.3) {
      addInto(out, sniff(rng, sampleRate), secondsToSamples(t, sampleRate), 0.15);
      t += 0.4;
    }
  }
  return { samples: out, traits: { intensity, events: count } };
}

export const noseBlowing = defineSoundClass({ id: 'nose_blowing', room: ROOMS.indoor, render });
export const synthesize = noseBlowing.synthesize;
