import { createHash } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  broadcastToWPlus,
  compileGradientProgram,
  GraphBuilder,
  NonFiniteGradientError,
  stateDictKeys,
  styleGan2Mapping,
  styleGan2NumLatents,
  styleGan2Synthesis,
  type HostTensor,
  type SessionOptions,
  type StyleGan2Config,
} from '@soundedit/models';
import { buildGeneratorGraphs, Generator } from '../generator/generator.ts';
import {
  listCheckpoints,
  loadCheckpoint,
  pruneCheckpoints,
  saveCheckpoint,
  withWeights,
} from './checkpoint.ts';
import { TrainingError } from './errors.ts';
import { CHECKPOINT_DIR, claimRunDir, EXPORT_DIR, METRICS_FILE, truncateMetrics } from './run-folder.ts';
import { mixSeed, permutation } from './seeded-order.ts';
import {
  makeOptimizer,
  makeSchedule,
  type OptimizerSettings,
  type ScheduleSettings,
} from './trainer-options.ts';

/** A latent and the picture it must become: the renderer's image of the parameters the latent maps to. */
export interface LatentTarget {
  z: Float32Array;
  /** 8-bit planar RGB [3, size, size]. */
  pixels: Uint8Array;
}

export interface GeneratorTrainerOptions {
  runDir: string;
  config: StyleGan2Config;
  examples: readonly LatentTarget[];
  validation?: readonly LatentTarget[];
  batchSize: number;
  steps: number;
  optimizer: OptimizerSettings;
  schedule: ScheduleSettings;
  /** Weight of the loss on 2x-downsampled images, which rewards getting layout and colour right first. */
  coarseWeight?: number;
  seed: number;
  checkpointEvery?: number;
  keepCheckpoints?: number;
  validateEvery?: number;
  session?: SessionOptions;
  signal?: AbortSignal;
  onEvent?: (event: GeneratorEvent) => void;
}

export interface GeneratorValidation {
  step: number;
  /** Mean absolute error per channel value, on the [0, 1] scale. */
  meanAbsError: number;
  /** PSNR in dB over the validation pictures. */
  psnr: number;
}

export type GeneratorEvent =
  | { type: 'start'; fromStep: number; totalSteps: number; trainableValues: number; resumedFrom?: string }
  | { type: 'step'; step: number; totalSteps: number; loss: number; lr: number; samplesPerSecond: number }
  | ({ type: 'validation'; generator: Generator } & GeneratorValidation)
  | { type: 'checkpoint'; step: number; path: string }
  | { type: 'done'; step: number; exportDir: string; stopped: boolean };

export interface GeneratorResult {
  steps: number;
  stopped: boolean;
  /** export/generator: a generator folder with w_avg measured on the trained mapping. */
  exportDir: string;
  lastValidation?: GeneratorValidation;
}

/**
 * Trains a StyleGAN2 generator by regression: for fixed latents z, G(mapping(z)) must reproduce the
 * renderer's picture of the parameters z stands for. Random z then give valid, varied pictures of
 * the world, through a real mapping network, per-layer styles and modulated convolutions, so W+
 * editing means what it means for an adversarially trained StyleGAN2. Loss: L1 at full resolution
 * plus `coarseWeight` x L1 at half resolution.
 */
