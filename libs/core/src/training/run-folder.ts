import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrainingError } from './errors.ts';

export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const CHECKPOINT_DIR = 'checkpoints';
export const EXPORT_DIR = 'export';

/**
 * Creates the run folder, or checks that the run already there is this one: resuming with other
 * settings or data would silently mix two experiments in one set of checkpoints and metrics.
 */
export async function claimRunDir(runDir: string, settings: unknown, fingerprint: string): Promise<void> {
  await mkdir(runDir, { recursive: true });
  const file = join(runDir, RUN_FILE);
  let existing: string | undefined;
  try {
    existing = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (existing !== undefined) {
    let previous: { fingerprint?: unknown };
    try {
      previous = JSON.parse(existing) as { fingerprint?: unknown };
    } catch {
      throw new TrainingError(
        'RUN_MISMATCH',
        `${file} is not valid JSON; is ${runDir} a soundedit run folder?`,
      );
    }
    if (previous.fingerprint !== fingerprint) {
      throw new TrainingError(
        'RUN_MISMATCH',
        `${runDir} holds another run (fingerprint ${String(previous.fingerprint)}, this one ${fingerprint}): settings or data differ; choose a new run folder`,
      );
    }
    return;
  }
  const record = { format: 'soundedit-training-run', version: 1, fingerprint, settings };
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
}

/** Drops metric lines past `step` (written after the checkpoint a resumed run restarts from). */
export async function truncateMetrics(file: string, step: number): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const kept = text
    .split('\n')
    .filter((line) => {
      if (line.trim() === '') return false;
      try {
        const record = JSON.parse(line) as { step?: unknown };
        return typeof record.step === 'number' && record.step <= step;
      } catch {
        // A line cut short by a kill mid-write.
        return false;
      }
    })
    .map((line) => `${line}\n`)
    .join('');
  await writeFile(file, kept);
}

/** A run's identity: its settings and every byte of its training data, hashed. */
export function runIdentity(settings: unknown, data: Iterable<Uint8Array | string>): string {
  const bytes = createHash('sha256');
  for (const chunk of data) bytes.update(chunk);
  return createHash('sha256')
    .update(JSON.stringify(settings))
    .update(bytes.digest('hex'))
    .digest('hex')
    .slice(0, 16);
}
