import { readFile } from 'node:fs/promises';

/**
 * Reads an encoder folder's JSON description and checks its format tag and version; `fail` builds
 * the caller's typed error, so each encoder reports damaged folders in its own terms.
 */
export async function readFolderDescription<T extends { format: string; version: number }>(
  file: string,
  format: T['format'],
  fail: (message: string, cause?: unknown) => Error,
): Promise<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw fail(`cannot read ${file}: ${(cause as Error).message}`, cause);
  }
  const d = parsed as Partial<T> | null;
  if (typeof d !== 'object' || d === null || d.format !== format || d.version !== 1) {
    throw fail(`${file} is not a version-1 ${format} description`);
  }
  return d as T;
}
