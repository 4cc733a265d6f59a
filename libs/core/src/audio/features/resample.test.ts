import { describe, expect, it } from 'vitest';
import { FeatureConfigError, FeatureInputError } from './errors.ts';
import { resample, resampleBlocked } from './resample.ts';
import { maxAbsDiff } from './test-fixtures.ts';

function tone(freq: number, rate: number, seconds: number, amp: number): Float32Array {
  const x = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return x;
}

/** Amplitude and phase of `freq` in x[from, to) by least squares on sin/cos (a single-bin DFT). */
function fitTone(x: Float32Array, freq: number, rate: number, from: number, to: number) {
  let s = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * freq * i) / rate;
    s += (x[i] as number) * Math.sin(w);
    c += (x[i] as number) * Math.cos(w);
  }
  const n = to - from;
  return { sinAmp: (2 * s) / n, cosAmp: (2 * c) / n };
}

function rms(x: Float32Array, from: number, to: number): number {
  let e = 0;
  for (let i = from; i < to; i++) e += (x[i] as number) ** 2;
  return Math.sqrt(e / (to - from));
}

describe('resample', () => {
  it('keeps a 1 kHz sine at 1 kHz with its amplitude and phase (44.1k -> 16k)', async () => {
    const x = tone(1000, 44100, 1, 0.5);
    const y = await resample(x, 44100, 16000);
    expect(y.length).toBe(16000);
    // Whole number of cycles (1000 Hz over 1600 samples) away from the edges.
    const fit = fitTone(y, 1000, 16000, 4000, 12000);
    expect(fit.sinAmp).toBeCloseTo(0.5, 4);
    expect(Math.abs(fit.cosAmp)).toBeLessThan(1e-4);
    const ideal = tone(1000, 16000, 1, 0.5);
    expect(maxAbsDiff(y.subarray(1000, 15000), ideal.subarray(1000, 15000))).toBeLessThan(1e-4);
  });

  it('suppresses a 7 kHz tone above the 4 kHz Nyquist of an 8 kHz target by more than 100 dB', async () => {
    const x = tone(7000, 44100, 1, 0.5);
    const y = await resample(x, 44100, 8000);
    expect(y.length).toBe(8000);
    // Skip the onset/offset transients of the abrupt tone; the interior must be (near) silent.
    const attenuation = 20 * Math.log10(rms(y, 1000, 7000) / rms(x, 0, x.length));
    expect(attenuation).toBeLessThan(-100);
  });

  it('upsamples a tone without changing it (16k -> 44.1k)', async () => {
    const y = await resample(tone(440, 16000, 0.5, 0.25), 16000, 44100);
    expect(y.length).toBe(22050);
    const ideal = tone(440, 44100, 0.5, 0.25);
    expect(maxAbsDiff(y.subarray(2000, 20000), ideal.subarray(2000, 20000))).toBeLessThan(1e-4);
  });

  it('returns a copy when the rates match', async () => {
    const x = tone(100, 16000, 0.01, 0.5);
    const y = await resample(x, 16000, 16000);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
  });

  it('blocks long input itself and matches a single call exactly', async () => {
    let s = 7;
    const x = new Float32Array(30_000).map(() => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647 - 0.5;
    });
    for (const [from, to] of [
      [44100, 16000],
      [16000, 48000],
      [22050, 16000],
    ] as const) {
      const whole = await resample(x, from, to);
      const blocked = await resampleBlocked(x, from, to, 12_000);
      expect(blocked.length).toBe(Math.round((x.length * to) / from));
      expect(maxAbsDiff(blocked, whole)).toBeLessThan(1e-6);
    }
  });

  it('rejects bad rates and non-finite samples with typed errors', async () => {
    const x = new Float32Array(100);
    await expect(resample(x, 0, 16000)).rejects.toBeInstanceOf(FeatureConfigError);
    await expect(resample(x, 44100.5, 16000)).rejects.toMatchObject({
      code: 'INVALID_SAMPLE_RATE',
      field: 'fromRate',
    });
    await expect(resample(x, 44100, 400_000)).rejects.toMatchObject({ field: 'toRate' });
    x[42] = NaN;
    await expect(resample(x, 44100, 16000)).rejects.toBeInstanceOf(FeatureInputError);
    await expect(resample(x, 44100, 16000)).rejects.toMatchObject({ code: 'NON_FINITE_SAMPLE', index: 42 });
  });
});
