import { FeatureConfigError, FeatureInputError } from './errors.ts';
import { MAX_N_FFT, type Spectrogram } from './stft.ts';
import { checkInteger, checkNumber, checkOneOf } from './validate.ts';

export const MEL_SCALES = ['slaney', 'htk'] as const;
export type MelScale = (typeof MEL_SCALES)[number];
export const MEL_NORMS = ['slaney'] as const;
/** 'slaney' divides each triangle by its width in Hz (constant energy per band); null leaves peaks at 1. */
export type MelNorm = (typeof MEL_NORMS)[number] | null;

export const MIN_FEATURE_RATE = 1000;
export const MAX_FEATURE_RATE = 192_000;

export interface MelFilterConfig {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fmin: number;
  /** Upper edge in Hz; null means sampleRate / 2 (librosa's fmax=None). */
  fmax: number | null;
  norm: MelNorm;
  melScale: MelScale;
}

export interface MelFilterbank {
  nMels: number;
  /** 1 + nFft / 2. */
  nFreqs: number;
  /** Row-major (nMels, nFreqs), as librosa.filters.mel lays it out. */
  weights: Float64Array;
  /** Bands with no FFT bin under them (too many mels for nFft); librosa only warns about these. */
  emptyFilters: number[];
  /** Per band, the half-open range of bins with non-zero weight, so applying it skips the zeros. */
  support: ReadonlyArray<readonly [number, number]>;
}

// Slaney's scale: linear below 1 kHz (200/3 Hz per mel), logarithmic above (27 mels per factor 6.4).
const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

export function hzToMel(hz: number, scale: MelScale = 'slaney'): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
}

export function melToHz(mel: number, scale: MelScale = 'slaney'): number {
  if (scale === 'htk') return 700 * (Math.pow(10, mel / 2595) - 1);
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

export function validateMelFilterConfig(config: MelFilterConfig): MelFilterConfig {
  const sampleRate = checkInteger(
    'INVALID_SAMPLE_RATE',
    'sampleRate',
    config.sampleRate,
    MIN_FEATURE_RATE,
    MAX_FEATURE_RATE,
  );
  const nyquist = sampleRate / 2;
  const fmin = checkNumber('INVALID_FREQUENCY_RANGE', 'fmin', config.fmin, { min: 0, max: nyquist });
  const fmax =
    config.fmax === null
      ? null
      : checkNumber('INVALID_FREQUENCY_RANGE', 'fmax', config.fmax, { min: 0, max: nyquist });
  if ((fmax ?? nyquist) <= fmin) {
    throw new FeatureConfigError(
      'INVALID_FREQUENCY_RANGE',
      'fmax',
      `fmax (${fmax ?? `${nyquist}, the Nyquist frequency`}) must be above fmin (${fmin})`,
    );
  }
  return {
    sampleRate,
    nFft: checkInteger('INVALID_N_FFT', 'nFft', config.nFft, 2, MAX_N_FFT),
    nMels: checkInteger('INVALID_N_MELS', 'nMels', config.nMels, 1, 4096),
    fmin,
    fmax,
    norm: config.norm === null ? null : checkOneOf('norm', config.norm, MEL_NORMS),
    melScale: checkOneOf('melScale', config.melScale, MEL_SCALES),
  };
}

/** Triangular filters evenly spaced on the mel scale, with librosa.filters.mel's exact arithmetic. */
export function melFilterbank(config: MelFilterConfig): MelFilterbank {
  const c = validateMelFilterConfig(config);
  const nFreqs = (c.nFft >> 1) + 1;
  const fmax = c.fmax ?? c.sampleRate / 2;

  // rfftfreq's spacing, computed as numpy does so bin centres agree to the last bit.
  const binHz = 1 / (c.nFft * (1 / c.sampleRate));
  const melMin = hzToMel(c.fmin, c.melScale);
  const melMax = hzToMel(fmax, c.melScale);
  const points = c.nMels + 2;
  const step = (melMax - melMin) / (points - 1);
  const edges = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    edges[i] = melToHz(i === points - 1 ? melMax : i * step + melMin, c.melScale);
  }

  const weights = new Float64Array(c.nMels * nFreqs);
  const support: Array<readonly [number, number]> = [];
  const emptyFilters: number[] = [];
  for (let m = 0; m < c.nMels; m++) {
    const lo = edges[m] as number;
    const mid = edges[m + 1] as number;
    const hi = edges[m + 2] as number;
    const scale = c.norm === 'slaney' ? 2 / (hi - lo) : 1;
    let first = -1;
    let last = -1;
    for (let k = 0; k < nFreqs; k++) {
      const f = k * binHz;
      const w = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
      if (w > 0) {
        weights[m * nFreqs + k] = w * scale;
        if (first < 0) first = k;
        last = k;
      }
    }
    if (first < 0) emptyFilters.push(m);
    support.push(first < 0 ? [0, 0] : [first, last + 1]);
  }
  return { nMels: c.nMels, nFreqs, weights, emptyFilters, support };
}

/** mel = W @ S for a (nFreqs, frames) spectrogram; float64 accumulation, float32 out. */
export function applyMelFilterbank(fb: MelFilterbank, spec: Spectrogram): Spectrogram {
  if (spec.rows !== fb.nFreqs) {
    throw new FeatureInputError(
      'SHAPE_MISMATCH',
      `mel: spectrogram has ${spec.rows} frequency bins, the filterbank expects ${fb.nFreqs}`,
    );
  }
  const frames = spec.cols;
  const out = new Float32Array(fb.nMels * frames);
  const acc = new Float64Array(frames);
  for (let m = 0; m < fb.nMels; m++) {
    acc.fill(0);
    const [from, to] = fb.support[m] ?? [0, 0];
    for (let k = from; k < to; k++) {
      const w = fb.weights[m * fb.nFreqs + k] as number;
      if (w === 0) continue;
      const row = k * frames;
      for (let t = 0; t < frames; t++) acc[t] = (acc[t] as number) + w * (spec.data[row + t] as number);
    }
    out.set(acc, m * frames);
  }
  return { rows: fb.nMels, cols: frames, data: out };
}
