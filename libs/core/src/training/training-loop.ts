import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  NonFiniteGradientError,
  type GradientProgram,
  type HostTensor,
  type LrSchedule,
  type Model,
  type Optimizer,
  type SessionOptions,
  type StepResult,
} from '@soundedit/models';
import { listCheckpoints, loadCheckpoint, pruneCheckpoints, saveCheckpoint } from './checkpoint.ts';
import { TrainingError } from './errors.ts';
import { CHECKPOINT_DIR, METRICS_FILE, truncateMetrics } from './run-folder.ts';
import type { OptimizerSettings, ScheduleSettings } from './trainer-options.ts';

/** Settings every trainer takes, besides its data and networks. */
export interface CommonTrainingOptions {
  /** Folder of the run: run.json, metrics.jsonl, checkpoints/, export/. An existing run there is resumed. */
  runDir: string;
  batchSize: number;
  steps: number;
  optimizer: OptimizerSettings;
  schedule: ScheduleSettings;
  seed: number;
  checkpointEvery?: number;
  keepCheckpoints?: number;
  validateEvery?: number;
  session?: SessionOptions;
  signal?: AbortSignal;
}

/** The loop's cadences from a trainer's options: every 500 steps and three checkpoints kept, unless set. */
export function loopCadence(
  o: CommonTrainingOptions,
): Pick<TrainingLoopSpec<object>, 'checkpointEvery' | 'validateEvery' | 'keepCheckpoints' | 'signal'> {
  return {
    checkpointEvery: Math.max(1, o.checkpointEvery ?? 500),
    validateEvery: Math.max(1, o.validateEvery ?? 500),
    keepCheckpoints: o.keepCheckpoints ?? 3,
    signal: o.signal,
  };
}

/** What every trainer's loop needs: the compiled program, how to feed a step, and where to keep state. */
export interface TrainingLoopSpec<V> {
  runDir: string;
  fingerprint: string;
  program: GradientProgram;
  optimizer: Optimizer;
  schedule: LrSchedule;
  steps: number;
  batchSize: number;
  /** Inputs of optimiser step `step` (0-based); must depend only on the run seed and `step`. */
  feedsFor(step: number): Record<string, HostTensor>;
  /**
   * Graphs written into each checkpoint by file name, with the current weights; trained tensors
   * that no graph holds (a learnable temperature) go into the checkpoint's state instead.
   */
  graphs: Record<string, Model>;
  /** Tensors saved and restored with the weights but not optimised (running statistics, fixed noise). */
  buffers?: Record<string, Float32Array>;
  /** Runs after each successful forward/backward, before the update (running statistics); returns metrics. */
  afterStep?(result: StepResult): Record<string, number | Record<string, number>>;
  validate?(step: number): Promise<V | undefined>;
  checkpointEvery: number;
  validateEvery: number;
  keepCheckpoints: number;
  signal?: AbortSignal | undefined;
  onStart?(event: {
    fromStep: number;
    totalSteps: number;
    trainableValues: number;
    resumedFrom?: string;
  }): void;
  onStep?(record: LoopStepRecord): void;
  onCheckpoint?(step: number, path: string): void;
}

export interface LoopStepRecord {
  step: number;
  totalSteps: number;
  loss: number;
  lr: number;
  samplesPerSecond: number;
  elapsedS: number;
  [metric: string]: number | Record<string, number>;
}

export interface LoopResult<V> {
  step: number;
  stopped: boolean;
  lastStep?: LoopStepRecord;
  lastValidation?: V;
}

/**
 * The loop shared by the trainers: resume from the newest checkpoint, then step, update, log a JSONL
 * line, validate and checkpoint on their cadences until done or aborted (an abort writes a
 * checkpoint, so nothing trained is lost). A non-finite loss or gradient stops the run with the
 * last checkpoint intact.
 */
