import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  compileGradientProgram,
  GraphBuilder,
  Rng,
  stateDictKeys,
  styleGan2Mapping,
  styleGan2NumLatents,
  styleGan2Synthesis,
  type HostTensor,
  type StyleGan2Config,
} from '@soundedit/models';
import { buildGeneratorGraphs, Generator } from '../generator/generator.ts';
import { withWeights } from './checkpoint.ts';
import { TrainingError } from './errors.ts';
import { claimRunDir, EXPORT_DIR, runIdentity } from './run-folder.ts';
import { loopCadence, runTrainingLoop, type CommonTrainingOptions } from './training-loop.ts';
import { mixSeed, permutation } from './seeded-order.ts';
import { makeOptimizer, makeSchedule } from './trainer-options.ts';

/** A latent and the picture it must become: the renderer's image of the parameters the latent maps to. */
export interface LatentTarget {
  /**
   * One latent (styleDim values) for every style layer, or one per layer (layers x styleDim, style
   * mixing): the picture then shows each layer's share of the parameters from that layer's latent.
   */
  z: Float32Array;
  /** 8-bit planar RGB [3, size, size]. */
  pixels: Uint8Array;
}

export interface GeneratorTrainerOptions extends CommonTrainingOptions {
  config: StyleGan2Config;
  examples: readonly LatentTarget[];
  validation?: readonly LatentTarget[];
  /** Weight of the loss on 2x-downsampled images, which rewards getting layout and colour right first. */
  coarseWeight?: number;
  /**
   * Largest standard deviation of Gaussian noise added to each W+ layer's code during training (each
   * example draws its own scale in [0, wPlusNoise]), with the clean picture as target. Regression
   * sees only one w broadcast to every layer; without this, small per-layer moves (what a W+ edit
   * makes) decode to colour artefacts. Default 0.
   */
  wPlusNoise?: number;
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
  const L = styleGan2NumLatents(size);
  for (const [i, e] of [...o.examples, ...(o.validation ?? [])].entries()) {
    const zOk = e.z.length === config.styleDim || e.z.length === L * config.styleDim;
    if (!zOk || e.pixels.length !== item || !e.z.every(Number.isFinite)) {
      throw new TrainingError(
        'BAD_DATA',
        `example ${i} needs a finite z of ${config.styleDim} (or ${L} x ${config.styleDim}) and ${item} pixel values`,
      );
    }
  }
  const stepsPerEpoch = Math.floor(o.examples.length / o.batchSize);
  const coarseWeight = o.coarseWeight ?? 1;
  const wPlusNoise = o.wPlusNoise ?? 0;
  if (!(wPlusNoise >= 0 && wPlusNoise < 100)) {
    throw new TrainingError('BAD_DATA', `wPlusNoise must be in [0, 100), got ${wPlusNoise}`, {
      subject: 'wPlusNoise',
    });
  }
  const settings = {
    config,
    batchSize: o.batchSize,
    steps: o.steps,
    stepsPerEpoch,
    optimizer: o.optimizer,
    schedule: o.schedule,
    coarseWeight,
    seed: o.seed,
    ...(wPlusNoise > 0 ? { wPlusNoise } : {}),
  };
  const fingerprint = runIdentity(
    settings,
    o.examples.flatMap((e) => [new Uint8Array(e.z.buffer, e.z.byteOffset, e.z.byteLength), e.pixels]),
  );
  await claimRunDir(o.runDir, settings, fingerprint);

