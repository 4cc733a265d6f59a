import { lerp } from './scalar.ts';

/**
 * Seeded value noise and fBm. Value noise (random values on an integer lattice, smoothly
 * interpolated) is cheaper than gradient noise and its slight blockiness disappears at the small
 * sizes these worlds render at.
 */

/** A well-mixed 32-bit hash of two lattice coordinates and a seed, as a number in [0, 1). */
export function hash2(ix: number, iy: number, seed: number): number {
  let h = Math.imul(ix | 0, 0x27d4eb2d) ^ Math.imul(iy | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Deterministic uniform value for an index: per-element jitter that does not depend on draw order. */
export function hash1(i: number, seed: number): number {
  return hash2(i, 0x3c6ef372, seed);
}

/** Smooth value noise in [0, 1] with unit lattice spacing. */
export function valueNoise(x: number, y: number, seed: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = x - ix;
  const fy = y - iy;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const a = hash2(ix, iy, seed);
  const b = hash2(ix + 1, iy, seed);
  const c = hash2(ix, iy + 1, seed);
  const d = hash2(ix + 1, iy + 1, seed);
  return lerp(lerp(a, b, sx), lerp(c, d, sx), sy);
}

/** Fractal sum of value noise octaves, normalised back to [0, 1]. */
export function fbm(x: number, y: number, seed: number, octaves = 4, gain = 0.5): number {
  let sum = 0;
  let norm = 0;
  let amp = 1;
  let freq = 1;
  for (let o = 0; o < octaves; o++) {
    sum += amp * valueNoise(x * freq, y * freq, seed + o * 1013);
    norm += amp;
    amp *= gain;
    freq *= 2.03;
  }
  return sum / norm;
}

/**
 * A seed for one named layer of a picture (stars, rain, flames...), so each layer draws from its
 * own random stream and adding or removing one layer leaves the others exactly as they were.
 */
export function layerSeed(seed: number, layer: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < layer.length; i++) h = Math.imul(h ^ layer.charCodeAt(i), 0x01000193);
  return (Math.imul(h ^ (h >>> 16), 0x45d9f3b) ^ seed) >>> 0;
}
