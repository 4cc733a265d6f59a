/** Typed errors and row problems for datasets read from disk. */

export const DATASET_ERROR_CODES = [
  /** A file the dataset names (metadata, audio, image) or its root folder is not on disk. */
  'MISSING_FILE',
  /** The file exists but cannot be read (permissions, a folder where a file should be). */
  'FILE_UNREADABLE',
  /** CSV syntax: unterminated quote, stray quote, a row with the wrong field count, a bad header. */
  'BAD_CSV',
  /** The header lacks a column the loader needs. */
  'MISSING_COLUMN',
  /** A cell the loader needs is empty. */
  'EMPTY_VALUE',
  /** A cell holds something the layout does not allow (a fold that is not a positive integer, a path in a file name). */
  'BAD_VALUE',
  /** Metadata disagrees with itself or with the disk (class id mapped to two names, file size, class folder). */
  'INCONSISTENT',
  /** The same clip listed twice where the layout lists each clip once. */
  'DUPLICATE',
  /** An audio file on disk that the metadata does not list. */
  'UNLISTED_FILE',
  /** No usable item is left. */
  'EMPTY',
  /** A loader or split option out of range. */
  'INVALID_OPTION',
] as const;

export type DatasetErrorCode = (typeof DATASET_ERROR_CODES)[number];

/** Where a problem was found: the file and, for CSV rows, the line the record starts on and its data-row number. */
export interface DatasetLocation {
  file?: string;
  /** 1-based physical line of the file (quoted newlines make this differ from the row number). */
  line?: number;
  /** 1-based data row, the header not counted. */
  row?: number;
}

/** A rejected row or file, collected instead of thrown unless the loader runs fail-fast. */
export interface DatasetProblem extends DatasetLocation {
  code: DatasetErrorCode;
  message: string;
}

export class DatasetError extends Error {
  readonly code: DatasetErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly row: number | undefined;
  /** For EMPTY: every problem that left the dataset empty. */
  readonly problems: readonly DatasetProblem[];

  constructor(
    code: DatasetErrorCode,
    message: string,
    options: DatasetLocation & { cause?: unknown; problems?: readonly DatasetProblem[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DatasetError';
    this.code = code;
    this.file = options.file;
    this.line = options.line;
    this.row = options.row;
    this.problems = options.problems ?? [];
  }

  static fromProblem(problem: DatasetProblem): DatasetError {
    return new DatasetError(problem.code, problem.message, problem);
  }
}

export function isDatasetError(value: unknown): value is DatasetError {
  return value instanceof DatasetError;
}

/** "file:line (row n): text", leaving out whatever is unknown, so every message names its place. */
export function describeLocation(at: DatasetLocation): string {
  if (at.file === undefined) return '';
  const line = at.line === undefined ? '' : `:${at.line}`;
  const row = at.row === undefined ? '' : ` (row ${at.row})`;
  return `${at.file}${line}${row}: `;
}

/** Build a problem whose message starts with its location. */
export function problem(code: DatasetErrorCode, text: string, at: DatasetLocation = {}): DatasetProblem {
  return { code, message: `${describeLocation(at)}${text}`, ...at };
}

/** Collects row problems, or throws the first one when the caller asked to fail fast. */
export class ProblemLog {
  readonly problems: DatasetProblem[] = [];

  constructor(private readonly failFast: boolean) {}

  add(p: DatasetProblem): void {
    if (this.failFast) throw DatasetError.fromProblem(p);
    this.problems.push(p);
  }
}
