import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { edits, type EditStatus } from '../db/schema.ts';
import type { EditMetrics, EditParams, StoredStep } from './edit-params.ts';

export type EditRow = typeof edits.$inferSelect;

export interface NewEdit {
  authorId: string;
  pack: string;
  params: EditParams;
  totalSteps: number;
  parentId?: string;
}

/** Stores an accepted edit (QUEUED); the row is the job, so this is the acknowledgement. */
export async function insertEdit(db: Db, edit: NewEdit): Promise<EditRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(edits)
      .values({
        id: randomUUID(),
        authorId: edit.authorId,
        pack: edit.pack,
        params: edit.params,
        soundId: edit.params.soundId ?? null,
        prompt: edit.params.text ?? null,
        parentId: edit.parentId ?? null,
        totalSteps: edit.totalSteps,
      })
      .returning();
    if (edit.parentId)
      await tx
        .update(edits)
        .set({ remixCount: sql`${edits.remixCount} + 1` })
        .where(eq(edits.id, edit.parentId));
    return row!;
  });
}

export async function getEdit(db: Db, id: string): Promise<EditRow | undefined> {
  const [row] = await db.select().from(edits).where(eq(edits.id, id));
  return row;
}

/** How many queued edits run before this one (0: next); undefined once it is no longer queued. */
export async function queuePosition(db: Db, edit: EditRow): Promise<number | undefined> {
  if (edit.status !== 'QUEUED') return undefined;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(edits)
    .where(
      and(
        inArray(edits.status, ['QUEUED', 'RUNNING']),
        or(
          lt(edits.createdAt, edit.createdAt),
          and(eq(edits.createdAt, edit.createdAt), lt(edits.id, edit.id)),
        ),
      ),
    );
  return row?.n ?? 0;
}

export interface ClaimOptions {
  workerId: string;
  leaseMs: number;
  /** Runs an edit gets before it is failed for good (a worker that died mid-job counts as one). */
  maxAttempts: number;
}

/** Queued, or running under a lease that ran out (its worker died). */
const claimable = () =>
  or(eq(edits.status, 'QUEUED'), and(eq(edits.status, 'RUNNING'), lt(edits.leaseUntil, sql`now()`)));

/**
 * Takes the oldest claimable edit and leases it to this worker. SKIP LOCKED lets any number of
 * workers claim at once without waiting on each other or taking the same edit. Edits out of
 * attempts are failed on the way.
 */
export function claimNextEdit(db: Db, o: ClaimOptions): Promise<EditRow | undefined> {
  return claim(db, o, claimable());
}

/** Leases this edit if it is claimable now (a dispatched job names its edit). */
export function claimEdit(db: Db, id: string, o: ClaimOptions): Promise<EditRow | undefined> {
  return claim(db, o, and(eq(edits.id, id), claimable())!);
}

async function claim(db: Db, o: ClaimOptions, where: SQL | undefined): Promise<EditRow | undefined> {
  for (;;) {
    const claimed = await db.transaction(async (tx) => {
      const [candidate] = await tx
        .select()
        .from(edits)
        .where(where)
        .orderBy(asc(edits.createdAt), asc(edits.id))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!candidate) return { row: undefined, retry: false };
      if (candidate.cancelRequested) {
        await tx
          .update(edits)
          .set({ status: 'CANCELED', finishedAt: sql`now()`, leaseOwner: null, leaseUntil: null })
          .where(eq(edits.id, candidate.id));
        return { row: undefined, retry: true };
      }
      if (candidate.attempts >= o.maxAttempts) {
        await tx
          .update(edits)
          .set({
            status: 'FAILED',
            errorCode: 'WORKER_LOST',
            errorMessage: `the edit's worker stopped mid-job ${candidate.attempts} time(s); giving up`,
            finishedAt: sql`now()`,
            leaseOwner: null,
            leaseUntil: null,
          })
          .where(eq(edits.id, candidate.id));
        return { row: undefined, retry: true };
      }
      const [row] = await tx
        .update(edits)
        .set({
          status: 'RUNNING',
          attempts: candidate.attempts + 1,
          leaseOwner: o.workerId,
          leaseUntil: sql`now() + ${`${o.leaseMs} milliseconds`}::interval`,
          startedAt: sql`coalesce(${edits.startedAt}, now())`,
          step: 0,
        })
        .where(eq(edits.id, candidate.id))
        .returning();
      return { row, retry: false };
    });
    if (claimed.row || !claimed.retry) return claimed.row;
  }
}

