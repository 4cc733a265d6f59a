export type GeneratorErrorCode =
  /** A generator folder that is missing files, or whose description or graphs do not fit. */
  | 'BAD_FOLDER'
  /** Latents of the wrong size, non-finite values, or a truncation outside [0, 1]. */
  | 'BAD_LATENT';

export class GeneratorError extends Error {
  override name = 'GeneratorError';
  constructor(
    readonly code: GeneratorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