export async function trainGenerator(o: GeneratorTrainerOptions): Promise<GeneratorResult> {
  const emit = o.onEvent ?? (() => {});
  const { config } = o;
  const size = config.size;
  const item = 3 * size * size;
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1 || o.batchSize > o.examples.length) {
    throw new TrainingError(
      'BAD_BATCH_SIZE',
      `batchSize must be 1..${o.examples.length}, got ${o.batchSize}`,
      {
        subject: 'batchSize',
      },
    );
  }
  for (const [i, e] of [...o.examples, ...(o.validation ?? [])].entries()) {
    if (e.z.length !== config.styleDim || e.pixels.length !== item || !e.z.every(Number.isFinite)) {
      throw new TrainingError(
        'BAD_DATA',
        `example ${i} needs a finite z of ${config.styleDim} and ${item} pixel values`,
      );
    }
  }
  const stepsPerEpoch = Math.floor(o.examples.length / o.batchSize);
  const coarseWeight = o.coarseWeight ?? 1;
  const settings = {
    config,
    batchSize: o.batchSize,
    steps: o.steps,
    stepsPerEpoch,
    optimizer: o.optimizer,
    schedule: o.schedule,
    coarseWeight,
    seed: o.seed,
  };
  const data = createHash('sha256');
  for (const e of o.examples)
    data.update(new Uint8Array(e.z.buffer, e.z.byteOffset, e.z.byteLength)).update(e.pixels);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(settings))
    .update(data.digest('hex'))
    .digest('hex')
    .slice(0, 16);
  await claimRunDir(o.runDir, settings, fingerprint);

  const b = new GraphBuilder('generator_regression', o.seed);
  const z = b.input('z', [o.batchSize, config.styleDim]);
  const target = b.input('target', [o.batchSize, 3, size, size]);
  const w = styleGan2Mapping(b, z, { config });
  const image = styleGan2Synthesis(b, broadcastToWPlus(b, w, styleGan2NumLatents(size)), {
    config,
    form: 'activation',
    noise: 'buffer',
  });
  const l1 = (x: string, y: string) =>
    b.op('ReduceMean', [b.op('Abs', [b.op('Sub', [x, y])])], { keepdims: 0 });
  const pool = (x: string) => b.op('AveragePool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
  const loss = b.op('Add', [
    l1(image, target),
    b.op('Mul', [l1(pool(image), pool(target)), b.scalarF(coarseWeight)]),
  ]);
  // Noise buffers are fixed inputs of the picture, not weights: training them would memorise detail.
  const weights = stateDictKeys(b);
  const params = weights.filter((name) => !name.startsWith('noises.'));
  const program = await compileGradientProgram(b.model(), {
    loss,
    params,
    exampleFeeds: feeds(o, range(o.batchSize)),
    session: { ...o.session, cache: false },
  });
  const optimizer = makeOptimizer(o.optimizer, program.params);
  const schedule = makeSchedule(settings);
  const graphs = buildGeneratorGraphs(config, o.seed);
  const fixed: Record<string, Float32Array> = {};
  for (const name of weights) {
    if (!program.params[name]) fixed[name] = b.findInitializer(name)!.data as Float32Array;
  }
  const weightsNow = () => ({ ...fixed, ...program.params });

  let start = 0;
  const ckptDir = join(o.runDir, CHECKPOINT_DIR);
  const latest = (await listCheckpoints(ckptDir)).at(-1);
  if (latest) {
    const ckpt = await loadCheckpoint(latest.path, fingerprint);
    for (const [name, values] of Object.entries({ ...program.params, ...fixed })) {
      const saved = ckpt.weights[name];
      if (!saved || saved.length !== values.length)
        throw new TrainingError('RUN_MISMATCH', `checkpoint lacks '${name}'`);
      values.set(saved);
    }
    optimizer.load(ckpt.state.optimizer);
    start = ckpt.state.step;
  }
  await truncateMetrics(join(o.runDir, METRICS_FILE), start);
  emit({
    type: 'start',
    fromStep: start,
    totalSteps: o.steps,
    trainableValues: Object.values(program.params).reduce((n, p) => n + p.length, 0),
    ...(latest ? { resumedFrom: latest.path } : {}),
  });

  const models = () => ({
    mapping: withWeights(graphs.mapping, weightsNow()),
    synthesis: withWeights(graphs.synthesis, weightsNow()),
  });
  const checkpoint = async (step: number) => {
    const path = await saveCheckpoint(
      ckptDir,
      { 'mapping.onnx': graphs.mapping, 'synthesis.onnx': graphs.synthesis },
      weightsNow(),
      {
        format: 'soundedit-trainer-checkpoint',
        version: 1,
        step,
        fingerprint,
        extra: {},
        optimizer: optimizer.state(),
      },
    );
    await pruneCheckpoints(ckptDir, o.keepCheckpoints ?? 3);
    emit({ type: 'checkpoint', step, path });
  };
  const validate = async (step: number): Promise<GeneratorValidation | undefined> => {
    if (!o.validation?.length) return undefined;
    const m = models();
    const generator = await Generator.fromModels(m.mapping, m.synthesis, config, { wAvgSamples: 256 });
    try {
      const v = { step, ...(await reconstruction(generator, o.validation)) };
      emit({ type: 'validation', generator, ...v });
      await appendFile(join(o.runDir, METRICS_FILE), `${JSON.stringify({ type: 'validation', ...v })}\n`);
      return v;
    } finally {
      await generator.release();
    }
  };

  let step = start;
  let stopped = false;
  let lastValidation: GeneratorValidation | undefined;
  let order: number[] = [];
  let orderEpoch = -1;
  const every = (n: number | undefined) => Math.max(1, n ?? 500);
  while (step < o.steps) {
    if (o.signal?.aborted) {
      stopped = true;
      break;
    }
    const t0 = performance.now();
    const epoch = Math.floor(step / stepsPerEpoch);
    if (epoch !== orderEpoch) {
      order = permutation(o.examples.length, mixSeed(o.seed, 0x0de7, epoch));
      orderEpoch = epoch;
    }
    const at = (step % stepsPerEpoch) * o.batchSize;
    const result = await program.step(feeds(o, order.slice(at, at + o.batchSize)));
    if (!Number.isFinite(result.loss)) {
      throw new TrainingError(
        'DIVERGED',
        `the loss became ${result.loss} at step ${step + 1} (last checkpoint kept)`,
      );
    }
    const lr = schedule(step);
    try {
      optimizer.step(result.grads, lr);
    } catch (e) {
      if (!(e instanceof NonFiniteGradientError)) throw e;
      throw new TrainingError('DIVERGED', `step ${step + 1}: ${e.message} (last checkpoint kept)`);
    }
    step++;
    const record = {
      step,
      totalSteps: o.steps,
      loss: result.loss,
      lr,
      samplesPerSecond: o.batchSize / ((performance.now() - t0) / 1000),
    };
    emit({ type: 'step', ...record });
    await appendFile(join(o.runDir, METRICS_FILE), `${JSON.stringify({ type: 'step', ...record })}\n`);
    if (step % every(o.validateEvery) === 0 || step === o.steps) lastValidation = await validate(step);
    if (step % every(o.checkpointEvery) === 0 || step === o.steps) await checkpoint(step);
  }
  if (stopped && step > start) await checkpoint(step);
  await program.release();
  const exportDir = join(o.runDir, EXPORT_DIR, 'generator');
  await mkdir(exportDir, { recursive: true });
  const m = models();
  const generator = await Generator.fromModels(m.mapping, m.synthesis, config, { wAvgSamples: 4096 });
  await generator.save(exportDir);
  await generator.release();
  emit({ type: 'done', step, exportDir, stopped });
  return { steps: step, stopped, exportDir, ...(lastValidation ? { lastValidation } : {}) };
}

