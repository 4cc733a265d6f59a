export const AUDIO_ENCODER_CONFIG_ERROR_CODES = [
  'NOT_AN_OBJECT',
  'UNKNOWN_OPTION',
  'INVALID_ARCH',
  'INVALID_OUTPUT_DIM',
  'INVALID_CLIP_LENGTH',
  'INVALID_CROP',
  'INVALID_BATCH_SIZE',
  'INVALID_WIDTH',
  'INVALID_LOG_MEL',
  'INPUT_TOO_SMALL',
] as const;
export type AudioEncoderConfigErrorCode = (typeof AUDIO_ENCODER_CONFIG_ERROR_CODES)[number];

/** An audio-encoder config (from a pack manifest) that cannot be used; `field` names the setting. */
export class AudioEncoderConfigError extends Error {
  override name = 'AudioEncoderConfigError';
  constructor(
    readonly code: AudioEncoderConfigErrorCode,
    /** Dotted path of the offending setting, e.g. `logMel.nFft`. */
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${message}`, options);
  }
}

export const AUDIO_EMBED_ERROR_CODES = [
  'NO_INPUT',
  'SESSION_MISMATCH',
  'BAD_EMBEDDING',
  'BAD_FOLDER',
] as const;
export type AudioEmbedErrorCode = (typeof AUDIO_EMBED_ERROR_CODES)[number];

/**
 * The embedding pipeline itself failed: nothing to embed, a session built for another config, a
 * model that produced unusable vectors, or an encoder folder that is damaged. Bad uploads stay AudioDecodeError / FeatureInputError.
 */
export class AudioEmbedError extends Error {
  override name = 'AudioEmbedError';
  constructor(
    readonly code: AudioEmbedErrorCode,
    message: string,
    /** Index of the clip concerned, when there is one. */
    readonly clip?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
