/** Pieces shared by the folder + metadata layouts (ESC-50, UrbanSound8K, the project's own clips). */
import path from 'node:path';
import type { CsvRow, CsvTable } from './csv.ts';
import { problem, type DatasetProblem } from './errors.ts';

/** Location of a metadata row, for problems. */
export function rowAt(table: CsvTable, row: CsvRow): { file: string; line: number; row: number } {
  return { file: table.file, line: row.line, row: row.row };
}

/** Trimmed cell at a known column index. */
export function cellOf(row: CsvRow, index: number): string {
  return (row.fields[index] ?? '').trim();
}

/**
 * A bare file name from metadata; anything with a separator or a dot segment is refused so a
 * metadata file cannot point the loader outside the dataset's folder.
 */
export function bareNameProblem(
  name: string,
  column: string,
  at: ReturnType<typeof rowAt>,
): DatasetProblem | undefined {
  if (name === '') return problem('EMPTY_VALUE', `empty ${column} cell`, at);
  if (name.includes('/') || name.includes('\\') || name === '.' || name === '..' || path.isAbsolute(name))
    return problem('BAD_VALUE', `${column} ${JSON.stringify(name)} must be a bare file name`, at);
  return undefined;
}

/**
 * Keeps class id <-> name one-to-one across rows: the first row to use an id or name fixes it, and a
 * later row that disagrees is reported rather than silently relabelled.
 */
export class ClassMap {
  private readonly byId = new Map<number, string>();
  private readonly byName = new Map<string, number>();

  /** A problem when (id, name) contradicts an earlier row, else records the pair. */
  check(id: number, name: string, at: ReturnType<typeof rowAt>): DatasetProblem | undefined {
    const known = this.byId.get(id);
    if (known !== undefined && known !== name)
      return problem(
        'INCONSISTENT',
        `class ${id} is ${JSON.stringify(name)} here but ${JSON.stringify(known)} earlier`,
        at,
      );
    const knownId = this.byName.get(name);
    if (knownId !== undefined && knownId !== id)
      return problem(
        'INCONSISTENT',
        `class ${JSON.stringify(name)} has id ${id} here but ${knownId} earlier`,
        at,
      );
    this.byId.set(id, name);
    this.byName.set(name, id);
    return undefined;
  }

  /** Class names ordered by id (ids absent from the data are skipped, so indices match ids only for complete data). */
  names(): string[] {
    return [...this.byId.entries()].sort((a, b) => a[0] - b[0]).map(([, name]) => name);
  }
}
