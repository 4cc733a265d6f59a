import { Rng } from '@soundedit/models';
import { describe, expect, it } from 'vitest';
import {
  Biquad,
  bandpassCoefficients,
  highpass,
  lowpass,
  lowpassCoefficients,
  peakingCoefficients,
  type BiquadCoefficients,
} from './biquad.ts';
import { adsr, expDecay, smoothRandomCurve } from './envelope.ts';
import { limitPeaks, normaliseRms, peak, rms, rmsDbfs } from './loudness.ts';
import { brownNoise, pinkNoise, whiteNoise } from './noise.ts';
import { reverb } from './reverb.ts';
import { formantFilter, glottalSource, syllable } from './voice.ts';

const SR = 16_000;

function sine(hz: number, n = SR, sampleRate = SR): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / sampleRate));
}

/** Steady-state gain of a filter at `hz`: RMS out / RMS in over the second half (past the transient). */
function gainAt(c: BiquadCoefficients, hz: number): number {
  const x = sine(hz);
  const y = new Biquad(c).process(x);
  return rms(y.subarray(SR / 2)) / rms(x.subarray(SR / 2));
}

/** Mean power of `x` between lo and hi Hz from `bins` DFT bins (enough for slopes and peaks). */
function bandPower(x: Float32Array, lo: number, hi: number, bins = 16, sampleRate = SR): number {
  let p = 0;
  for (let f = lo; f < hi; f += (hi - lo) / bins) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < x.length; i++) {
      re += (x[i] as number) * Math.cos((2 * Math.PI * f * i) / sampleRate);
      im += (x[i] as number) * Math.sin((2 * Math.PI * f * i) / sampleRate);
    }
    p += (re * re + im * im) / x.length;
  }
  return p / bins;
}

describe('biquad designs', () => {
  it('low-pass passes below the cutoff and attenuates two octaves above by about 24 dB', () => {
    expect(gainAt(lowpassCoefficients(SR, 1000), 100)).toBeCloseTo(1, 2);
    expect(20 * Math.log10(gainAt(lowpassCoefficients(SR, 1000), 4000))).toBeLessThan(-20);
  });

  it('high-pass does the opposite', () => {
    const hp = (x: Float32Array): Float32Array => highpass(x, SR, 1000);
    expect(rms(hp(sine(4000)).subarray(SR / 2))).toBeCloseTo(Math.SQRT1_2, 2);
    expect(rms(hp(sine(100)).subarray(SR / 2))).toBeLessThan(0.02);
  });

  it('band-pass has unity gain at its centre and narrows with Q', () => {
    expect(gainAt(bandpassCoefficients(SR, 1500, 5), 1500)).toBeCloseTo(1, 2);
    expect(gainAt(bandpassCoefficients(SR, 1500, 20), 2000)).toBeLessThan(
      gainAt(bandpassCoefficients(SR, 1500, 2), 2000),
    );
  });

  it('peaking EQ boosts its centre by the requested dB and leaves distant frequencies alone', () => {
    expect(20 * Math.log10(gainAt(peakingCoefficients(SR, 800, 4, 12), 800))).toBeCloseTo(12, 1);
    expect(gainAt(peakingCoefficients(SR, 800, 4, 12), 6000)).toBeCloseTo(1, 1);
  });

  it('clamps designs above Nyquist instead of producing an unstable filter', () => {
    const y = lowpass(whiteNoise(new Rng(1), SR), SR, 30_000);
    expect(y.every(Number.isFinite)).toBe(true);
  });
});

describe('noise', () => {
  it('is reproducible from the seed and unit variance', () => {
    expect(whiteNoise(new Rng(3), 1000)).toEqual(whiteNoise(new Rng(3), 1000));
    expect(whiteNoise(new Rng(3), 1000)).not.toEqual(whiteNoise(new Rng(4), 1000));
    expect(rms(whiteNoise(new Rng(3), 50_000))).toBeCloseTo(1, 1);
  });

  it('pink falls about 3 dB and brown about 6 dB per octave, white stays flat', () => {
    const slope = (x: Float32Array): number =>
      // dB per octave between the octaves at 250-500 Hz and 1-2 kHz, two octaves apart.
      (10 * Math.log10(bandPower(x, 1000, 2000, 96) / bandPower(x, 250, 500, 96))) / 2;
    const n = 8192;
    expect(Math.abs(slope(whiteNoise(new Rng(5), n)))).toBeLessThan(1.5);
    expect(slope(pinkNoise(new Rng(5), n))).toBeGreaterThan(-5);
    expect(slope(pinkNoise(new Rng(5), n))).toBeLessThan(-1.5);
    expect(slope(brownNoise(new Rng(5), n, SR))).toBeLessThan(-4.5);
  });
});

