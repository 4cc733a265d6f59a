import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** How often a running stage records the time it has spent, so an interrupted attempt still counts. */
const ELAPSED_EVERY_MS = 15_000;

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * One step of building a pack. A finished stage leaves `<runDir>/<name>/done.json` with its results,
 * so rerunning the command skips it; an unfinished one is rerun and its trainer resumes from its own
 * checkpoints. `wallSeconds` in done.json sums every attempt (an interrupted one to within 15 s).
 */
export async function stage<T>(runDir: string, name: string, run: (dir: string) => Promise<T>): Promise<T> {
  const dir = join(runDir, name);
  const done = join(dir, 'done.json');
  const finished = await readJson<T>(done);
  if (finished !== undefined) {
    process.stderr.write(`stage ${name}: done earlier, skipped\n`);
    return finished;
  }
  await mkdir(dir, { recursive: true });
  const elapsedFile = join(dir, 'elapsed.json');
  const earlier = (await readJson<{ seconds: number }>(elapsedFile))?.seconds ?? 0;
  process.stderr.write(
    `stage ${name}: running${earlier ? ` (resumed after ${Math.round(earlier)} s)` : ''}\n`,
  );
  const t0 = performance.now();
  const spent = () => earlier + (performance.now() - t0) / 1000;
  const timer = setInterval(() => {
    writeFile(elapsedFile, JSON.stringify({ seconds: spent() })).catch(() => {});
  }, ELAPSED_EVERY_MS);
  timer.unref();
  let result: T;
  try {
    result = await run(dir);
  } finally {
    clearInterval(timer);
  }
  await writeFile(
    `${done}.partial`,
    `${JSON.stringify({ ...result, wallSeconds: Math.round(spent()) }, null, 2)}\n`,
  );
  await rename(`${done}.partial`, done);
  return result;
}
