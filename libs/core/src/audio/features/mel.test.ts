import { describe, expect, it } from 'vitest';
import { FeatureConfigError } from './errors.ts';
import { applyMelFilterbank, hzToMel, melFilterbank, melToHz, type MelFilterConfig } from './mel.ts';
import { decodeF32, loadFixture, maxAbsDiff } from './test-fixtures.ts';

interface FbCase {
  name: string;
  config: MelFilterConfig;
  shape: [number, number];
  data: string;
}

describe('mel scale', () => {
  it("uses Slaney's scale by default and HTK on request", () => {
    expect(hzToMel(1000)).toBeCloseTo(15, 12);
    expect(hzToMel(500)).toBeCloseTo(7.5, 12);
    expect(hzToMel(6400)).toBeCloseTo(42, 12);
    expect(hzToMel(1000, 'htk')).toBeCloseTo(999.9855371396, 8);
    for (const f of [0, 123, 999.9, 1000, 4321, 22050]) {
      expect(melToHz(hzToMel(f))).toBeCloseTo(f, 8);
      expect(melToHz(hzToMel(f, 'htk'), 'htk')).toBeCloseTo(f, 8);
    }
  });
});

describe('melFilterbank', () => {
  // librosa.filters.mel's definition (torchaudio melscale_fbanks in float64 agreed to 3e-15).
  // Tolerance 1e-6 absolute; the weights are at most 1 (HTK, unnormalised).
  const { cases } = loadFixture<{ cases: FbCase[] }>('filterbanks.json');
  it.each(cases.map((c) => [c.name, c] as const))('matches librosa: %s', (_name, c) => {
    const fb = melFilterbank(c.config);
    expect([fb.nMels, fb.nFreqs]).toEqual(c.shape);
    expect(maxAbsDiff(fb.weights, decodeF32(c.data))).toBeLessThan(1e-6);
    expect(fb.emptyFilters).toEqual([]);
  });

  it('reports bands that no FFT bin falls in, as librosa warns', () => {
    const fb = melFilterbank({
      sampleRate: 16000,
      nFft: 64,
      nMels: 80,
      fmin: 0,
      fmax: null,
      norm: 'slaney',
      melScale: 'slaney',
    });
    expect(fb.emptyFilters.length).toBeGreaterThan(0);
  });

  it('applies as W @ S over its non-zero support', () => {
    const config: MelFilterConfig = {
      sampleRate: 8000,
      nFft: 64,
      nMels: 6,
      fmin: 100,
      fmax: 3500,
      norm: null,
      melScale: 'htk',
    };
    const fb = melFilterbank(config);
    const frames = 3;
    const spec = {
      rows: 33,
      cols: frames,
      data: Float32Array.from({ length: 33 * frames }, (_, i) => (i % 7) + 0.5),
    };
    const mel = applyMelFilterbank(fb, spec);
    for (let m = 0; m < 6; m++) {
      for (let t = 0; t < frames; t++) {
        let dense = 0;
        for (let k = 0; k < 33; k++)
          dense += (fb.weights[m * 33 + k] as number) * (spec.data[k * frames + t] as number);
        expect(mel.data[m * frames + t]).toBeCloseTo(dense, 4);
      }
    }
    expect(() => applyMelFilterbank(fb, { rows: 32, cols: 1, data: new Float32Array(32) })).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
  });

  const base: MelFilterConfig = {
    sampleRate: 16000,
    nFft: 512,
    nMels: 40,
    fmin: 0,
    fmax: null,
    norm: 'slaney',
    melScale: 'slaney',
  };
  it.each([
    [{ sampleRate: 999 }, 'INVALID_SAMPLE_RATE', 'sampleRate'],
    [{ sampleRate: '16000' }, 'INVALID_SAMPLE_RATE', 'sampleRate'],
    [{ nFft: 0 }, 'INVALID_N_FFT', 'nFft'],
    [{ nMels: 0 }, 'INVALID_N_MELS', 'nMels'],
    [{ fmin: -1 }, 'INVALID_FREQUENCY_RANGE', 'fmin'],
    [{ fmax: 9000 }, 'INVALID_FREQUENCY_RANGE', 'fmax'],
    [{ fmin: 4000, fmax: 3000 }, 'INVALID_FREQUENCY_RANGE', 'fmax'],
    [{ fmin: 8000 }, 'INVALID_FREQUENCY_RANGE', 'fmax'],
    [{ norm: 'l2' }, 'UNKNOWN_OPTION', 'norm'],
    [{ melScale: 'bark' }, 'UNKNOWN_OPTION', 'melScale'],
  ])('rejects %o with %s', (patch, code, field) => {
    let caught: unknown;
    try {
      melFilterbank({ ...base, ...patch } as MelFilterConfig);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FeatureConfigError);
    expect(caught).toMatchObject({ code, field });
  });
});