function feeds(o: GeneratorTrainerOptions, indices: readonly number[]): Record<string, HostTensor> {
  const d = o.config.styleDim;
  const size = o.config.size;
  const item = 3 * size * size;
  const z = new Float32Array(indices.length * d);
  const target = new Float32Array(indices.length * item);
  indices.forEach((index, k) => {
    const e = o.examples[index]!;
    z.set(e.z, k * d);
    // The synthesis network's range is [-1, 1].
    for (let i = 0; i < item; i++) target[k * item + i] = (e.pixels[i]! / 255) * 2 - 1;
  });
  return {
    z: { data: z, dims: [indices.length, d] },
    target: { data: target, dims: [indices.length, 3, size, size] },
  };
}

/** How closely the generator's pictures of the validation latents match their targets. */
export async function reconstruction(
  generator: Generator,
  examples: readonly LatentTarget[],
): Promise<{ meanAbsError: number; psnr: number }> {
  let abs = 0;
  let sq = 0;
  let count = 0;
  for (const e of examples) {
    const image = await generator.synthesize(generator.toWPlus(await generator.map(e.z)));
    for (let i = 0; i < e.pixels.length; i++) {
      const v = Math.min(1, Math.max(0, (image[i]! + 1) / 2));
      const diff = v - e.pixels[i]! / 255;
      abs += Math.abs(diff);
      sq += diff * diff;
    }
    count += e.pixels.length;
  }
  return { meanAbsError: abs / count, psnr: 10 * Math.log10(1 / Math.max(sq / count, 1e-12)) };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
