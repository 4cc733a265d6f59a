// soundedit's server side, shared by apps/api and apps/worker: one database schema, blob storage,
// the durable edit queue (edits are their own job records) and the events that report progress.
export { openDatabase, type Database, type DatabaseOptions, type Db } from './db/database.ts';
export * as tables from './db/schema.ts';
export { EDIT_STATUSES, ACCOUNT_KINDS, type EditStatus, type AccountKind } from './db/schema.ts';
export {
  FolderBlobStore,
  BLOB_CONTENT_TYPES,
  blobKeyOf,
  isBlobKey,
  type BlobStore,
} from './blobs/blob-store.ts';
export {
  MemoryEventBus,
  editChannel,
  GALLERY_CHANNEL,
  QUEUE_CHANNEL,
  type EventBus,
} from './events/event-bus.ts';
export { isEditEvent, type EditEvent, type GalleryEvent } from './events/edit-events.ts';
export type { EditParams, StoredSource, StoredStep, EditMetrics } from './edits/edit-params.ts';
export {
  insertEdit,
  getEdit,
  queuePosition,
  claimNextEdit,
  claimEdit,
  claimableEditIds,
  renewLease,
  finishEdit,
  requestCancel,
  releaseEdit,
  type EditRow,
  type NewEdit,
  type ClaimOptions,
  type EditResultFields,
} from './edits/edit-store.ts';
export { EditWorker, type EditWorkerOptions, type EngineOpener } from './edits/edit-worker.ts';
export {
  createAccount,
  getAccount,
  discordAccount,
  createApiToken,
  ensureBotToken,
  resolveApiToken,
  revokeApiToken,
  listApiTokens,
  hashToken,
  type AccountRow,
  type ApiTokenRow,
} from './accounts/accounts.ts';
export {
  storeSound,
  getSound,
  DEFAULT_SOUND_LIMITS,
  SoundTooShortError,
  type SoundRow,
  type SoundLimits,
} from './sounds/sound-store.ts';
export { waveformPeaks, spectrogramPng } from './sounds/sound-summary.ts';
export { RedisEventBus } from './events/redis-bus.ts';
export { DatabaseBlobStore } from './blobs/pg-blob-store.ts';
export {
  LocalDispatcher,
  BullDispatcher,
  runBullWorker,
  EDIT_QUEUE,
  type EditDispatcher,
  type BullWorkerOptions,
} from './queue/edit-dispatch.ts';
export { openServices, BLOB_STORES, type Services } from './runtime/services.ts';
