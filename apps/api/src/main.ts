/**
 * soundedit's API server. Embedded by default: PGlite in DATA_DIR/db, blobs in DATA_DIR/blobs and
 * an in-process worker, all in this one process. DATABASE_URL switches to PostgreSQL, REDIS_URL to
 * BullMQ jobs and Redis pub/sub; WORKERS=0 leaves the edits to apps/worker processes.
 *
 *   PORT (4000) HOST (127.0.0.1) DATA_DIR (.soundedit-data) DATABASE_URL BLOB_STORE REDIS_URL
 *   PUBLIC_URL SOUNDEDIT_MODELS (extra pack folders) SESSION_SECRET WORKERS (1) NODE_ENV=production
 *   LIMIT_PER_MINUTE (20) LIMIT_BURST (10) LIMIT_ACTIVE_EDITS (3): per-identity limits
 *   SOUNDEDIT_BOT_TOKEN: the Discord bot's token (se_ + 32 or more characters), made if absent
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EditEngine } from '@soundedit/core';
import { findPacks, openPack, packSearchDirs } from '@soundedit/models';
import { EditWorker, ensureBotToken, LocalDispatcher, openServices, runBullWorker } from '@soundedit/service';
import { DEFAULT_API_LIMITS } from './limits.ts';
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
  const services = await openServices();
  const { database, blobs, bus, bull } = services;
  if (process.env.SOUNDEDIT_BOT_TOKEN) await ensureBotToken(database.db, process.env.SOUNDEDIT_BOT_TOKEN);
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
  // With Redis, in-process workers take BullMQ jobs like apps/worker does; without, they poll.
  const bullWorkers = bull
    ? workers.map((w) =>
        runBullWorker(w, {
          redisUrl: services.redisUrl!,
          ...(services.bullPrefix ? { prefix: services.bullPrefix } : {}),
        }),
      )
    : [];
  const dispatcher = bull ?? new LocalDispatcher(() => workers.forEach((w) => w.wake()));
  const sweep = bull
    ? setInterval(() => void bull.sweep(database.db).catch(() => {}), intFrom('SWEEP_MS', 30_000))
    : undefined;
  if (bull) await bull.sweep(database.db);
  const catalog = await PackCatalog.of(packs);
  const server = await startApiServer({
    db: database.db,
    blobs,
    bus,
    packs: catalog,
    sessionSecret: await sessionSecret(services.dataDir),
    host: process.env.HOST ?? '127.0.0.1',
    port: intFrom('PORT', 4000),
    ...(process.env.PUBLIC_URL ? { publicUrl: process.env.PUBLIC_URL } : {}),
    production: process.env.NODE_ENV === 'production',
    limits: {
      perMinute: intFrom('LIMIT_PER_MINUTE', DEFAULT_API_LIMITS.perMinute),
      burst: intFrom('LIMIT_BURST', DEFAULT_API_LIMITS.burst),
      maxActiveEdits: intFrom('LIMIT_ACTIVE_EDITS', DEFAULT_API_LIMITS.maxActiveEdits),
    },
    dispatcher,
  });
  if (!bull) for (const w of workers) w.start();
  console.log(
    `soundedit API on ${server.graphqlUrl} (${services.describe()}; ${workers.length} in-process worker(s); packs: ${packs
      .map((p) => p.manifest.name)
      .join(', ')})`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests; a running edit goes back to the queue`);
    clearInterval(sweep);
    await server.close();
    await Promise.all(bullWorkers.map((w) => w.close(true)));
    await Promise.all(workers.map((w) => w.stop()));
    await catalog.release();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
