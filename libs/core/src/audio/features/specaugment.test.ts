import { describe, expect, it } from 'vitest';
import { FeatureConfigError } from './errors.ts';
import { specAugment, type SpecAugmentConfig } from './specaugment.ts';
import type { Spectrogram } from './stft.ts';

function makeSpec(rows: number, cols: number): Spectrogram {
  return { rows, cols, data: Float32Array.from({ length: rows * cols }, (_, i) => 1 + (i % 13) / 10) };
}

const config: SpecAugmentConfig = {
  freqMasks: 2,
  freqMaskWidth: 10,
  timeMasks: 3,
  timeMaskWidth: 20,
  maskValue: 'zero',
  seed: 42,
};

function masked(spec: Spectrogram, value: number): boolean[] {
  return Array.from(spec.data, (v) => v === value);
}

describe('specAugment', () => {
  it('is deterministic for a seed and varies across seeds', () => {
    const spec = makeSpec(64, 100);
    const a = specAugment(spec, config);
    const b = specAugment(spec, config);
    expect(a.masks).toEqual(b.masks);
    expect(a.spectrogram.data).toEqual(b.spectrogram.data);
    const others = [1, 2, 3, 4, 5].map((seed) =>
      JSON.stringify(specAugment(spec, { ...config, seed }).masks),
    );
    expect(new Set([JSON.stringify(a.masks), ...others]).size).toBeGreaterThan(1);
  });

  it('applies exactly the reported masks, within their counts and widths', () => {
    const spec = makeSpec(64, 100);
    for (let seed = 0; seed < 50; seed++) {
      const { spectrogram, masks } = specAugment(spec, { ...config, seed });
      expect(masks.filter((m) => m.axis === 'freq')).toHaveLength(2);
      expect(masks.filter((m) => m.axis === 'time')).toHaveLength(3);
      const expected = new Array<boolean>(64 * 100).fill(false);
      for (const m of masks) {
        const size = m.axis === 'freq' ? 64 : 100;
        expect(m.width).toBeLessThanOrEqual(m.axis === 'freq' ? 10 : 20);
        expect(m.start).toBeGreaterThanOrEqual(0);
        expect(m.start + m.width).toBeLessThanOrEqual(size);
        for (let i = m.start; i < m.start + m.width; i++) {
          for (let j = 0; j < (m.axis === 'freq' ? 100 : 64); j++) {
            expected[m.axis === 'freq' ? i * 100 + j : j * 100 + i] = true;
          }
        }
      }
      // The test spectrogram has no zeros, so zeros are exactly the masked cells.
      expect(masked(spectrogram, 0)).toEqual(expected);
    }
  });

  it('draws widths across the whole 0..max range', () => {
    const spec = makeSpec(64, 100);
    const widths = new Set<number>();
    for (let seed = 0; seed < 300; seed++) {
      for (const m of specAugment(spec, { ...config, seed, timeMasks: 0, freqMasks: 1, freqMaskWidth: 4 })
        .masks) {
        widths.add(m.width);
      }
    }
    expect([...widths].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('never mutates the input', () => {
    const spec = makeSpec(32, 40);
    const before = spec.data.slice();
    const out = specAugment(spec, { ...config, maskValue: 'mean' });
    expect(spec.data).toEqual(before);
    expect(out.spectrogram.data).not.toBe(spec.data);
  });

  it('fills with the input mean when asked', () => {
    const spec = makeSpec(32, 40);
    const mean = spec.data.reduce((s, v) => s + v, 0) / spec.data.length;
    const { spectrogram, masks } = specAugment(spec, {
      ...config,
      maskValue: 'mean',
      freqMasks: 1,
      freqMaskWidth: 32,
      timeMasks: 0,
      seed: 3,
    });
    const m = masks[0];
    if (m === undefined || m.width === 0) throw new Error('seed 3 should draw a non-empty mask');
    expect(spectrogram.data[m.start * 40]).toBeCloseTo(mean, 5);
  });

  it('returns an identical copy when both counts are 0', () => {
    const spec = makeSpec(16, 20);
    const out = specAugment(spec, { ...config, freqMasks: 0, timeMasks: 0 });
    expect(out.masks).toEqual([]);
    expect(out.spectrogram.data).toEqual(spec.data);
  });

  it('clips widths larger than the axis', () => {
    const spec = makeSpec(4, 5);
    for (let seed = 0; seed < 20; seed++) {
      for (const m of specAugment(spec, { ...config, seed, freqMaskWidth: 100, timeMaskWidth: 100 }).masks) {
        expect(m.start + m.width).toBeLessThanOrEqual(m.axis === 'freq' ? 4 : 5);
      }
    }
  });

  it.each([
    [{ freqMasks: -1 }, 'INVALID_MASK', 'freqMasks'],
    [{ timeMasks: 1.5 }, 'INVALID_MASK', 'timeMasks'],
    [{ freqMaskWidth: -3 }, 'INVALID_MASK', 'freqMaskWidth'],
    [{ timeMaskWidth: NaN }, 'INVALID_MASK', 'timeMaskWidth'],
    [{ maskValue: 'min' }, 'UNKNOWN_OPTION', 'maskValue'],
    [{ seed: 2 ** 32 }, 'INVALID_SEED', 'seed'],
  ])('rejects %o with %s', (patch, code, field) => {
    let caught: unknown;
    try {
      specAugment(makeSpec(4, 4), { ...config, ...patch } as SpecAugmentConfig);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FeatureConfigError);
    expect(caught).toMatchObject({ code, field });
  });

  it('rejects a spectrogram whose data does not match its shape', () => {
    expect(() => specAugment({ rows: 3, cols: 3, data: new Float32Array(8) }, config)).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
  });
});