describe('envelopes', () => {
  it('adsr opens from near zero, holds the sustain and closes at the end', () => {
    const e = adsr(SR, SR, { attackS: 0.1, decayS: 0.1, sustain: 0.5, releaseS: 0.2 });
    expect(e[0]).toBeLessThan(0.01);
    expect(Math.max(...e)).toBeCloseTo(1, 3);
    expect(e[SR / 2]).toBeCloseTo(0.5, 3);
    expect(e[SR - 1]).toBeLessThan(0.01);
  });

  it('adsr shorter than attack + release still rises and falls', () => {
    const e = adsr(100, SR, { attackS: 0.1, decayS: 0.1, sustain: 0.5, releaseS: 0.1 });
    expect(Math.max(...e)).toBeGreaterThan(0.9);
    expect(e[99]).toBeLessThan(0.05);
  });

  it('expDecay falls to 1/e after tau; smoothRandomCurve stays in [0, 1]', () => {
    expect(expDecay(SR, SR, 0.25)[SR / 4]).toBeCloseTo(Math.exp(-1), 3);
    const c = smoothRandomCurve(new Rng(2), SR, SR, 3);
    expect(Math.min(...c)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...c)).toBeLessThanOrEqual(1);
  });
});

describe('loudness', () => {
  it('normalises RMS to the target', () => {
    expect(rmsDbfs(normaliseRms(whiteNoise(new Rng(1), SR), -23))).toBeCloseTo(-23, 6);
  });

  it('the limiter holds the ceiling and leaves quiet passages untouched', () => {
    const x = whiteNoise(new Rng(1), SR, 0.05);
    x[SR / 2] = 4;
    const before = x[100] as number;
    limitPeaks(x, SR, { ceiling: 0.9 });
    expect(peak(x)).toBeLessThanOrEqual(0.9);
    expect(x[100]).toBeCloseTo(before, 6);
  });
});

describe('reverb', () => {
  it('is a no-op when dry and gives a tail that decays at about the requested RT60', () => {
    const impulse = new Float32Array(2 * SR);
    impulse[0] = 1;
    expect(reverb(impulse, SR, { rt60S: 0.5, wet: 0, size: 1, damping: 0, preDelayS: 0 })).toEqual(impulse);
    const y = reverb(impulse, SR, { rt60S: 0.5, wet: 1, size: 1, damping: 0, preDelayS: 0 });
    const early = rms(y.subarray(Math.round(0.1 * SR), Math.round(0.2 * SR)));
    const late = rms(y.subarray(Math.round(0.35 * SR), Math.round(0.45 * SR)));
    // 0.25 s apart at RT60 0.5 s: 30 dB down, give or take the combs' beating.
    expect(20 * Math.log10(late / early)).toBeLessThan(-20);
    expect(20 * Math.log10(late / early)).toBeGreaterThan(-40);
  });
});

describe('voice', () => {
  it('the glottal source repeats at the requested pitch', () => {
    const f0 = new Float32Array(SR).fill(200);
    const { pulses } = glottalSource(new Rng(1), f0, SR, { jitter: 0, shimmer: 0, openQuotient: 0.6 });
    // Autocorrelation peaks at one period (80 samples at 200 Hz), not at neighbouring lags.
    const ac = (lag: number): number =>
      pulses.subarray(lag).reduce((s, v, i) => s + v * (pulses[i] as number), 0);
    expect(ac(80)).toBeGreaterThan(0.9 * ac(0));
    expect(ac(80)).toBeGreaterThan(ac(60));
    expect(ac(80)).toBeGreaterThan(ac(100));
  });

  it('the formant cascade makes its formants the loudest regions', () => {
    const y = formantFilter(whiteNoise(new Rng(1), SR), SR, [
      { hz: 700, bandwidthHz: 80 },
      { hz: 1800, bandwidthHz: 100 },
    ]);
    expect(bandPower(y, 650, 750)).toBeGreaterThan(10 * bandPower(y, 1100, 1300));
    expect(bandPower(y, 1750, 1850)).toBeGreaterThan(10 * bandPower(y, 3000, 3200));
  });

  it('a syllable is finite, unit RMS, and deterministic', () => {
    const options = {
      durationS: 0.2,
      pitchHz: [300, 330, 280],
      vowel: 'a' as const,
      formantScale: 1.15,
      breathiness: 0.4,
      aspirationS: 0.02,
      jitter: 0.02,
      shimmer: 0.1,
      tremorHz: 6,
      tremorDepth: 0.05,
      attackS: 0.01,
      releaseS: 0.03,
    };
    const a = syllable(new Rng(9), SR, options);
    expect(a.length).toBe(0.2 * SR);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(rms(a)).toBeCloseTo(1, 3);
    expect(syllable(new Rng(9), SR, options)).toEqual(a);
  });
});
