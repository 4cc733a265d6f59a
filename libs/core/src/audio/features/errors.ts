/** Codes for a feature configuration that cannot be used as given. */
export type FeatureConfigErrorCode =
  | 'INVALID_SAMPLE_RATE'
  | 'INVALID_N_FFT'
  | 'INVALID_HOP'
  | 'INVALID_WIN_LENGTH'
  | 'INVALID_N_MELS'
  | 'INVALID_FREQUENCY_RANGE'
  | 'INVALID_POWER'
  | 'INVALID_DB_SETTING'
  | 'INVALID_LENGTH'
  | 'INVALID_MASK'
  | 'INVALID_SEED'
  | 'UNKNOWN_OPTION';

/** Codes for samples or spectrograms that a correctly configured stage still cannot process. */
export type FeatureInputErrorCode =
  | 'EMPTY_INPUT'
  | 'NON_FINITE_SAMPLE'
  | 'CHANNEL_LENGTH_MISMATCH'
  | 'SIGNAL_TOO_SHORT'
  | 'SHAPE_MISMATCH'
  | 'RESAMPLER_FAILED';

export class FeatureConfigError extends Error {
  readonly code: FeatureConfigErrorCode;
  /** The offending config field, e.g. `nFft`. */
  readonly field: string;

  constructor(code: FeatureConfigErrorCode, field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'FeatureConfigError';
    this.code = code;
    this.field = field;
  }
}

export class FeatureInputError extends Error {
  readonly code: FeatureInputErrorCode;
  /** Sample (or cell) index where the problem was found, when there is one. */
  readonly index: number | undefined;

  constructor(
    code: FeatureInputErrorCode,
    message: string,
    options: { index?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FeatureInputError';
    this.code = code;
    this.index = options.index;
  }
}
