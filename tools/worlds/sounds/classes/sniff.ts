/** A wet sniffle through the nose, shared by sobbing and nose blowing. */
import type { Rng } from '@soundedit/models';
import { applyEnvelope, bandpass, expDecay, highpass, secondsToSamples, whiteNoise } from '../dsp.ts';
import { uniform } from '../random.ts';

/** Hissy noise through the nostrils, rising quickly and cut off. */
export function sniff(rng: Rng, sampleRate: number): Float32Array {
  const n = secondsToSamples(uniform(rng, 0.12, 0.35), sampleRate);
  let x = highpass(whiteNoise(rng, n), sampleRate, uniform(rng, 800, 1800));
  x = bandpass(x, sampleRate, uniform(rng, 2500, 5000), uniform(rng, 0.7, 1.5));
  const env = expDecay(n, sampleRate, uniform(rng, 0.05, 0.12), uniform(rng, 0.03, 0.08));
  return applyEnvelope(x, env);
}
