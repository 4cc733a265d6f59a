import type { AccountRow, ApiTokenRow, BlobStore, Db, EventBus } from '@soundedit/service';
import type { PackCatalog } from './packs/pack-catalog.ts';
import type { ApiLimits } from './limits.ts';
import type { RateLimiter } from './auth/rate-limiter.ts';

/** What every resolver sees: the services, and who is asking (if anyone). */
export interface ApiContext {
  db: Db;
  blobs: BlobStore;
  bus: EventBus;
  packs: PackCatalog;
  limits: ApiLimits;
  rateLimiter: RateLimiter;
  /** Absolute base for blob URLs (http://host:port). */
  publicUrl: string;
  viewer?: AccountRow;
  token?: ApiTokenRow;
  /** Tells the workers that an edit was stored (it is safe in the database whatever this does). */
  dispatch(editId: string): Promise<void>;
}
