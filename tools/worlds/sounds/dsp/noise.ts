/** Noise sources, all drawn from the seeded `Rng` so a clip replays exactly. */
import type { Rng } from '@soundedit/models';

const SQRT3 = Math.sqrt(3);

/**
 * White noise with standard deviation `std`, uniformly distributed: it sounds the same as Gaussian
 * noise and costs one draw per sample instead of a logarithm and a cosine.
 */
export function whiteNoise(rng: Rng, n: number, std = 1): Float32Array {
  const out = new Float32Array(n);
  const k = 2 * SQRT3 * std;
  for (let i = 0; i < n; i++) out[i] = (rng.next() - 0.5) * k;
  return out;
}

/** One unit-variance white sample (see `whiteNoise`). */
export function whiteSample(rng: Rng): number {
  return (rng.next() - 0.5) * 2 * SQRT3;
}

/** Rows of the Voss-McCartney generator: row k changes every 2^k samples, 16 rows reach below 1 Hz. */
const PINK_ROWS = 16;

/**
 * Pink (1/f) noise by the Voss-McCartney method: a sum of random values held for 1, 2, 4 ... samples,
 * each refreshed on its own power-of-two schedule, plus a white term to fill the top octave. Scaled to
 * about unit standard deviation.
 */
export function pinkNoise(rng: Rng, n: number): Float32Array {
  const rows = new Float64Array(PINK_ROWS);
  let sum = 0;
  for (let k = 0; k < PINK_ROWS; k++) {
    rows[k] = whiteSample(rng);
    sum += rows[k] as number;
  }
  const out = new Float32Array(n);
  const scale = 1 / Math.sqrt(PINK_ROWS + 1);
  for (let i = 0; i < n; i++) {
    // The row to refresh is the number of trailing zeros of the counter, so row k updates every 2^k.
    const k = i === 0 ? 0 : Math.min(PINK_ROWS - 1, 31 - Math.clz32(i & -i));
    const fresh = whiteSample(rng);
    sum += fresh - (rows[k] as number);
    rows[k] = fresh;
    out[i] = (sum + whiteSample(rng)) * scale;
  }
  return out;
}

/**
 * Brown (1/f^2) noise: leaky integration of white noise. The leak keeps it from wandering off (a
 * corner near 5 Hz), and the gain makes the standard deviation about 1 at any sample rate.
 */
export function brownNoise(rng: Rng, n: number, sampleRate: number): Float32Array {
  const leak = Math.exp((-2 * Math.PI * 5) / sampleRate);
  const gain = Math.sqrt(1 - leak * leak);
  const out = new Float32Array(n);
  let y = 0;
  for (let i = 0; i < n; i++) {
    y = leak * y + gain * whiteSample(rng);
    out[i] = y;
  }
  return out;
}
