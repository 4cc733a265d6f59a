/** File checks shared by the loaders: existence and size, with bounded concurrency for large datasets. */
import { stat } from 'node:fs/promises';

export type FileCheck =
  | { kind: 'file'; size: number }
  | { kind: 'missing' }
  | { kind: 'not-file' }
  | { kind: 'unreadable'; reason: string };

export async function checkFile(file: string): Promise<FileCheck> {
  try {
    const s = await stat(file);
    return s.isFile() ? { kind: 'file', size: s.size } : { kind: 'not-file' };
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'unreadable', reason: code ?? String(cause) };
  }
}

/** Map with at most `limit` calls in flight, results in input order: enough to hide disk latency without exhausting file handles. */
export async function mapLimit<T, R>(
  xs: readonly T[],
  limit: number,
  fn: (x: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(xs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await fn(xs[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, xs.length) }, worker));
  return out;
}

/** How many stats run at once. */
export const STAT_CONCURRENCY = 64;
