/**
 * soundedit's API server. Embedded by default: PGlite in DATA_DIR/db, blobs in DATA_DIR/blobs and
 * an in-process worker, all in this one process. DATABASE_URL switches to PostgreSQL; WORKERS=0
 * leaves the edits to separate apps/worker processes.
 *
 *   PORT (4000) HOST (127.0.0.1) DATA_DIR (.soundedit-data) DATABASE_URL PUBLIC_URL
 *   SOUNDEDIT_MODELS (extra pack folders) SESSION_SECRET WORKERS (1) NODE_ENV=production
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EditEngine } from '@soundedit/core';
import { findPacks, openPack, packSearchDirs } from '@soundedit/models';
import { EditWorker, FolderBlobStore, MemoryEventBus, openDatabase } from '@soundedit/service';
import { PackCatalog } from './packs/pack-catalog.ts';
import { startApiServer } from './server.ts';

const REPO_MODELS = fileURLToPath(new URL('../../../models', import.meta.url));

function intFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return n;
}

/** A session secret that survives restarts: from the environment, or made once and kept in the data folder. */
async function sessionSecret(dataDir: string): Promise<string> {
  if (process.env.SESSION_SECRET) return process.env.SESSION_SECRET;
  const file = join(dataDir, 'session-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

async function main(): Promise<void> {
  const dataDir = resolve(process.env.DATA_DIR ?? '.soundedit-data');
  await mkdir(dataDir, { recursive: true });
  const database = await openDatabase(
    process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: join(dataDir, 'db') },
  );
  const blobs = new FolderBlobStore(join(dataDir, 'blobs'));
  const bus = new MemoryEventBus();
  const dirs = packSearchDirs([REPO_MODELS]);
  const { packs, broken } = await findPacks(dirs);
  for (const b of broken) console.warn(`skipping the broken pack in ${b.dir}: ${b.error.message}`);
  if (packs.length === 0) throw new Error(`no packs found in ${dirs.join(', ')}`);
  const workers = Array.from(
    { length: intFrom('WORKERS', 1) },
    () =>
      new EditWorker({
        db: database.db,
        blobs,
        bus,
        openEngine: async (name) => EditEngine.open(await openPack(name, dirs)),
      }),
  );
  const server = await startApiServer({
    db: database.db,
    blobs,
    bus,
    packs: await PackCatalog.of(packs),
    sessionSecret: await sessionSecret(dataDir),
    host: process.env.HOST ?? '127.0.0.1',
    port: intFrom('PORT', 4000),
    ...(process.env.PUBLIC_URL ? { publicUrl: process.env.PUBLIC_URL } : {}),
    production: process.env.NODE_ENV === 'production',
    wakeWorkers: () => workers.forEach((w) => w.wake()),
  });
  for (const w of workers) w.start();
  console.log(
    `soundedit API on ${server.graphqlUrl} (${database.kind}, ${workers.length} in-process worker(s), packs: ${packs
      .map((p) => p.manifest.name)
      .join(', ')})`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests; a running edit goes back to the queue`);
    await server.close();
    await Promise.all(workers.map((w) => w.stop()));
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
