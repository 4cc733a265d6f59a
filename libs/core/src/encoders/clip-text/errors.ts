export type TextEncoderErrorCode =
  /** A text-encoder folder that is missing files, or whose description or graph does not fit. */
  | 'BAD_FOLDER'
  /** The tokenizer's vocabulary or row length differs from the text tower's. */
  | 'TOKENIZER_MISMATCH';

export class TextEncoderError extends Error {
  override name = 'TextEncoderError';
  constructor(
    readonly code: TextEncoderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
