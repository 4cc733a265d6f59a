import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One step of building a pack. A finished stage leaves `<runDir>/<name>/done.json` with its results,
 * so rerunning the command skips it; an unfinished one is rerun and its trainer resumes from its own
 * checkpoints.
 */
export async function stage<T>(runDir: string, name: string, run: (dir: string) => Promise<T>): Promise<T> {
  const dir = join(runDir, name);
  const done = join(dir, 'done.json');
  try {
    const result = JSON.parse(await readFile(done, 'utf8')) as T;
    process.stderr.write(`stage ${name}: done earlier, skipped\n`);
    return result;
  } catch {
    // Not finished yet: run it.
  }
  await mkdir(dir, { recursive: true });
  process.stderr.write(`stage ${name}: running\n`);
  const t0 = performance.now();
  const result = await run(dir);
  await writeFile(
    `${done}.partial`,
    `${JSON.stringify({ ...result, wallSeconds: Math.round((performance.now() - t0) / 1000) }, null, 2)}\n`,
  );
  await rename(`${done}.partial`, done);
  return result;
}
