import { describe, expect, it } from 'vitest';
import { FeatureConfigError } from './errors.ts';
import { frameCount, hannWindow, powerSpectrogram, type StftConfig } from './stft.ts';
import { decodeF32, fixtureSignal, loadFixture, maxAbs, maxAbsDiff } from './test-fixtures.ts';

interface SpecCase {
  name: string;
  signal: string;
  length: number | null;
  config: StftConfig;
  shape: [number, number];
  data: string;
}

describe('hannWindow', () => {
  it('is the periodic (fftbins=True) Hann window by default', () => {
    const w = hannWindow(8);
    expect(Array.from(w, (v) => Number(v.toFixed(12)))).toEqual([
      0, 0.146446609407, 0.5, 0.853553390593, 1, 0.853553390593, 0.5, 0.146446609407,
    ]);
    const sym = hannWindow(5, false);
    [0, 0.5, 1, 0.5, 0].forEach((v, i) => expect(sym[i]).toBeCloseTo(v, 12));
  });
});

describe('powerSpectrogram', () => {
  // torchaudio.transforms.Spectrogram, cross-checked against numpy (see the fixture script).
  // Tolerance: 1e-5 of the spectrogram's peak (float32 storage is ~6e-8 relative).
  const { cases } = loadFixture<{ cases: SpecCase[] }>('spectrograms.json');
  it.each(cases.map((c) => [c.name, c] as const))('matches the reference: %s', (_name, c) => {
    const { samples } = fixtureSignal(c.signal);
    const x = c.length === null ? samples : samples.subarray(0, c.length);
    const spec = powerSpectrogram(x, c.config);
    expect([spec.rows, spec.cols]).toEqual(c.shape);
    const ref = decodeF32(c.data);
    expect(maxAbsDiff(spec.data, ref)).toBeLessThan(1e-5 * maxAbs(ref));
  });

  it('counts frames as librosa does', () => {
    expect(frameCount(16000, { nFft: 400, hop: 160, center: true })).toBe(101);
    expect(frameCount(16000, { nFft: 400, hop: 160, center: false })).toBe(98);
    expect(frameCount(399, { nFft: 400, hop: 160, center: false })).toBe(0);
    const spec = powerSpectrogram(new Float32Array(1000), {
      nFft: 256,
      hop: 100,
      winLength: 256,
      center: true,
      padMode: 'constant',
      power: 2,
    });
    expect([spec.rows, spec.cols]).toEqual([129, 11]);
  });

  it('gives a sine of amplitude A a peak of (A * sum(window) / 2)^2 at its bin', () => {
    const n = 4096;
    const x = Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 32 * i) / 512));
    const spec = powerSpectrogram(x, {
      nFft: 512,
      hop: 256,
      winLength: 512,
      center: false,
      padMode: 'constant',
      power: 2,
    });
    const t = 3;
    expect(spec.data[32 * spec.cols + t]).toBeCloseTo(((0.5 * 256) / 2) ** 2, 2);
  });

  const base: StftConfig = {
    nFft: 512,
    hop: 128,
    winLength: 400,
    center: true,
    padMode: 'reflect',
    power: 2,
  };
  it.each([
    [{ nFft: 1 }, 'INVALID_N_FFT', 'nFft'],
    [{ nFft: 512.5 }, 'INVALID_N_FFT', 'nFft'],
    [{ hop: 0 }, 'INVALID_HOP', 'hop'],
    [{ winLength: 513 }, 'INVALID_WIN_LENGTH', 'winLength'],
    [{ center: 'yes' }, 'UNKNOWN_OPTION', 'center'],
    [{ padMode: 'edge' }, 'UNKNOWN_OPTION', 'padMode'],
    [{ power: 0 }, 'INVALID_POWER', 'power'],
    [{ power: NaN }, 'INVALID_POWER', 'power'],
  ])('rejects %o with %s', (patch, code, field) => {
    const config = { ...base, ...patch } as StftConfig;
    let caught: unknown;
    try {
      powerSpectrogram(new Float32Array(2048), config);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FeatureConfigError);
    expect(caught).toMatchObject({ code, field });
  });

  it('rejects signals too short for the padding or the frame, empty input and NaN', () => {
    expect(() => powerSpectrogram(new Float32Array(256), base)).toThrow(
      expect.objectContaining({ code: 'SIGNAL_TOO_SHORT' }),
    );
    expect(() => powerSpectrogram(new Float32Array(256), { ...base, padMode: 'constant' })).not.toThrow();
    expect(() => powerSpectrogram(new Float32Array(511), { ...base, center: false })).toThrow(
      expect.objectContaining({ code: 'SIGNAL_TOO_SHORT' }),
    );
    expect(() => powerSpectrogram(new Float32Array(0), base)).toThrow(
      expect.objectContaining({ code: 'EMPTY_INPUT' }),
    );
    const x = new Float32Array(2048);
    x[1234] = -Infinity;
    expect(() => powerSpectrogram(x, base)).toThrow(
      expect.objectContaining({ code: 'NON_FINITE_SAMPLE', index: 1234 }),
    );
  });
});
