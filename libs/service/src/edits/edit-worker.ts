import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  encodePicturePng,
  encodeSideBySidePng,
  encodeTrajectoryGif,
  isAudioDecodeError,
  EditError,
  type EditEngine,
  type EditOutcome,
  type EditRequest,
  type EditSource,
} from '@soundedit/core';
import { eq } from 'drizzle-orm';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Db } from '../db/database.ts';
import { sounds } from '../db/schema.ts';
import { editChannel, GALLERY_CHANNEL, QUEUE_CHANNEL, type EventBus } from '../events/event-bus.ts';
import { isEditEvent, type EditEvent, type GalleryEvent } from '../events/edit-events.ts';
import type { EditMetrics, EditParams } from './edit-params.ts';
import {
  claimEdit,
  claimNextEdit,
  finishEdit,
  getEdit,
  releaseEdit,
  renewLease,
  type EditResultFields,
  type EditRow,
} from './edit-store.ts';

/** Opens a pack's edit engine by name; the worker keeps the last one open. */
export type EngineOpener = (pack: string) => Promise<EditEngine>;

export interface EditWorkerOptions {
  db: Db;
  blobs: BlobStore;
  bus: EventBus;
  openEngine: EngineOpener;
  workerId?: string;
  /** A worker that has not renewed its lease for this long is presumed dead. Default 30 s. */
  leaseMs?: number;
  maxAttempts?: number;
  /** How often an idle worker looks for work it was not told about. Default 1 s. */
  pollMs?: number;
  /** A preview picture every this many steps. Default 25. */
  previewEvery?: number;
  /** Upscaling of stored pictures (nearest neighbour). Default 4. */
  pictureScale?: number;
}

/** A failure the edit's inputs caused: stored with the edit, not retried. */
class EditInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs stored edits: claims the oldest queued one, runs it on its pack's engine, stores the
 * pictures and the record, and ends it, renewing its lease meanwhile and publishing progress.
 * One edit at a time (an edit uses every core). Any number of workers, in this process or others,
 * may share one database.
 */
export class EditWorker {
  readonly workerId: string;
  private readonly o: Required<Omit<EditWorkerOptions, 'workerId'>>;
  private engine: { pack: string; engine: EditEngine } | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private current: AbortController | undefined;

  constructor(options: EditWorkerOptions) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.o = {
      leaseMs: 30_000,
      maxAttempts: 3,
      pollMs: 1000,
      previewEvery: 25,
      pictureScale: 4,
      ...options,
    };
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Look for work now (an edit was just stored). */
  wake(): void {
    this.wakeUp?.();
  }

  /**
   * Stops; a running edit is handed back to the queue (not counted as an attempt), so another
   * worker, or this one after a restart, runs it from the start.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.current?.abort();
    this.wake();
    await this.loop;
    this.loop = undefined;
    await this.engine?.engine.release();
    this.engine = undefined;
  }

  /** Runs one claimable edit if there is one; for tests and single-shot tools. */
  async runOnce(): Promise<EditRow | undefined> {
    const row = await claimNextEdit(this.o.db, {
      workerId: this.workerId,
      leaseMs: this.o.leaseMs,
      maxAttempts: this.o.maxAttempts,
    });
    if (!row) return undefined;
    await this.process(row);
    return getEdit(this.o.db, row.id);
  }

