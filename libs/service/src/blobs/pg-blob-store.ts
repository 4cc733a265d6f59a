import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { blobs } from '../db/schema.ts';
import { blobKeyOf, isBlobKey, type BlobStore } from './blob-store.ts';

/** Blobs in the database itself: what every host that reaches DATABASE_URL can read and write. */
export class DatabaseBlobStore implements BlobStore {
  constructor(private readonly db: Db) {}

  async put(bytes: Uint8Array, extension: string): Promise<string> {
    const key = blobKeyOf(bytes, extension);
    await this.db.insert(blobs).values({ key, data: bytes }).onConflictDoNothing();
    return key;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    if (!isBlobKey(key)) return undefined;
    const [row] = await this.db.select({ data: blobs.data }).from(blobs).where(eq(blobs.key, key));
    return row?.data;
  }
}
