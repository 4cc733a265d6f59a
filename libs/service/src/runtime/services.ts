import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FolderBlobStore, type BlobStore } from '../blobs/blob-store.ts';
import { DatabaseBlobStore } from '../blobs/pg-blob-store.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { MemoryEventBus, type EventBus } from '../events/event-bus.ts';
import { RedisEventBus } from '../events/redis-bus.ts';
import { BullDispatcher } from '../queue/edit-dispatch.ts';

/** The shared services of an API or worker process, chosen by the environment. */
export interface Services {
  database: Database;
  blobs: BlobStore;
  bus: EventBus;
  /** With REDIS_URL: the BullMQ queue edits are announced on. */
  bull?: BullDispatcher;
  redisUrl?: string;
  /** BULL_PREFIX: namespaces the queue's Redis keys. */
  bullPrefix?: string;
  dataDir: string;
  describe(): string;
  close(): Promise<void>;
}

export const BLOB_STORES = ['folder', 'db'] as const;

/**
 * DATABASE_URL: PostgreSQL, else PGlite in DATA_DIR/db. BLOB_STORE: 'folder' (DATA_DIR/blobs; the
 * default without DATABASE_URL) or 'db' (the default with it: hosts need share no disk).
 * REDIS_URL: progress over Redis pub/sub and jobs through BullMQ.
 */
export async function openServices(env: NodeJS.ProcessEnv = process.env): Promise<Services> {
  const dataDir = resolve(env.DATA_DIR ?? '.soundedit-data');
  await mkdir(dataDir, { recursive: true });
  const blobKind = env.BLOB_STORE ?? (env.DATABASE_URL ? 'db' : 'folder');
  if (!(BLOB_STORES as readonly string[]).includes(blobKind))
    throw new Error(`BLOB_STORE must be one of ${BLOB_STORES.join(', ')}, got '${blobKind}'`);
  const database = await openDatabase(
    env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: join(dataDir, 'db') },
  );
  const blobs =
    blobKind === 'db' ? new DatabaseBlobStore(database.db) : new FolderBlobStore(join(dataDir, 'blobs'));
  const redisUrl = env.REDIS_URL || undefined;
  const bus = redisUrl ? new RedisEventBus(redisUrl) : new MemoryEventBus();
  const bullPrefix = env.BULL_PREFIX || undefined;
  const bull = redisUrl ? new BullDispatcher(redisUrl, bullPrefix) : undefined;
  return {
    database,
    blobs,
    bus,
    ...(bull ? { bull } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    ...(bullPrefix ? { bullPrefix } : {}),
    dataDir,
    describe: () =>
      `${database.kind}, blobs in ${blobKind === 'db' ? 'the database' : join(dataDir, 'blobs')}, ${
        redisUrl ? 'jobs and progress through Redis' : 'jobs and progress in this process'
      }`,
    close: async () => {
      await bull?.close();
      await bus.close();
      await database.close();
    },
  };
}
