/** Typed errors for evaluation input: embeddings, labels and options that cannot give a meaningful score. */

export const EVALUATION_ERROR_CODES = [
  /** No samples, no classes, or a class with no prompt embeddings. */
  'EMPTY',
  /** Two lists that must pair up one-to-one (embeddings and labels, class names and prompts, folds) differ in length. */
  'LENGTH_MISMATCH',
  /** An embedding whose length differs from the first one's. */
  'DIMENSION_MISMATCH',
  /** An embedding holding NaN or ±Infinity. */
  'NOT_FINITE',
  /** An embedding of length zero, or one of norm zero where a direction is needed (cosine scores). */
  'ZERO_VECTOR',
  /** A label that is not an integer in [0, classes). */
  'LABEL_OUT_OF_RANGE',
  /** Fewer samples (or independent groups) than the cross-validation needs. */
  'TOO_FEW_SAMPLES',
  /** Fewer than two classes where a classifier has to tell classes apart. */
  'TOO_FEW_CLASSES',
  /** An option out of range: a top-k, a fold count, a regularisation strength, an iteration limit. */
  'INVALID_OPTION',
] as const;

export type EvaluationErrorCode = (typeof EVALUATION_ERROR_CODES)[number];

export class EvaluationError extends Error {
  readonly code: EvaluationErrorCode;
  /** What the problem is about, as the caller named it: `audio[3]`, `labels[7]`, `classPrompts[2][0]`, `l2`. */
  readonly subject: string | undefined;

  constructor(
    code: EvaluationErrorCode,
    message: string,
    options: { subject?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EvaluationError';
    this.code = code;
    this.subject = options.subject;
  }
}

export function isEvaluationError(value: unknown): value is EvaluationError {
  return value instanceof EvaluationError;
}
