import { FeatureInputError } from './errors.ts';
import { realFft } from './fft.ts';
import {
  assertFiniteSamples,
  assertNonEmpty,
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
} from './validate.ts';

export const PAD_MODES = ['constant', 'reflect'] as const;
export type PadMode = (typeof PAD_MODES)[number];

export interface StftConfig {
  nFft: number;
  hop: number;
  /** Hann window length, <= nFft; the window is zero-padded to nFft, centred (librosa, torch). */
  winLength: number;
  /** Pad nFft / 2 samples each side so frame t is centred on sample t * hop. */
  center: boolean;
  padMode: PadMode;
  /** 1 for magnitude, 2 for power (any positive exponent of |X| is accepted, as librosa does). */
  power: number;
}

/** Row-major (rows, cols): bins x frames for spectrograms, mels x frames after the filterbank. */
export interface Spectrogram {
  rows: number;
  cols: number;
  data: Float32Array;
}

export const MAX_N_FFT = 1 << 20;

export function validateStftConfig(config: StftConfig): StftConfig {
  const nFft = checkInteger('INVALID_N_FFT', 'nFft', config.nFft, 2, MAX_N_FFT);
  return {
    nFft,
    hop: checkInteger('INVALID_HOP', 'hop', config.hop, 1),
    winLength: checkInteger('INVALID_WIN_LENGTH', 'winLength', config.winLength, 1, nFft),
    center: checkBoolean('center', config.center),
    padMode: checkOneOf('padMode', config.padMode, PAD_MODES),
    power: checkNumber('INVALID_POWER', 'power', config.power, { min: 0, minExclusive: true }),
  };
}

/** Hann window; periodic (the DFT-even form of get_window('hann', fftbins=True)) by default. */
export function hannWindow(length: number, periodic = true): Float64Array {
  checkInteger('INVALID_WIN_LENGTH', 'winLength', length, 1);
  const w = new Float64Array(length);
  if (length === 1) {
    w[0] = 1;
    return w;
  }
  const denom = periodic ? length : length - 1;
  for (let i = 0; i < length; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / denom);
  return w;
}

/** Frames an STFT of `nSamples` samples produces (librosa's count), or 0 if it is too short. */
export function frameCount(nSamples: number, config: Pick<StftConfig, 'nFft' | 'hop' | 'center'>): number {
  if (config.center) return 1 + Math.floor(nSamples / config.hop);
  return nSamples < config.nFft ? 0 : 1 + Math.floor((nSamples - config.nFft) / config.hop);
}

/** |STFT|^power, computed in float64 and returned as (1 + nFft/2) x frames. */
export function powerSpectrogram(samples: Float32Array, config: StftConfig): Spectrogram {
  const c = validateStftConfig(config);
  assertNonEmpty(samples, 'stft');
  assertFiniteSamples(samples, 'stft');
  const padded = padSignal(samples, c);
  const frames = frameCount(samples.length, c);
  const bins = (c.nFft >> 1) + 1;

  const fft = realFft(c.nFft);
  const window = hannWindow(c.winLength);
  const offset = (c.nFft - c.winLength) >> 1;
  const frame = new Float64Array(c.nFft);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const out = new Float32Array(bins * frames);
  const half = c.power / 2;

  for (let t = 0; t < frames; t++) {
    const start = t * c.hop + offset;
    for (let i = 0; i < c.winLength; i++) {
      frame[offset + i] = (padded[start + i] as number) * (window[i] as number);
    }
    fft.forward(frame, re, im);
    for (let k = 0; k < bins; k++) {
      const r = re[k] as number;
      const m = im[k] as number;
      const mag2 = r * r + m * m;
      out[k * frames + t] = half === 1 ? mag2 : Math.pow(mag2, half);
    }
  }
  return { rows: bins, cols: frames, data: out };
}

function padSignal(x: Float32Array, c: StftConfig): Float64Array {
  const n = x.length;
  if (!c.center) {
    if (n < c.nFft) {
      throw new FeatureInputError(
        'SIGNAL_TOO_SHORT',
        `stft: ${n} samples is shorter than nFft ${c.nFft} with center=false`,
      );
    }
    return Float64Array.from(x);
  }
  const p = c.nFft >> 1;
  const out = new Float64Array(n + 2 * p);
  out.set(x, p);
  if (c.padMode === 'reflect') {
    // Mirror without repeating the edge sample (numpy 'reflect'); like torch, needs p < n.
    if (p >= n) {
      throw new FeatureInputError(
        'SIGNAL_TOO_SHORT',
        `stft: reflect padding of ${p} samples needs more than ${p} samples, got ${n}`,
      );
    }
    for (let i = 1; i <= p; i++) {
      out[p - i] = x[i] as number;
      out[p + n - 1 + i] = x[n - 1 - i] as number;
    }
  }
  return out;
}
