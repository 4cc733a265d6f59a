import { describe, expect, it } from 'vitest';
import { cropOrPad } from './crop-pad.ts';

const ramp = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i);

describe('cropOrPad', () => {
  it('crops from the start or the centre of a longer clip', () => {
    const x = ramp(10);
    expect(Array.from(cropOrPad(x, { length: 4, crop: 'start' }).samples)).toEqual([0, 1, 2, 3]);
    const mid = cropOrPad(x, { length: 4, crop: 'center' });
    expect(Array.from(mid.samples)).toEqual([3, 4, 5, 6]);
    expect(mid.inputOffset).toBe(3);
  });

  it('crops a seeded random window: same seed same window, every window reachable', () => {
    const x = ramp(12);
    const a = cropOrPad(x, { length: 8, crop: 'random', seed: 5 });
    const b = cropOrPad(x, { length: 8, crop: 'random', seed: 5 });
    expect(a.inputOffset).toBe(b.inputOffset);
    expect(Array.from(a.samples)).toEqual(Array.from(ramp(8), (v) => v + a.inputOffset));
    const offsets = new Set<number>();
    for (let seed = 0; seed < 200; seed++)
      offsets.add(cropOrPad(x, { length: 8, crop: 'random', seed }).inputOffset);
    expect([...offsets].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4]);
  });

  it('zero-pads a shorter clip at the end (default) or around the centre', () => {
    const x = Float32Array.from([1, 2, 3]);
    expect(Array.from(cropOrPad(x, { length: 6, crop: 'center' }).samples)).toEqual([1, 2, 3, 0, 0, 0]);
    const c = cropOrPad(x, { length: 6, crop: 'start', pad: 'center' });
    expect(Array.from(c.samples)).toEqual([0, 1, 2, 3, 0, 0]);
    expect(c.outputOffset).toBe(1);
  });

  it('returns an equal-length clip as a copy and never touches the input', () => {
    const x = ramp(5);
    const out = cropOrPad(x, { length: 5, crop: 'random', seed: 1 }).samples;
    expect(out).toEqual(x);
    out[0] = 99;
    expect(x[0]).toBe(0);
  });

  it('rejects bad lengths, policies and a random crop without a seed', () => {
    const x = ramp(5);
    expect(() => cropOrPad(x, { length: 0, crop: 'start' })).toThrow(
      expect.objectContaining({ code: 'INVALID_LENGTH', field: 'length' }),
    );
    expect(() => cropOrPad(x, { length: 2.5, crop: 'start' })).toThrow(/integer/);
    expect(() => cropOrPad(x, { length: 2, crop: 'middle' as 'start' })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_OPTION', field: 'crop' }),
    );
    expect(() => cropOrPad(x, { length: 2, crop: 'start', pad: 'left' as 'end' })).toThrow(
      expect.objectContaining({ field: 'pad' }),
    );
    expect(() => cropOrPad(x, { length: 2, crop: 'random' })).toThrow(
      expect.objectContaining({ code: 'INVALID_SEED' }),
    );
    expect(() => cropOrPad(x, { length: 2, crop: 'random', seed: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_SEED' }),
    );
  });
});
