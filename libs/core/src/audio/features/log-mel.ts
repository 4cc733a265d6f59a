import { FeatureConfigError } from './errors.ts';
import {
  applyMelFilterbank,
  melFilterbank,
  validateMelFilterConfig,
  type MelFilterbank,
  type MelNorm,
  type MelScale,
} from './mel.ts';
import { powerSpectrogram, validateStftConfig, frameCount, type PadMode, type Spectrogram } from './stft.ts';
import { checkBoolean, checkNumber } from './validate.ts';

/** librosa.power_to_db's default floor on the power before the log. */
export const AMIN = 1e-10;
/** The paper's normalisation is a fixed db / 80 + 1, whatever topDb is. */
export const NORMALISE_DB_RANGE = 80;

/** A pack's log-mel front end; field meanings follow librosa.feature.melspectrogram + power_to_db. */
export interface LogMelConfig {
  sampleRate: number;
  nFft: number;
  hop: number;
  winLength: number;
  nMels: number;
  fmin: number;
  /** null means sampleRate / 2. */
  fmax: number | null;
  center: boolean;
  padMode: PadMode;
  /** Exponent on |STFT| before the filterbank: 2 power (librosa default), 1 magnitude. */
  power: number;
  norm: MelNorm;
  melScale: MelScale;
  /** dB reference: a fixed value (librosa default 1.0) or 'max' for np.max (0 dB at the loudest cell). */
  ref: 'max' | number;
  /** Floor at (max dB - topDb) over the whole spectrogram; null for no floor. */
  topDb: number | null;
  /** Map dB to db / 80 + 1 (with ref 'max' and topDb 80 that is [0, 1]). */
  normalise: boolean;
}

const FIELDS: ReadonlyArray<keyof LogMelConfig> = [
  'sampleRate',
  'nFft',
  'hop',
  'winLength',
  'nMels',
  'fmin',
  'fmax',
  'center',
  'padMode',
  'power',
  'norm',
  'melScale',
  'ref',
  'topDb',
  'normalise',
];

/** librosa's defaults at a given rate: n_fft 2048, hop 512, 128 Slaney mels, power 2, ref 1, top_db 80. */
export function librosaLogMelDefaults(sampleRate: number): LogMelConfig {
  return {
    sampleRate,
    nFft: 2048,
    hop: 512,
    winLength: 2048,
    nMels: 128,
    fmin: 0,
    fmax: null,
    center: true,
    padMode: 'constant',
    power: 2,
    norm: 'slaney',
    melScale: 'slaney',
    ref: 1,
    topDb: 80,
    normalise: false,
  };
}

/**
 * The paper's front end as its issue states it (44.1 kHz, 128 mels, power_to_db / 80 + 1) on
 * librosa's defaults; ref 'max' is what makes db / 80 + 1 land in [0, 1]. Packs override fields.
 */
export const PAPER_LOG_MEL_CONFIG: Readonly<LogMelConfig> = Object.freeze({
  ...librosaLogMelDefaults(44_100),
  ref: 'max',
  normalise: true,
});

/** Checks every field (and rejects unknown ones, so a typo in a manifest is not silently ignored). */
export function validateLogMelConfig(config: LogMelConfig): LogMelConfig {
  if (typeof config !== 'object' || config === null) {
    throw new FeatureConfigError('UNKNOWN_OPTION', 'config', 'expected a log-mel config object');
  }
  for (const key of Object.keys(config)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw new FeatureConfigError(
        'UNKNOWN_OPTION',
        key,
        `not a log-mel setting (known: ${FIELDS.join(', ')})`,
      );
    }
  }
  const stft = validateStftConfig(config);
  const mel = validateMelFilterConfig(config);
  return {
    ...stft,
    ...mel,
    ...validateDbOptions(config),
    normalise: checkBoolean('normalise', config.normalise),
  };
}

export interface DbOptions {
  ref: 'max' | number;
  topDb: number | null;
}

function validateDbOptions(options: DbOptions): DbOptions {
  const ref =
    options.ref === 'max'
      ? 'max'
      : checkNumber('INVALID_DB_SETTING', 'ref', options.ref, { min: 0, minExclusive: true });
  const topDb =
    options.topDb === null ? null : checkNumber('INVALID_DB_SETTING', 'topDb', options.topDb, { min: 0 });
  return { ref, topDb };
}

/** librosa.power_to_db: 10 log10(max(amin, |S|)) - 10 log10(max(amin, ref)), floored at max - topDb. */
export function powerToDb(spec: Spectrogram, options: DbOptions): Spectrogram {
  const { ref, topDb } = validateDbOptions(options);
  const n = spec.data.length;
  let refValue: number;
  if (ref === 'max') {
    refValue = 0;
    for (let i = 0; i < n; i++) refValue = Math.max(refValue, Math.abs(spec.data[i] as number));
  } else {
    refValue = ref;
  }
  const offset = 10 * Math.log10(Math.max(AMIN, refValue));
  const db = new Float64Array(n);
  let maxDb = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = 10 * Math.log10(Math.max(AMIN, Math.abs(spec.data[i] as number))) - offset;
    db[i] = v;
    if (v > maxDb) maxDb = v;
  }
  if (topDb !== null) {
    const floor = maxDb - topDb;
    for (let i = 0; i < n; i++) if ((db[i] as number) < floor) db[i] = floor;
  }
  return { rows: spec.rows, cols: spec.cols, data: Float32Array.from(db) };
}

/** The paper's db / 80 + 1, into a new spectrogram. */
export function normaliseDb(spec: Spectrogram): Spectrogram {
  const data = new Float32Array(spec.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (spec.data[i] as number) / NORMALISE_DB_RANGE + 1;
  return { rows: spec.rows, cols: spec.cols, data };
}

/**
 * Log-mel for one pack config; validates once and reuses the filterbank and FFT plan across
 * clips. Input is mono at `config.sampleRate` (downmix and resample first).
 */
export class LogMelExtractor {
  readonly config: Readonly<LogMelConfig>;
  readonly filterbank: MelFilterbank;

  constructor(config: LogMelConfig) {
    this.config = Object.freeze(validateLogMelConfig(config));
    this.filterbank = melFilterbank(this.config);
  }

  /** Frames produced for a clip of `nSamples` samples (0 if too short for center=false). */
  frames(nSamples: number): number {
    return frameCount(nSamples, this.config);
  }

  /** (nMels, frames), row-major. */
  compute(samples: Float32Array): Spectrogram {
    const c = this.config;
    const mel = applyMelFilterbank(this.filterbank, powerSpectrogram(samples, c));
    const db = powerToDb(mel, c);
    return c.normalise ? normaliseDb(db) : db;
  }
}

export function logMelSpectrogram(samples: Float32Array, config: LogMelConfig): Spectrogram {
  return new LogMelExtractor(config).compute(samples);
}
