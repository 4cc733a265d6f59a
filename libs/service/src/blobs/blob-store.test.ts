import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestDatabase, postgresReachable, type TestDatabase } from '../testing/test-databases.ts';
import { FolderBlobStore, type BlobStore } from './blob-store.ts';
import { DatabaseBlobStore } from './pg-blob-store.ts';

const postgres = await postgresReachable();
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup) await c();
});

const stores: [string, boolean, () => Promise<BlobStore>][] = [
  [
    'folder',
    true,
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'soundedit-blobs-'));
      cleanup.push(() => rm(dir, { recursive: true, force: true }));
      return new FolderBlobStore(dir);
    },
  ],
  ['PGlite', true, async () => dbStore(await openTestDatabase('pglite'))],
  ['PostgreSQL', postgres, async () => dbStore(await openTestDatabase('postgres'))],
];

function dbStore(t: TestDatabase): BlobStore {
  cleanup.push(() => t.dispose());
  return new DatabaseBlobStore(t.db);
}

describe.each(stores)('%s blob store', (_name, available, open) => {
  (available ? it : it.skip)('stores by content hash, idempotently, and returns the same bytes', async () => {
    const store = await open();
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256);
    const key = await store.put(bytes, 'bin');
    expect(key).toMatch(/^[0-9a-f]{64}\.bin$/);
    expect(await store.put(bytes, 'bin')).toBe(key);
    expect(await store.get(key)).toEqual(bytes);
    expect(await store.get(`${'0'.repeat(64)}.bin`)).toBeUndefined();
    expect(await store.get('../../etc/passwd')).toBeUndefined();
    await expect(store.put(bytes, '../x')).rejects.toThrow(/extension/);
  });
});
