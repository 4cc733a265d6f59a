import { Rng } from '@soundedit/models';

/**
 * A 32-bit seed from several integers (murmur3's finaliser over a running mix), so every random
 * stream of a run (epoch order, a step's crops) is a pure function of the run seed and its position:
 * a resumed run replays exactly what an uninterrupted one would have done.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