  /**
   * Runs this edit when it can be claimed (a dispatched job): returns at once if it has ended,
   * waits while another live worker holds it (a job delivered twice), and takes it over when that
   * worker's lease runs out.
   */
  async runEdit(id: string, signal?: AbortSignal): Promise<EditRow | undefined> {
    for (;;) {
      const row = await claimEdit(this.o.db, id, {
        workerId: this.workerId,
        leaseMs: this.o.leaseMs,
        maxAttempts: this.o.maxAttempts,
      });
      if (row) {
        await this.process(row);
        return getEdit(this.o.db, id);
      }
      const now = await getEdit(this.o.db, id);
      if (!now || now.status !== 'RUNNING' || this.stopping || signal?.aborted) return now;
      const wait = Math.max(50, Math.min(5000, (now.leaseUntil?.getTime() ?? 0) - Date.now() + 50));
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let found: EditRow | undefined;
      try {
        found = await this.runOnce();
      } catch (e) {
        // The database went away for a moment: keep serving, try again after a pause.
        console.error(`worker ${this.workerId}: ${(e as Error).message}`);
      }
      if (found || this.stopping) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.o.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private publish(id: string, event: EditEvent): Promise<void> {
    return this.o.bus.publish(editChannel(id), event);
  }

  private async process(row: EditRow): Promise<void> {
    const { db } = this.o;
    const abort = new AbortController();
    this.current = abort;
    const unsubscribe = await this.o.bus.subscribe(editChannel(row.id), (m) => {
      if (isEditEvent(m) && m.type === 'cancel') abort.abort();
    });
    let step = 0;
    let lost = false;
    const heartbeat = setInterval(
      () => {
        renewLease(db, row.id, this.workerId, this.o.leaseMs, step).then(
          (r) => {
            if (!r.owned) lost = true;
            if (!r.owned || r.cancelRequested) abort.abort();
          },
          () => {},
        );
      },
      Math.max(50, this.o.leaseMs / 3),
    );
    await this.publish(row.id, {
      type: 'status',
      status: 'RUNNING',
      attempt: row.attempts,
      workerId: this.workerId,
    });
    await this.o.bus.publish(QUEUE_CHANNEL, { type: 'moved' });
    const t0 = performance.now();
    try {
      const engine = await this.engineFor(row.pack);
      const request = await this.requestFor(row);
      const soundClass = request.guidance.audio
        ? (await engine.nearestClass(request.guidance.audio)).name
        : undefined;
      const scale = this.o.pictureScale;
      const size = engine.models.generator.resolution;
      const outcome = await engine.run(request, {
        signal: abort.signal,
        onProgress: (p) => {
          step = p.step;
          void this.publish(row.id, {
            type: 'progress',
            step: p.step,
            totalSteps: p.totalSteps,
            loss: p.loss,
            cosine: p.cosine,
            similarity: p.similarity,
            ...(p.identity !== undefined ? { identity: p.identity } : {}),
            ...(p.preview
              ? {
                  preview: `data:image/png;base64,${Buffer.from(encodePicturePng(p.preview, size, 2)).toString('base64')}`,
                }
              : {}),
          });
        },
      });
      const fields = await this.store(row, outcome, size, scale, (performance.now() - t0) / 1000, soundClass);
      const done = await finishEdit(db, row.id, this.workerId, { status: 'SUCCEEDED', fields });
      if (done) {
        await this.publish(row.id, { type: 'finished', status: 'SUCCEEDED' });
        await this.o.bus.publish(GALLERY_CHANNEL, {
          type: 'edit-finished',
          editId: row.id,
        } satisfies GalleryEvent);
      }
    } catch (e) {
      if (abort.signal.aborted) {
        // Canceled on request: end it. Stopping: hand it back to the queue. A lost lease: it is
        // another worker's now.
        if (this.stopping && !lost) await releaseEdit(db, row.id, this.workerId);
        else if (!lost) {
          if (await finishEdit(db, row.id, this.workerId, { status: 'CANCELED' }))
            await this.publish(row.id, { type: 'finished', status: 'CANCELED' });
        }
      } else {
        const { code, message } = describeFailure(e);
        if (await finishEdit(db, row.id, this.workerId, { status: 'FAILED', code, message }))
          await this.publish(row.id, {
            type: 'finished',
            status: 'FAILED',
            errorCode: code,
            errorMessage: message,
          });
      }
    } finally {
      await this.o.bus.publish(QUEUE_CHANNEL, { type: 'moved' }).catch(() => {});
      clearInterval(heartbeat);
      await unsubscribe();
      this.current = undefined;
    }
  }

  private async engineFor(pack: string): Promise<EditEngine> {
    if (this.engine?.pack === pack) return this.engine.engine;
    const old = this.engine;
    this.engine = undefined;
    await old?.engine.release();
    let engine: EditEngine;
    try {
      engine = await this.o.openEngine(pack);
    } catch (e) {
      throw new EditInputError('UNKNOWN_PACK', `pack '${pack}' cannot be opened: ${(e as Error).message}`);
    }
    this.engine = { pack, engine };
    return engine;
  }

  private async blob(key: string, what: string): Promise<Uint8Array> {
    const bytes = await this.o.blobs.get(key);
    if (!bytes) throw new EditInputError('MISSING_INPUT', `${what} is no longer stored`);
    return bytes;
  }

  private async requestFor(row: EditRow): Promise<EditRequest> {
    const p: EditParams = row.params;
    let audio: Uint8Array | undefined;
    if (p.soundId) {
      const [sound] = await this.o.db.select().from(sounds).where(eq(sounds.id, p.soundId));
      if (!sound) throw new EditInputError('MISSING_INPUT', `sound ${p.soundId} was deleted`);
      audio = await this.blob(sound.blobKey, `sound ${p.soundId}`);
    }
    let source: EditSource;
    if (p.source.kind === 'seed')
      source = { kind: 'seed', seed: p.source.seed, truncation: p.source.truncation };
    else if (p.source.kind === 'image')
      source = { kind: 'image', image: await this.blob(p.source.imageKey, 'the picture') };
    else {
      const parent = await getEdit(this.o.db, p.source.editId);
      if (!parent?.latentKey)
        throw new EditInputError('MISSING_INPUT', `edit ${p.source.editId} has no result to start from`);
      const bytes = await this.blob(parent.latentKey, `the result of edit ${p.source.editId}`);
      source = {
        kind: 'latent',
        wPlus: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
      };
    }
    return {
      source,
      guidance: {
        ...(audio ? { audio } : {}),
        ...(p.text ? { text: p.text } : {}),
        ...(p.combine ? { combine: p.combine } : {}),
        ...(p.textWeight !== undefined ? { textWeight: p.textWeight } : {}),
        ...(p.audioLayers ? { audioLayers: p.audioLayers } : {}),
        ...(p.loudnessGain ? { loudnessGain: true } : {}),
      },
      settings: { ...p.settings, previewEvery: this.o.previewEvery },
    };
  }

  private async store(
    row: EditRow,
    outcome: EditOutcome,
    size: number,
    scale: number,
    seconds: number,
    soundClass: string | undefined,
  ): Promise<EditResultFields> {
    const { blobs } = this.o;
    const metrics: EditMetrics = {
      finalCosine: outcome.finalCosine,
      ...(outcome.identitySimilarity !== undefined ? { identitySimilarity: outcome.identitySimilarity } : {}),
      layerChange: outcome.layerChange,
      layerWeights: outcome.layerWeights,
      ...(outcome.inversion ? { inversionPsnr: outcome.inversion.psnr } : {}),
      ...(outcome.loudness
        ? {
            soundLevelDb: Number.isFinite(outcome.loudness.rmsDb) ? outcome.loudness.rmsDb : null,
            loudnessGain: outcome.loudness.gain,
          }
        : {}),
      seconds,
    };
    const steps = outcome.steps.map((s) => ({
      step: s.step,
      loss: s.loss,
      cosine: s.cosine,
      similarity: s.similarity,
      ...(s.identity !== undefined ? { identity: s.identity } : {}),
    }));
    const record = {
      id: row.id,
      pack: row.pack,
      params: row.params,
      settings: outcome.settings,
      metrics,
      steps,
    };
    const latent = new Uint8Array(outcome.wPlus.buffer, outcome.wPlus.byteOffset, outcome.wPlus.byteLength);
    const [sourceKey, resultKey, sideBySideKey, trajectoryKey, latentKey, recordKey] = await Promise.all([
      blobs.put(encodePicturePng(outcome.sourceImage, size, scale), 'png'),
      blobs.put(encodePicturePng(outcome.image, size, scale), 'png'),
      blobs.put(encodeSideBySidePng([outcome.sourceImage, outcome.image], size, scale), 'png'),
      blobs.put(encodeTrajectoryGif(outcome.frames, size, scale), 'gif'),
      blobs.put(latent.slice(), 'f32'),
      blobs.put(new TextEncoder().encode(JSON.stringify(record, null, 2)), 'json'),
    ]);
    return {
      ...(soundClass ? { soundClass } : {}),
      steps,
      metrics,
      sourceKey,
      resultKey,
      sideBySideKey,
      trajectoryKey,
      latentKey,
      recordKey,
    };
  }
}

function describeFailure(e: unknown): { code: string; message: string } {
  if (e instanceof EditInputError) return { code: e.code, message: e.message };
  if (isAudioDecodeError(e)) return { code: 'BAD_AUDIO', message: e.message };
  if (e instanceof EditError) return { code: 'BAD_EDIT', message: e.message };
  return { code: 'INTERNAL', message: `the edit failed: ${(e as Error)?.message ?? String(e)}` };
}
