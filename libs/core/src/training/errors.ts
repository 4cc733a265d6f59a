/** Typed errors for the training losses: a loss configured so it cannot be built. */

export type TrainingErrorCode =
  /** Every contrastive term is switched off (weight 0 or its embedding batch omitted). */
  | 'NO_TERMS'
  /** A term weight that is negative or not finite. */
  | 'BAD_WEIGHT'
  /** A temperature or logit-scale bound that is not a finite positive number, or an initial scale above its bound. */
  | 'BAD_TEMPERATURE'
  /** An L2-normalisation epsilon that is not positive or vanishes in float32 once squared. */
  | 'BAD_EPSILON';

export class TrainingError extends Error {
  readonly code: TrainingErrorCode;
  /** The option the problem is about. */
  readonly subject: string | undefined;

  constructor(code: TrainingErrorCode, message: string, options: { subject?: string } = {}) {
    super(message);
    this.name = 'TrainingError';
    this.code = code;
    this.subject = options.subject;
  }
}
