export const IMAGE_DECODE_ERROR_CODES = ['EMPTY', 'TOO_LARGE', 'UNSUPPORTED_FORMAT', 'CORRUPT'] as const;
export type ImageDecodeErrorCode = (typeof IMAGE_DECODE_ERROR_CODES)[number];

/** Why an image could not be turned into pixels; `message` is written for the person who sent it. */
export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
  constructor(
    readonly code: ImageDecodeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
