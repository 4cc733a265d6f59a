import { describe, expect, it } from 'vitest';
import { downmix } from './downmix.ts';
import { FeatureInputError } from './errors.ts';

describe('downmix', () => {
  it('averages the channels sample by sample', () => {
    const l = Float32Array.from([1, 0.5, -1, 0.25]);
    const r = Float32Array.from([0, 0.5, 1, -0.75]);
    const c = Float32Array.from([0.5, -1, 0, 0.5]);
    expect(Array.from(downmix([l, r]))).toEqual([0.5, 0.5, 0, -0.25]);
    expect(downmix([l, r, c])[0]).toBeCloseTo(0.5, 7);
    expect(downmix([l, r, c])[1]).toBeCloseTo(0, 7);
  });

  it('returns a copy of a single channel, not the caller array', () => {
    const mono = Float32Array.from([0.1, 0.2]);
    const out = downmix([mono]);
    expect(out).toEqual(mono);
    out[0] = 9;
    expect(mono[0]).toBeCloseTo(0.1, 7);
  });

  it('rejects no channels, empty channels and unequal lengths', () => {
    expect(() => downmix([])).toThrow(expect.objectContaining({ code: 'EMPTY_INPUT' }));
    expect(() => downmix([new Float32Array(0)])).toThrow(expect.objectContaining({ code: 'EMPTY_INPUT' }));
    expect(() => downmix([new Float32Array(3), new Float32Array(2)])).toThrow(
      expect.objectContaining({ code: 'CHANNEL_LENGTH_MISMATCH' }),
    );
  });

  it('names the channel and index of a NaN or infinite sample', () => {
    const bad = Float32Array.from([0, 0, 0, Infinity]);
    let caught: unknown;
    try {
      downmix([new Float32Array(4), bad]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FeatureInputError);
    expect(caught).toMatchObject({ code: 'NON_FINITE_SAMPLE', index: 3 });
    expect((caught as Error).message).toContain('channel 1');
    expect(() => downmix([Float32Array.from([NaN])])).toThrow(/sample 0 is NaN/);
  });
});
