import { Worker } from 'node:worker_threads';
import { AudioDecodeError } from './errors.ts';
import type { WorkerReady, WorkerRequest, WorkerResponse } from './worker-protocol.ts';

interface Job {
  request: WorkerRequest;
  timeoutMs: number;
  resolve: (r: WorkerResponse) => void;
  reject: (e: unknown) => void;
}

/** V8 heap cap for the worker; decoded samples live outside it in ArrayBuffers. */
const WORKER_HEAP_MB = 256;

/**
 * Run from TypeScript sources (vitest, tsx) the worker file is .ts, which a bare worker thread cannot
 * load: start it through tsx's loader. Built output (.js) starts directly.
 */
function startWorker(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './decode-worker.ts' : './decode-worker.js', import.meta.url);
  const resourceLimits = { maxOldGenerationSizeMb: WORKER_HEAP_MB };
  if (!fromSource) return new Worker(entry, { resourceLimits });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}));`;
  return new Worker(boot, { eval: true, resourceLimits });
}

/**
 * One long-lived decode worker, fed one job at a time. A job past its deadline terminates the
 * worker (the only way to stop synchronous wasm) and the next job starts a fresh one; the worker is
 * unref'd while idle so it never keeps the process alive.
 */
class DecodeThread {
  private worker: Worker | null = null;
  private ready = false;
  private current: { job: Job; timer: NodeJS.Timeout } | null = null;
  private readonly queue: Job[] = [];
  private nextId = 1;

  run(request: Omit<WorkerRequest, 'id'>, timeoutMs: number): Promise<WorkerResponse> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { ...request, id: this.nextId++ }, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.ready = false;
    if (w) await w.terminate();
  }

  private pump(): void {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) {
      this.worker?.unref();
      return;
    }
    const worker = this.ensureWorker();
    worker.ref();
    const timer = setTimeout(
      () =>
        this.fail(job, new AudioDecodeError('TIMEOUT', timeoutMessage(job.timeoutMs), job.request.format)),
      job.timeoutMs,
    );
    this.current = { job, timer };
    const { bytes } = job.request;
    worker.postMessage(job.request, [bytes.buffer as ArrayBuffer]);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker();
    this.worker = worker;
    this.ready = false;
    worker.on('message', (msg: WorkerResponse | WorkerReady) => {
      if ('ready' in msg) {
        this.ready = true;
        return;
      }
      const cur = this.current;
      if (!cur || cur.job.request.id !== msg.id) return;
      clearTimeout(cur.timer);
      this.current = null;
      cur.job.resolve(msg);
      this.pump();
    });
    worker.on('error', (err) => this.onWorkerDeath(worker, err));
    worker.on('exit', (code) =>
      this.onWorkerDeath(worker, new Error(`decode worker exited with code ${code}`)),
    );
    return worker;
  }

  private onWorkerDeath(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    const startedOk = this.ready;
    this.worker = null;
    this.ready = false;
    const cur = this.current;
    if (!cur) return;
    // Dying before it was ready is our environment's fault, not the file's: do not blame the upload.
    const blame = startedOk
      ? new AudioDecodeError(
          'CORRUPT',
          'The decoder crashed on this file; it is probably damaged.',
          cur.job.request.format,
          { cause: err },
        )
      : new Error(`could not start the audio decode worker: ${err.message}`, { cause: err });
    this.fail(cur.job, blame);
  }

  private fail(job: Job, err: unknown): void {
    if (this.current?.job !== job) return;
    clearTimeout(this.current.timer);
    this.current = null;
    const w = this.worker;
    this.worker = null;
    this.ready = false;
    if (w) void w.terminate();
    job.reject(err);
    this.pump();
  }
}

function timeoutMessage(ms: number): string {
  return `Decoding took longer than ${(ms / 1000).toFixed(0)} s and was stopped; the file is probably damaged or unusually complex.`;
}

const thread = new DecodeThread();

export function decodeInWorker(
  request: Omit<WorkerRequest, 'id'>,
  timeoutMs: number,
): Promise<WorkerResponse> {
  return thread.run(request, timeoutMs);
}

/** Stop the decode worker (tests, graceful shutdown). The next decode starts a new one. */
export function closeDecodeWorker(): Promise<void> {
  return thread.close();
}
