import { DEFAULT_SOUND_LIMITS, type SoundLimits } from '@soundedit/service';

export interface ApiLimits {
  sound: SoundLimits;
  /** Largest picture a user may start from (bytes, before decoding). */
  maxImageBytes: number;
  /** Edits an identity may have queued or running at once. */
  maxActiveEdits: number;
  /** createEdit/remixEdit/uploads per identity: a bucket of `burst` refilled at `perMinute`. */
  perMinute: number;
  burst: number;
  maxSteps: number;
  /** Deepest selection set a query may have. */
  maxQueryDepth: number;
  /** Most fields a query could resolve, page sizes multiplied in (see costLimit). */
  maxQueryCost: number;
  /** Most edits one page may ask for. */
  maxPageSize: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = {
  sound: DEFAULT_SOUND_LIMITS,
  maxImageBytes: 8 * 1024 * 1024,
  maxActiveEdits: 3,
  perMinute: 20,
  burst: 10,
  maxSteps: 1000,
  maxQueryDepth: 10,
  maxQueryCost: 20_000,
  maxPageSize: 100,
};