  const b = new GraphBuilder('generator_regression', o.seed);
  // One latent per style layer: plain examples repeat theirs, mixed ones bring one per layer.
  const z = b.input('z', [o.batchSize, L, config.styleDim]);
  const target = b.input('target', [o.batchSize, 3, size, size]);
  const w = styleGan2Mapping(b, b.op('Reshape', [z, b.constI64([-1, config.styleDim])]), { config });
  let wPlus = b.op('Reshape', [w, b.constI64([o.batchSize, L, config.styleDim])]);
  if (wPlusNoise > 0) wPlus = b.op('Add', [wPlus, b.input(W_PLUS_NOISE, [o.batchSize, L, config.styleDim])]);
  const image = styleGan2Synthesis(b, wPlus, {
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
    exampleFeeds: feeds(o, range(o.batchSize), 0),
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

  const models = () => ({
    mapping: withWeights(graphs.mapping, weightsNow()),
    synthesis: withWeights(graphs.synthesis, weightsNow()),
  });
  const loop = await runTrainingLoop<GeneratorValidation>({
    runDir: o.runDir,
    fingerprint,
    program,
    optimizer,
    schedule,
    steps: o.steps,
    batchSize: o.batchSize,
    feedsFor: (step) => {
      const epoch = Math.floor(step / stepsPerEpoch);
      const order = permutation(o.examples.length, mixSeed(o.seed, 0x0de7, epoch));
      const at = (step % stepsPerEpoch) * o.batchSize;
      return feeds(o, order.slice(at, at + o.batchSize), step);
    },
    graphs: { 'mapping.onnx': graphs.mapping, 'synthesis.onnx': graphs.synthesis },
    buffers: fixed,
    validate: async (step) => {
      if (!o.validation?.length) return undefined;
      const m = models();
      const generator = await Generator.fromModels(m.mapping, m.synthesis, config, { wAvgSamples: 256 });
      try {
        const v = { step, ...(await reconstruction(generator, o.validation)) };
        emit({ type: 'validation', generator, ...v });
        return v;
      } finally {
        await generator.release();
      }
    },
    ...loopCadence(o),
    onStart: (e) => emit({ type: 'start', ...e }),
    onStep: (r) =>
      emit({
        type: 'step',
        step: r.step,
        totalSteps: r.totalSteps,
        loss: r.loss,
        lr: r.lr,
        samplesPerSecond: r.samplesPerSecond,
      }),
    onCheckpoint: (step, path) => emit({ type: 'checkpoint', step, path }),
  });
  const { step, stopped, lastValidation } = loop;
  const exportDir = join(o.runDir, EXPORT_DIR, 'generator');
  await mkdir(exportDir, { recursive: true });
  const final = models();
  const generator = await Generator.fromModels(final.mapping, final.synthesis, config, { wAvgSamples: 4096 });
  await generator.save(exportDir);
  await generator.release();
  emit({ type: 'done', step, exportDir, stopped });
  return { steps: step, stopped, exportDir, ...(lastValidation ? { lastValidation } : {}) };
}

const W_PLUS_NOISE = 'wplus_noise';

function feeds(
  o: GeneratorTrainerOptions,
  indices: readonly number[],
  step: number,
): Record<string, HostTensor> {
  const d = o.config.styleDim;
  const size = o.config.size;
  const L = styleGan2NumLatents(size);
  const item = 3 * size * size;
  const z = new Float32Array(indices.length * L * d);
  const target = new Float32Array(indices.length * item);
  indices.forEach((index, k) => {
    const e = o.examples[index]!;
    if (e.z.length === L * d) z.set(e.z, k * L * d);
    else for (let l = 0; l < L; l++) z.set(e.z, (k * L + l) * d);
    // The synthesis network's range is [-1, 1].
    for (let i = 0; i < item; i++) target[k * item + i] = (e.pixels[i]! / 255) * 2 - 1;
  });
  const out: Record<string, HostTensor> = {
    z: { data: z, dims: [indices.length, L, d] },
    target: { data: target, dims: [indices.length, 3, size, size] },
  };
  if (o.wPlusNoise) {
    const rng = new Rng(mixSeed(o.seed, 0x4015e, step));
    const noise = rng.fillNormal(new Float32Array(indices.length * L * d));
    for (let k = 0; k < indices.length; k++) {
      const scale = o.wPlusNoise * rng.next();
      for (let i = k * L * d; i < (k + 1) * L * d; i++) noise[i]! *= scale;
    }
    out[W_PLUS_NOISE] = { data: noise, dims: [indices.length, L, d] };
  }
  return out;
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
    const image = await generator.synthesize(await latentToWPlus(generator, e.z));
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

/** The W+ code of a LatentTarget's z: one latent broadcast, or one mapped per layer. */
export async function latentToWPlus(generator: Generator, z: Float32Array): Promise<Float32Array> {
  const d = generator.styleDim;
  if (z.length === d) return generator.toWPlus(await generator.map(z));
  const wPlus = new Float32Array(z.length);
  for (let l = 0; l < z.length / d; l++)
    wPlus.set(await generator.map(z.subarray(l * d, (l + 1) * d)), l * d);
  return wPlus;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
