export type ImageEncoderErrorCode =
  /** An image-encoder folder that is missing files, or whose description or graph does not fit. */
  | 'BAD_FOLDER'
  /** Preprocessing settings that cannot be used (size, mean, std). */
  | 'BAD_CONFIG';

export class ImageEncoderError extends Error {
  override name = 'ImageEncoderError';
  constructor(
    readonly code: ImageEncoderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
