/**
 * Underwater bubbling: streams of bubbles, each a short decaying tone at its Minnaert resonance
 * (about 3.3 kHz / radius in mm) whose pitch rises as it nears the surface or shrinks, over muffled
 * low-passed water noise. Bursts of many small bubbles alternate with a few big gulps.
 */
import type { Rng } from '@soundedit/models';
import { addInto, brownNoise, lowpass, rms, secondsToSamples, smoothRandomCurve } from '../dsp.ts';
import { chance, exponential, intBetween, logUniform, uniform, weighted } from '../random.ts';
import { ROOMS } from '../recording.ts';
import { bubble, minnaertHz } from './bubble.ts';
import { defineSoundClass, type RenderedSource } from './sound-class.ts';

interface Stream {
  radiusMm: number;
  ratePerS: number;
  rise: number;
}

function render(rng: Rng, sampleRate: number, durationS: number): RenderedSource {
  const intensity = weighted(rng, { light: 1, moderate: 1.5, heavy: 1 });
  const n = secondsToSamples(durationS, sampleRate);
  const out = new Float32Array(n);
  const streams: Stream[] = [];
  const count = intBetween(rng, 1, 3);
  for (let k = 0; k < count; k++) {
    streams.push({
      radiusMm: logUniform(rng, 1, 8),
      ratePerS: {
        light: logUniform(rng, 3, 12),
        moderate: logUniform(rng, 10, 40),
        heavy: logUniform(rng, 30, 120),
      }[intensity],
      rise: uniform(rng, 0.1, 0.8),
    });
  }
  let bubbles = 0;
  for (const s of streams) {
    // Streams come in bursts (an exhalation, a gurgle): the rate follows a sharpened random curve.
    const activity = smoothRandomCurve(rng, n, sampleRate, uniform(rng, 0.3, 1.5));
    for (let t = 0; t < durationS;) {
      const a = activity[Math.min(n - 1, secondsToSamples(t, sampleRate))] as number;
      t += exponential(rng, s.ratePerS * (0.25 + 2 * a ** 3));
      if (t >= durationS) break;
      const radius = s.radiusMm * logUniform(rng, 0.6, 1.7);
      const b = bubble(
        rng,
        sampleRate,
        minnaertHz(radius),
        s.rise * uniform(rng, 0.5, 1.5),
        uniform(rng, 8, 30),
      );
      // Bigger bubbles are louder.
      addInto(out, b, secondsToSamples(t, sampleRate), Math.sqrt(radius) * logUniform(rng, 0.2, 1));
      bubbles++;
    }
  }
  // A few big gulps: low, long bubbles.
  if (chance(rng, 0.5)) {
    for (let t = exponential(rng, 0.6); t < durationS; t += exponential(rng, 0.6)) {
      const b = bubble(
        rng,
        sampleRate,
        minnaertHz(logUniform(rng, 8, 20)),
        uniform(rng, 0.2, 0.6),
        uniform(rng, 10, 25),
      );
      addInto(out, b, secondsToSamples(t, sampleRate), uniform(rng, 2, 5));
    }
  }
  // Water itself: a dull, swelling low rumble; the water and the hydrophone cut the highs.
  const water = lowpass(brownNoise(rng, n, sampleRate), sampleRate, logUniform(rng, 200, 700));
  const swell = smoothRandomCurve(rng, n, sampleRate, uniform(rng, 0.2, 1));
  const waterGain =
    (Math.max(rms(out), 1e-6) * 10 ** (uniform(rng, -18, -4) / 20)) / Math.max(rms(water), 1e-9);
  for (let i = 0; i < n; i++)
    out[i] = (out[i] as number) + waterGain * (water[i] as number) * (0.5 + (swell[i] as number));
  const muffled = lowpass(out, sampleRate, logUniform(rng, 1800, 4500));
  return { samples: muffled, traits: { intensity, events: bubbles } };
}

export const underwaterBubbling = defineSoundClass({
  id: 'underwater_bubbling',
  room: ROOMS.underwater,
  render,
});
export const synthesize = underwaterBubbling.synthesize;
