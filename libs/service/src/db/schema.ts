import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { EditMetrics, EditParams, StoredStep } from '../edits/edit-params.ts';

// Millisecond precision: JavaScript dates round-trip exactly, so cursors on created_at are exact.
const createdAt = () =>
  timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow();
const moment = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

export const ACCOUNT_KINDS = ['web', 'discord', 'client'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Whoever creates: a web visitor (session cookie), a Discord user (through the bot), a token holder. */
export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ACCOUNT_KINDS }).notNull(),
    /** The Discord user id for 'discord' accounts; null otherwise. */
    externalId: text('external_id'),
    displayName: text('display_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('accounts_kind_external_idx').on(t.kind, t.externalId)],
);

/** API tokens, stored as SHA-256 of the secret: a leaked table reveals no usable token. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** A bot token may act for the Discord users it names (x-soundedit-discord-user). */
    actsForDiscord: boolean('acts_for_discord').notNull().default(false),
    createdAt: createdAt(),
    lastUsedAt: moment('last_used_at'),
    revokedAt: moment('revoked_at'),
  },
  (t) => [
    uniqueIndex('api_tokens_hash_idx').on(t.tokenHash),
    index('api_tokens_account_idx').on(t.accountId),
  ],
);

export const sounds = pgTable(
  'sounds',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    blobKey: text('blob_key').notNull(),
    format: text('format').notNull(),
    bytes: integer('bytes').notNull(),
    durationS: doublePrecision('duration_s').notNull(),
    sampleRate: integer('sample_rate').notNull(),
    channels: integer('channels').notNull(),
    /** Peak absolute amplitude per bucket, for waveform drawings. */
    peaks: jsonb('peaks').$type<number[]>().notNull(),
    spectrogramKey: text('spectrogram_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sounds_owner_idx').on(t.ownerId)],
);

export const EDIT_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const;
export type EditStatus = (typeof EDIT_STATUSES)[number];

/**
 * An edit is also its own job record: the row is written before createEdit returns, workers claim
 * QUEUED rows (or RUNNING rows whose lease ran out: a worker that died) with SKIP LOCKED, and every
 * state change is one UPDATE, so nothing acknowledged is lost across crashes and restarts.
 */
export const edits = pgTable(
  'edits',
  {
    id: text('id').primaryKey(),
    authorId: text('author_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    pack: text('pack').notNull(),
    status: text('status', { enum: EDIT_STATUSES }).notNull().default('QUEUED'),
    params: jsonb('params').$type<EditParams>().notNull(),
    soundId: text('sound_id').references(() => sounds.id, { onDelete: 'set null' }),
    prompt: text('prompt'),
    /** The pack class the sound is nearest to (zero-shot), set when the edit runs. */
    soundClass: text('sound_class'),
    parentId: text('parent_id').references((): AnyPgColumn => edits.id, { onDelete: 'set null' }),
    step: integer('step').notNull().default(0),
    totalSteps: integer('total_steps').notNull(),
    /** Per-step losses of the finished edit (also in the JSON record). */
    steps: jsonb('steps').$type<StoredStep[]>(),
    metrics: jsonb('metrics').$type<EditMetrics>(),
    sourceKey: text('source_key'),
    resultKey: text('result_key'),
    sideBySideKey: text('side_by_side_key'),
    trajectoryKey: text('trajectory_key'),
    latentKey: text('latent_key'),
    recordKey: text('record_key'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    attempts: integer('attempts').notNull().default(0),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    leaseOwner: text('lease_owner'),
    leaseUntil: moment('lease_until'),
    likeCount: integer('like_count').notNull().default(0),
    remixCount: integer('remix_count').notNull().default(0),
    createdAt: createdAt(),
    startedAt: moment('started_at'),
    finishedAt: moment('finished_at'),
  },
  (t) => [
    index('edits_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('edits_likes_idx').on(t.likeCount.desc(), t.createdAt.desc(), t.id.desc()),
    index('edits_queue_idx')
      .on(t.createdAt, t.id)
      .where(sql`${t.status} in ('QUEUED', 'RUNNING')`),
    index('edits_author_idx').on(t.authorId, t.createdAt.desc()),
    index('edits_parent_idx').on(t.parentId),
    index('edits_pack_idx').on(t.pack, t.createdAt.desc()),
  ],
);

export const likes = pgTable(
  'likes',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    editId: text('edit_id')
      .notNull()
      .references(() => edits.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.editId] }), index('likes_edit_idx').on(t.editId)],
);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  // node-postgres hands back a Buffer, PGlite a Uint8Array: both are Uint8Arrays.
  fromDriver: (v) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength),
  toDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)),
});

/**
 * Stored files by content hash, for deployments where the API and the workers share no disk:
 * PostgreSQL is a store every host reaches (BLOB_STORE=db).
 */
export const blobs = pgTable('blobs', {
  key: text('key').primaryKey(),
  data: bytea('data').notNull(),
  createdAt: createdAt(),
});