export async function runTrainingLoop<V extends object>(spec: TrainingLoopSpec<V>): Promise<LoopResult<V>> {
  const { program, optimizer } = spec;
  const ckptDir = join(spec.runDir, CHECKPOINT_DIR);
  const metrics = join(spec.runDir, METRICS_FILE);
  const buffers = spec.buffers ?? {};
  const inGraphs = new Set(
    Object.values(spec.graphs).flatMap((m) => m.graph.initializers.map((t) => t.name)),
  );

  let start = 0;
  const latest = (await listCheckpoints(ckptDir)).at(-1);
  if (latest) {
    const ckpt = await loadCheckpoint(latest.path, spec.fingerprint);
    for (const [name, values] of Object.entries({ ...program.params, ...buffers })) {
      const saved =
        ckpt.weights[name] ??
        (ckpt.state.extra[name] ? Float32Array.from(ckpt.state.extra[name]) : undefined);
      if (!saved || saved.length !== values.length) {
        throw new TrainingError('RUN_MISMATCH', `checkpoint ${latest.path} lacks '${name}'`);
      }
      values.set(saved);
    }
    optimizer.load(ckpt.state.optimizer);
    start = ckpt.state.step;
  }
  await truncateMetrics(metrics, start);
  spec.onStart?.({
    fromStep: start,
    totalSteps: spec.steps,
    trainableValues: Object.values(program.params).reduce((n, p) => n + p.length, 0),
    ...(latest ? { resumedFrom: latest.path } : {}),
  });

  const checkpoint = async (step: number) => {
    const extra: Record<string, number[]> = {};
    for (const [name, values] of Object.entries(program.params))
      if (!inGraphs.has(name)) extra[name] = [...values];
    const path = await saveCheckpoint(
      ckptDir,
      spec.graphs,
      { ...buffers, ...program.params },
      {
        format: 'soundedit-trainer-checkpoint',
        version: 1,
        step,
        fingerprint: spec.fingerprint,
        extra,
        optimizer: optimizer.state(),
      },
    );
    await pruneCheckpoints(ckptDir, spec.keepCheckpoints);
    spec.onCheckpoint?.(step, path);
  };

  const out: LoopResult<V> = { step: start, stopped: false };
  const began = performance.now();
  while (out.step < spec.steps) {
    if (spec.signal?.aborted) {
      out.stopped = true;
      break;
    }
    const t0 = performance.now();
    const result = await program.step(spec.feedsFor(out.step));
    if (!Number.isFinite(result.loss)) {
      throw new TrainingError(
        'DIVERGED',
        `the loss became ${result.loss} at step ${out.step + 1}; lower the learning rate (last checkpoint kept)`,
      );
    }
    const extra = spec.afterStep?.(result) ?? {};
    const lr = spec.schedule(out.step);
    try {
      optimizer.step(result.grads, lr);
    } catch (e) {
      if (!(e instanceof NonFiniteGradientError)) throw e;
      throw new TrainingError('DIVERGED', `step ${out.step + 1}: ${e.message} (last checkpoint kept)`);
    }
    out.step++;
    const now = performance.now();
    const record: LoopStepRecord = {
      step: out.step,
      totalSteps: spec.steps,
      loss: result.loss,
      lr,
      samplesPerSecond: spec.batchSize / ((now - t0) / 1000),
      elapsedS: (now - began) / 1000,
      ...extra,
    };
    out.lastStep = record;
    spec.onStep?.(record);
    await appendFile(metrics, `${JSON.stringify({ type: 'step', ...record })}\n`);
    if (spec.validate && (out.step % spec.validateEvery === 0 || out.step === spec.steps)) {
      const v = await spec.validate(out.step);
      if (v) {
        out.lastValidation = v;
        await appendFile(metrics, `${JSON.stringify({ type: 'validation', step: out.step, ...v })}\n`);
      }
    }
    if (out.step % spec.checkpointEvery === 0 || out.step === spec.steps) await checkpoint(out.step);
  }
  if (out.stopped && out.step > start) await checkpoint(out.step);
  await program.release();
  return out;
}
