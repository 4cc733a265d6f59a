/** Typed errors for contrastive training: a loss or run configured so it cannot work, or a run folder that does not fit. */

export type TrainingErrorCode =
  /** Every contrastive term is switched off (weight 0 or its embedding batch omitted). */
  | 'NO_TERMS'
  /** A term weight that is negative or not finite. */
  | 'BAD_WEIGHT'
  /** A temperature or logit-scale bound that is not a finite positive number, or an initial scale above its bound. */
  | 'BAD_TEMPERATURE'
  /** An L2-normalisation epsilon that is not positive or vanishes in float32 once squared. */
  | 'BAD_EPSILON'
  /** A batch below 2 clips, or larger than the training set. */
  | 'BAD_BATCH_SIZE'
  /** The audio encoder's output size differs from the frozen encoders' embedding size. */
  | 'BAD_DIMENSION'
  /** A trainer option out of range (steps, learning rate, intervals, augmentation). */
  | 'BAD_OPTION'
  /** The data cannot train this run: too few clips, a term whose partner data is missing. */
  | 'BAD_DATA'
  /** A run folder holds a different run (its run.json disagrees) or a damaged checkpoint. */
  | 'RUN_MISMATCH'
  /** The loss or a gradient became NaN or infinite; the last checkpoint is intact. */
  | 'DIVERGED';

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
