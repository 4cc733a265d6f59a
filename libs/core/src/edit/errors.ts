export type EditErrorCode =
  /** A setting out of range or not a number (steps, lr, lambdas, layer ranges, seeds). */
  | 'BAD_SETTING'
  /** A latent, embedding or guidance of the wrong size, or not finite. */
  | 'BAD_INPUT'
  /** The settings need a network the pack does not have (an identity loss without an identity encoder). */
  | 'MISSING_PART';

/** An edit that cannot start: found before any heavy work, with the setting it is about. */
export class EditError extends Error {
  override name = 'EditError';
  constructor(
    readonly code: EditErrorCode,
    message: string,
    readonly subject?: string,
  ) {
    super(message);
  }
}
