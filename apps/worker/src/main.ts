/**
 * An edit worker process: runs stored edits on this host (a GPU host, say) for an API elsewhere.
 * It needs what the API uses: DATABASE_URL (PostgreSQL), REDIS_URL (jobs and progress), and blobs
 * every host reaches (BLOB_STORE=db, the default with DATABASE_URL). Without REDIS_URL it polls the
 * database queue instead. Packs: the repository's models/ and SOUNDEDIT_MODELS.
 *
 *   LEASE_MS (30000)  how long a silent worker keeps its edit
 *   LOCK_MS, STALLED_CHECK_MS (30000)  BullMQ's lock and stalled-job check
 *   WORKER_ID  a name for this worker in logs and progress events
 */
import { fileURLToPath } from 'node:url';
import { EditEngine } from '@soundedit/core';
import { openPack, packSearchDirs } from '@soundedit/models';
import { EditWorker, openServices, runBullWorker } from '@soundedit/service';

const REPO_MODELS = fileURLToPath(new URL('../../../models', import.meta.url));

function msFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 10)
    throw new Error(`${name} must be a whole number of milliseconds >= 10, got '${raw}'`);
  return n;
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL)
    console.warn('DATABASE_URL is not set: this worker uses its own PGlite database, which no API shares');
  const services = await openServices();
  const dirs = packSearchDirs([REPO_MODELS]);
  const worker = new EditWorker({
    db: services.database.db,
    blobs: services.blobs,
    bus: services.bus,
    openEngine: async (name) => EditEngine.open(await openPack(name, dirs)),
    leaseMs: msFrom('LEASE_MS', 30_000),
    ...(process.env.WORKER_ID ? { workerId: process.env.WORKER_ID } : {}),
  });
  const bull = services.redisUrl
    ? runBullWorker(worker, {
        redisUrl: services.redisUrl,
        ...(services.bullPrefix ? { prefix: services.bullPrefix } : {}),
        lockMs: msFrom('LOCK_MS', 30_000),
        stalledCheckMs: msFrom('STALLED_CHECK_MS', 30_000),
      })
    : undefined;
  if (!bull) worker.start();
  console.log(`soundedit worker ${worker.workerId} ready (${services.describe()})`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: handing the running edit back to the queue`);
    await worker.stop();
    await bull?.close(true);
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