/** Edits a dispatcher should (re)announce: queued ones, and running ones whose worker is gone. */
export async function claimableEditIds(db: Db, limit = 1000): Promise<string[]> {
  const rows = await db
    .select({ id: edits.id })
    .from(edits)
    .where(claimable())
    .orderBy(asc(edits.createdAt), asc(edits.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Extends this worker's lease and records progress. Returns false when the worker no longer owns
 * the edit (its lease ran out and another took it) or a cancel was asked for: stop then.
 */
export async function renewLease(
  db: Db,
  id: string,
  workerId: string,
  leaseMs: number,
  step?: number,
): Promise<{ owned: boolean; cancelRequested: boolean }> {
  const [row] = await db
    .update(edits)
    .set({
      leaseUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
      ...(step !== undefined ? { step } : {}),
    })
    .where(and(eq(edits.id, id), eq(edits.leaseOwner, workerId), eq(edits.status, 'RUNNING')))
    .returning({ cancelRequested: edits.cancelRequested });
  return { owned: row !== undefined, cancelRequested: row?.cancelRequested ?? false };
}

export interface EditResultFields {
  soundClass?: string;
  steps: StoredStep[];
  metrics: EditMetrics;
  sourceKey: string;
  resultKey: string;
  sideBySideKey: string;
  trajectoryKey: string;
  latentKey: string;
  recordKey: string;
}

/** Ends a leased edit; a worker that lost its lease changes nothing (returns undefined). */
export async function finishEdit(
  db: Db,
  id: string,
  workerId: string,
  outcome:
    | { status: 'SUCCEEDED'; fields: EditResultFields }
    | { status: 'FAILED'; code: string; message: string }
    | { status: 'CANCELED' },
): Promise<EditRow | undefined> {
  const common = {
    status: outcome.status as EditStatus,
    finishedAt: sql`now()`,
    leaseOwner: null,
    leaseUntil: null,
  };
  const set =
    outcome.status === 'SUCCEEDED'
      ? { ...common, ...outcome.fields, step: outcome.fields.steps.length }
      : outcome.status === 'FAILED'
        ? { ...common, errorCode: outcome.code, errorMessage: outcome.message }
        : common;
  const [row] = await db
    .update(edits)
    .set(set)
    .where(and(eq(edits.id, id), eq(edits.leaseOwner, workerId), eq(edits.status, 'RUNNING')))
    .returning();
  return row;
}

/** Hands a leased edit back to the queue (a worker stopping gracefully); not counted as an attempt. */
export async function releaseEdit(db: Db, id: string, workerId: string): Promise<void> {
  await db
    .update(edits)
    .set({
      status: 'QUEUED',
      attempts: sql`greatest(${edits.attempts} - 1, 0)`,
      leaseOwner: null,
      leaseUntil: null,
      step: 0,
    })
    .where(and(eq(edits.id, id), eq(edits.leaseOwner, workerId), eq(edits.status, 'RUNNING')));
}

/**
 * Cancels an edit: a queued one at once, a running one by flagging it for its worker (which stops
 * at its next lease renewal). Returns the row after the change; finished edits are left as they are.
 */
export async function requestCancel(db: Db, id: string): Promise<EditRow | undefined> {
  const [queued] = await db
    .update(edits)
    .set({ status: 'CANCELED', cancelRequested: true, finishedAt: sql`now()` })
    .where(and(eq(edits.id, id), eq(edits.status, 'QUEUED')))
    .returning();
  if (queued) return queued;
  const [running] = await db
    .update(edits)
    .set({ cancelRequested: true })
    .where(and(eq(edits.id, id), eq(edits.status, 'RUNNING')))
    .returning();
  return running ?? getEdit(db, id);
}
