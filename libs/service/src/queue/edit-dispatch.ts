import { Queue, Worker, type Job } from 'bullmq';
import type { Db } from '../db/database.ts';
import { claimableEditIds } from '../edits/edit-store.ts';
import type { EditWorker } from '../edits/edit-worker.ts';

/** How an API tells workers that an edit was stored. */
export interface EditDispatcher {
  dispatch(editId: string): Promise<void>;
  close(): Promise<void>;
}

/** In one process: wake the in-process workers (they claim from the database). */
export class LocalDispatcher implements EditDispatcher {
  constructor(private readonly wake: () => void) {}
  async dispatch(): Promise<void> {
    this.wake();
  }
  async close(): Promise<void> {}
}

export const EDIT_QUEUE = 'soundedit-edits';

interface EditJobData {
  editId: string;
}

/**
 * BullMQ on Redis: one job per edit (the job id is the edit id, so announcing twice is harmless).
 * The database row stays the truth: a job only says "run this edit", and the worker that takes it
 * claims the row under a lease.
 */
export class BullDispatcher implements EditDispatcher {
  readonly queue: Queue<EditJobData>;

  /** `prefix` namespaces the queue's Redis keys (several deployments, or tests, on one Redis). */
  constructor(redisUrl: string, prefix?: string) {
    this.queue = new Queue<EditJobData>(EDIT_QUEUE, {
      connection: { url: redisUrl },
      ...(prefix ? { prefix } : {}),
    });
    this.queue.on('error', () => {});
  }

  async dispatch(editId: string): Promise<void> {
    await this.queue.add('edit', { editId }, { jobId: editId, removeOnComplete: true, removeOnFail: 1000 });
  }

  /**
   * Announces every claimable edit again: those stored while Redis was away, and those whose
   * worker died after its job was lost. Run at start and now and then; duplicates are dropped.
   */
  async sweep(db: Db): Promise<number> {
    const ids = await claimableEditIds(db);
    for (const id of ids) await this.dispatch(id);
    return ids.length;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface BullWorkerOptions {
  redisUrl: string;
  prefix?: string;
  /** BullMQ's lock on a job; a worker that stops renewing it (it died) loses the job this long after. */
  lockMs?: number;
  /** How often BullMQ looks for such stalled jobs. */
  stalledCheckMs?: number;
}

/**
 * Feeds BullMQ jobs to an EditWorker, one at a time. A job whose worker died is delivered again
 * (BullMQ's stalled-job check), and EditWorker.runEdit takes the edit over once its lease is gone.
 */
export function runBullWorker(editWorker: EditWorker, o: BullWorkerOptions): Worker<EditJobData> {
  const worker = new Worker<EditJobData>(
    EDIT_QUEUE,
    async (job: Job<EditJobData>) => {
      const row = await editWorker.runEdit(job.data.editId);
      return row?.status ?? 'DELETED';
    },
    {
      connection: { url: o.redisUrl, maxRetriesPerRequest: null },
      concurrency: 1,
      lockDuration: o.lockMs ?? 30_000,
      stalledInterval: o.stalledCheckMs ?? 30_000,
      maxStalledCount: 5,
      ...(o.prefix ? { prefix: o.prefix } : {}),
    },
  );
  worker.on('error', () => {});
  return worker;
}
