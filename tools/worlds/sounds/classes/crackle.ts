/** Clicks and pops: the short broadband transients shared by fire, debris after a blast, and rain on hard ground. */
import type { Rng } from '@soundedit/models';
import { addInto, Biquad, bandpassCoefficients, secondsToSamples, whiteSample } from '../dsp.ts';
import { logUniform } from '../random.ts';

export interface ClickShape {
  /** Decay time constant of the burst. */
  tauS: number;
  /** Centre of the band the click rings in. */
  hz: number;
  /** Low Q: a dry snap; high Q: a ringing tick. */
  q: number;
}

/** Adds one noise burst with an exponential decay, band-passed, at time `t`. */
export function addClick(
  rng: Rng,
  out: Float32Array,
  sampleRate: number,
  t: number,
  gain: number,
  shape: ClickShape,
): void {
  const n = Math.max(4, secondsToSamples(6 * shape.tauS, sampleRate));
  const filter = new Biquad(bandpassCoefficients(sampleRate, shape.hz, shape.q));
  const burst = new Float32Array(n);
  const k = Math.exp(-1 / (shape.tauS * sampleRate));
  let env = 1;
  for (let i = 0; i < n; i++) {
    burst[i] = filter.tick(whiteSample(rng) * env);
    env *= k;
  }
  addInto(out, burst, secondsToSamples(t, sampleRate), gain);
}

/**
 * A loudness for one of many random events: log-uniform over `rangeDb`, so most are faint and a
 * few stand out, as with crackles and raindrops at different distances.
 */
export function eventGain(rng: Rng, rangeDb: number): number {
  return logUniform(rng, 10 ** (-rangeDb / 20), 1);
}
