export const PACK_ERROR_CODES = [
  /** No pack by that name in any search folder, or the folder has no manifest.json. */
  'NOT_FOUND',
  /** manifest.json is not JSON, or breaks the schema or the rules the schema cannot say. */
  'BAD_MANIFEST',
  /** A file the manifest lists is missing, has another size, or another SHA-256. */
  'BAD_FILE',
  /** A part's description file is missing or describes another kind of part. */
  'BAD_PART',
] as const;
export type PackErrorCode = (typeof PACK_ERROR_CODES)[number];

export class PackError extends Error {
  override name = 'PackError';
  constructor(
    readonly code: PackErrorCode,
    message: string,
    /** Every problem found, when there were several (validation reports them all at once). */
    readonly problems: readonly string[] = [message],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
