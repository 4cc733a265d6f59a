/** Draws on top of the seeded `Rng`, so every synthesis decision replays exactly from a seed. */
import type { Rng } from '@soundedit/models';

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/** Uniform in log space: right for rates, frequencies and gains, where ratios matter rather than differences. */
export function logUniform(rng: Rng, lo: number, hi: number): number {
  return lo * Math.exp(Math.log(hi / lo) * rng.next());
}

/** An integer in [lo, hi], both ends included. */
export function intBetween(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor((hi - lo + 1) * rng.next());
}

export function chance(rng: Rng, p: number): boolean {
  return rng.next() < p;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick needs at least one item');
  return items[Math.floor(rng.next() * items.length)] as T;
}

/** Picks a key with probability proportional to its weight. */
export function weighted<K extends string>(rng: Rng, weights: Readonly<Record<K, number>>): K {
  const keys = Object.keys(weights) as K[];
  const total = keys.reduce((sum, k) => sum + weights[k], 0);
  let u = rng.next() * total;
  for (const k of keys) {
    u -= weights[k];
    if (u < 0) return k;
  }
  return keys[keys.length - 1] as K;
}

/** Waiting time of a Poisson process with `ratePerS` events per second. */
export function exponential(rng: Rng, ratePerS: number): number {
  return -Math.log(1 - rng.next()) / ratePerS;
}

/** Event times in [startS, endS) of a Poisson process: independent events such as raindrops or crackles. */
export function poissonTimes(rng: Rng, ratePerS: number, startS: number, endS: number): number[] {
  const times: number[] = [];
  for (let t = startS + exponential(rng, ratePerS); t < endS; t += exponential(rng, ratePerS)) times.push(t);
  return times;
}
