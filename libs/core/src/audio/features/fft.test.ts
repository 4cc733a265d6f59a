import { describe, expect, it } from 'vitest';
import { realFft } from './fft.ts';

/** Direct O(n^2) DFT in float64, the definition the FFT must reproduce. */
function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const bins = (n >> 1) + 1;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((j * k) % n)) / n;
      re[k] = (re[k] as number) + (x[j] as number) * Math.cos(a);
      im[k] = (im[k] as number) + (x[j] as number) * Math.sin(a);
    }
  }
  return { re, im };
}

function randomSignal(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  });
}

describe('realFft', () => {
  // Powers of two (radix-2 path) and sizes librosa configs use that are not (Bluestein path):
  // 400 / 480 (25 / 30 ms at 16 kHz), 441, 1102 and primes.
  const sizes = [1, 2, 4, 8, 16, 256, 1024, 2048, 3, 5, 6, 12, 97, 400, 441, 480, 1000, 1102, 1031];
  it.each(sizes)('matches the direct DFT at n = %i', (n) => {
    const x = randomSignal(n, n + 11);
    const ref = naiveDft(x);
    const bins = (n >> 1) + 1;
    const re = new Float64Array(bins);
    const im = new Float64Array(bins);
    realFft(n).forward(x, re, im);
    let err = 0;
    let scale = 0;
    for (let k = 0; k < bins; k++) {
      err = Math.max(
        err,
        Math.hypot((re[k] as number) - (ref.re[k] as number), (im[k] as number) - (ref.im[k] as number)),
      );
      scale = Math.max(scale, Math.hypot(ref.re[k] as number, ref.im[k] as number));
    }
    expect(err / Math.max(scale, 1e-12)).toBeLessThan(1e-11);
  });

  it('puts a cosine at bin k with height n/2 and nothing elsewhere', () => {
    const n = 512;
    const x = Float64Array.from({ length: n }, (_, j) => Math.cos((2 * Math.PI * 37 * j) / n));
    const re = new Float64Array(257);
    const im = new Float64Array(257);
    realFft(n).forward(x, re, im);
    expect(re[37]).toBeCloseTo(256, 9);
    for (let k = 0; k < 257; k++)
      if (k !== 37) expect(Math.hypot(re[k] as number, im[k] as number)).toBeLessThan(1e-9);
  });

  it('reuses one plan per size', () => {
    expect(realFft(400)).toBe(realFft(400));
    expect(() => realFft(0)).toThrow(expect.objectContaining({ code: 'INVALID_N_FFT' }));
  });
});
