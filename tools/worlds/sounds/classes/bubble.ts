/** A single air bubble ringing in water: underwater streams, and the plink of a raindrop in a puddle. */
import type { Rng } from '@soundedit/models';
import { secondsToSamples } from '../dsp.ts';

/** Minnaert resonance of an air bubble in water, Hz for a radius in mm (near the surface). */
export function minnaertHz(radiusMm: number): number {
  return 3260 / radiusMm;
}

/** One bubble: a sine chirping upwards by `rise` (relative) under an exponential decay. */
export function bubble(rng: Rng, sampleRate: number, hz: number, rise: number, cycles: number): Float32Array {
  // Damping of a real bubble is a few tens of cycles; the ringing length scales with the period.
  const tau = cycles / (Math.PI * hz);
  const n = Math.max(8, secondsToSamples(5 * tau, sampleRate));
  const out = new Float32Array(n);
  const attack = Math.max(2, secondsToSamples(0.0006, sampleRate));
  let phase = rng.next() * 0.2;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const f = hz * (1 + rise * (t / (5 * tau)));
    if (f >= 0.48 * sampleRate) break;
    phase += f / sampleRate;
    const env = Math.exp(-t / tau) * Math.min(1, i / attack);
    out[i] = env * Math.sin(2 * Math.PI * phase);
  }
  return out;
}
