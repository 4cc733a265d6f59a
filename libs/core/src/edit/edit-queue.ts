import type { EditEngine, EditOutcome, EditRequest } from './edit-engine.ts';
import type { EditProgress } from './latent-edit.ts';

export type EditJobStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

export type EditJobEvent =
  | { type: 'queued'; position: number }
  | { type: 'started' }
  | ({ type: 'progress'; phase?: 'audio' | 'text' } & EditProgress)
  | { type: 'succeeded'; outcome: EditOutcome }
  | { type: 'failed'; error: Error }
  | { type: 'canceled' };

/** One submitted edit: its events as they happen, its result, and a way to cancel it. */
export interface EditJob {
  readonly id: number;
  readonly status: EditJobStatus;
  /** Every event from submission on, replayed to late readers; ends after the final one. */
  events(): AsyncIterable<EditJobEvent>;
  /** Resolves with the outcome; rejects with the error, or an AbortError when canceled. */
  readonly result: Promise<EditOutcome>;
  cancel(): void;
}

/** Opens the engine of a pack by name (the queue keeps it while jobs for that pack keep coming). */
export type EngineOpener = (pack: string) => Promise<EditEngine>;

class Job implements EditJob {
  status: EditJobStatus = 'QUEUED';
  readonly controller = new AbortController();
  private readonly log: EditJobEvent[] = [];
  private readonly waiters: (() => void)[] = [];
  private done = false;
  readonly result: Promise<EditOutcome>;
  settle!: { resolve: (o: EditOutcome) => void; reject: (e: Error) => void };

  constructor(
    readonly id: number,
    readonly pack: string,
    readonly request: EditRequest,
  ) {
    this.result = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    // A caller that only reads events must not see an unhandled rejection.
    this.result.catch(() => {});
  }

  emit(event: EditJobEvent): void {
    this.log.push(event);
    if (event.type === 'succeeded' || event.type === 'failed' || event.type === 'canceled') this.done = true;
    for (const wake of this.waiters.splice(0)) wake();
  }

  async *events(): AsyncIterable<EditJobEvent> {
    let next = 0;
    for (;;) {
      while (next < this.log.length) yield this.log[next++]!;
      if (this.done) return;
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  cancel(): void {
    if (this.done) return;
    this.controller.abort();
    if (this.status === 'QUEUED') this.finishCanceled();
  }

  finishCanceled(): void {
    this.status = 'CANCELED';
    this.emit({ type: 'canceled' });
    this.settle.reject(new DOMException('the edit was canceled', 'AbortError'));
  }
}

/**
 * Runs edits one after another in this process (an edit uses every core, so running two at once
 * only makes both slower), with per-job progress events and cancellation. At most one pack's
 * networks are held at a time: a job for another pack releases the previous engine first, which
 * keeps memory bounded however many packs are asked for.
 */
export class EditQueue {
  private readonly waiting: Job[] = [];
  private running: Job | undefined;
  private engine: { pack: string; engine: EditEngine } | undefined;
  private nextId = 1;

  constructor(private readonly open: EngineOpener) {}

  get length(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  submit(pack: string, request: EditRequest): EditJob {
    const job = new Job(this.nextId++, pack, request);
    this.waiting.push(job);
    job.emit({ type: 'queued', position: this.waiting.length - 1 + (this.running ? 1 : 0) });
    void this.pump();
    return job;
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    for (let job = this.waiting.shift(); job; job = this.waiting.shift()) {
      if (job.status === 'CANCELED') continue;
      this.running = job;
      job.status = 'RUNNING';
      job.emit({ type: 'started' });
      this.waiting.forEach((w, i) => w.emit({ type: 'queued', position: i + 1 }));
      try {
        const engine = await this.engineFor(job.pack);
        const outcome = await engine.run(job.request, {
          signal: job.controller.signal,
          onProgress: (p) => job.emit({ type: 'progress', ...p }),
        });
        job.status = 'SUCCEEDED';
        job.emit({ type: 'succeeded', outcome });
        job.settle.resolve(outcome);
      } catch (e) {
        if (job.controller.signal.aborted) job.finishCanceled();
        else {
          const error = e instanceof Error ? e : new Error(String(e));
          job.status = 'FAILED';
          job.emit({ type: 'failed', error });
          job.settle.reject(error);
        }
      } finally {
        this.running = undefined;
      }
    }
  }

  private async engineFor(pack: string): Promise<EditEngine> {
    if (this.engine?.pack === pack) return this.engine.engine;
    if (this.engine) {
      const old = this.engine.engine;
      this.engine = undefined;
      await old.release();
    }
    const engine = await this.open(pack);
    this.engine = { pack, engine };
    return engine;
  }

  /** Cancels everything waiting and running, and releases the engine. */
  async close(): Promise<void> {
    for (const job of this.waiting.splice(0)) job.cancel();
    this.running?.cancel();
    while (this.running) await new Promise((r) => setTimeout(r, 10));
    await this.engine?.engine.release();
    this.engine = undefined;
  }
}
