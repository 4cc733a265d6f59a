export const AUDIO_DECODE_ERROR_CODES = [
  'EMPTY',
  'TOO_LARGE',
  'UNSUPPORTED_FORMAT',
  'CORRUPT',
  'TRUNCATED',
  'TOO_LONG',
  'TIMEOUT',
  'FFMPEG_MISSING',
  'NO_AUDIO',
] as const;

export type AudioDecodeErrorCode = (typeof AUDIO_DECODE_ERROR_CODES)[number];

/**
 * Why an upload could not be turned into samples. `message` is written for the person who sent the
 * file (what is wrong and what to do); `code` is for programs (HTTP status, retry policy).
 */
export class AudioDecodeError extends Error {
  override name = 'AudioDecodeError';
  constructor(
    readonly code: AudioDecodeErrorCode,
    message: string,
    /** The detected format, when detection got that far. */
    readonly format?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isAudioDecodeError(e: unknown): e is AudioDecodeError {
  return e instanceof AudioDecodeError;
}
