import { join } from 'node:path';
import {
  compileGradientProgram,
  GraphBuilder,
  Rng,
  stateDictKeys,
  visionTransformer,
  type HostTensor,
  type VisionTransformerConfig,
} from '@soundedit/models';
import {
  buildImageEncoder,
  IMAGE_TOWER_PREFIX,
  ImageEncoder,
  PICTURE_TOWERS,
  type PictureTowerKind,
} from '../encoders/clip-image/image-encoder.ts';
import { withWeights } from './checkpoint.ts';
import { TrainingError } from './errors.ts';
import { channelStats } from './image-text-trainer.ts';
import { contrastiveLoss, l2Normalize } from './infonce.ts';
import { claimRunDir, EXPORT_DIR, runIdentity } from './run-folder.ts';
import { mixSeed, permutation } from './seeded-order.ts';
import { makeOptimizer, makeSchedule } from './trainer-options.ts';
import { loopCadence, runTrainingLoop, type CommonTrainingOptions } from './training-loop.ts';

/** Settings both picture-tower trainers share. */
export interface PictureTowerTraining extends CommonTrainingOptions {
  /** The tower; `outputDim` is the embedding size (identity) or the number of parameters (probe). */
  vit: VisionTransformerConfig;
  onStep?: (record: { step: number; totalSteps: number; loss: number; lr: number }) => void;
}

/** Two pictures of one identity (one face with two expressions). */
export interface IdentityPair {
  a: Uint8Array;
  b: Uint8Array;
}

export interface IdentityValidation {
  step: number;
  pairs: number;
  /** Verification accuracy on genuine and impostor pairs, the threshold fixed on the other half. */
  verificationAccuracy: number;
  threshold: number;
}

export interface ProbeExample {
  pixels: Uint8Array;
  /** Renderer parameters scaled to [0, 1], one per output name. */
  target: Float32Array;
}

export interface ProbeValidation {
  step: number;
  pictures: number;
  /** Mean absolute error per output, on the [0, 1] scale. */
  meanAbsError: Record<string, number>;
}

/**
 * The identity encoder (the ArcFace role of the paper's identity loss): a ViT trained so the two
 * pictures of a pair embed close and other identities in the batch far (symmetric InfoNCE over
 * identities), so its embedding holds across expressions and tells people apart.
 */
export async function trainIdentityEncoder(
  o: PictureTowerTraining & {
    pairs: readonly IdentityPair[];
    validation?: readonly IdentityPair[];
    onValidation?: (v: IdentityValidation) => void;
  },
): Promise<{ exportDir: string; steps: number; stopped: boolean; lastValidation?: IdentityValidation }> {
  const size = o.vit.inputResolution;
  const examples = o.pairs.flatMap((p) => [p.a, p.b]).map((pixels) => ({ pixels, captions: [''] }));
  const { mean, std } = channelStats(examples, size);
  const b = new GraphBuilder('identity', o.seed);
  const a = b.input('pixels_a', [o.batchSize, 3, size, size]);
  const p = b.input('pixels_b', [o.batchSize, 3, size, size]);
  const both = l2Normalize(
    b,
    visionTransformer(b, b.op('Concat', [a, p], { axis: 0 }), { ...o.vit, name: IMAGE_TOWER_PREFIX }),
  );
  const rows = (start: number) =>
    b.op('Slice', [both, b.constI64([start]), b.constI64([start + o.batchSize]), b.constI64([0])]);
  const weights = stateDictKeys(b);
  const loss = contrastiveLoss(b, {
    audio: rows(0),
    audioAug: rows(o.batchSize),
    temperature: { kind: 'learnable', init: 0.1 },
  });
  const feedsFor = (indices: readonly number[], rng: Rng): Record<string, HostTensor> => {
    const pick = (which: 'a' | 'b') =>
      normalise(
        indices.map((i) => o.pairs[i]![which]),
        size,
        mean,
        std,
        rng,
      );
    return { pixels_a: pick('a'), pixels_b: pick('b') };
  };
  const params = [...weights, ...(loss.temperatureParam ? [loss.temperatureParam] : [])];
  const result = await trainTower(o, 'identity', b, loss.loss, params, weights, o.pairs.length, feedsFor, {
    mean,
    std,
    validate: o.validation?.length
      ? async (encoder, step) => {
          const v = { step, ...(await verification(encoder, o.validation!, size)) };
          o.onValidation?.(v);
          return v;
        }
      : undefined,
    fingerprintData: o.pairs.flatMap((x) => [x.a, x.b]),
  });
  return result;
}

/**
 * An attribute probe: a ViT regressing the renderer's parameters (scaled to [0, 1]) from a picture,
 * trained with mean squared error. Used only to measure what an edit changed.
 */
export async function trainAttributeProbe(
  o: PictureTowerTraining & {
    examples: readonly ProbeExample[];
    validation?: readonly ProbeExample[];
    outputs: readonly string[];
    onValidation?: (v: ProbeValidation) => void;
  },
): Promise<{ exportDir: string; steps: number; stopped: boolean; lastValidation?: ProbeValidation }> {
  if (o.outputs.length !== o.vit.outputDim || o.examples.some((e) => e.target.length !== o.outputs.length)) {
    throw new TrainingError('BAD_DATA', `every target needs ${o.vit.outputDim} values, one per output name`);
  }
  const size = o.vit.inputResolution;
  const { mean, std } = channelStats(
    o.examples.map((e) => ({ pixels: e.pixels, captions: [''] })),
    size,
  );
  const b = new GraphBuilder('probe', o.seed);
  const x = b.input('pixels', [o.batchSize, 3, size, size]);
  const target = b.input('target', [o.batchSize, o.outputs.length]);
  const y = visionTransformer(b, x, { ...o.vit, name: IMAGE_TOWER_PREFIX });
  const diff = b.op('Sub', [y, target]);
  const loss = b.op('ReduceMean', [b.op('Mul', [diff, diff])], { keepdims: 0 });
  const weights = stateDictKeys(b);
  const feedsFor = (indices: readonly number[], rng: Rng): Record<string, HostTensor> => {
    const t = new Float32Array(indices.length * o.outputs.length);
    indices.forEach((i, k) => t.set(o.examples[i]!.target, k * o.outputs.length));
    return {
      // No flips: a probe may read parameters that have a side (where the sun or a fire is).
      pixels: normalise(
        indices.map((i) => o.examples[i]!.pixels),
        size,
        mean,
        std,
        rng,
        false,
      ),
      target: { data: t, dims: [indices.length, o.outputs.length] },
    };
  };
  return trainTower(o, 'probe', b, loss, weights, weights, o.examples.length, feedsFor, {
    mean,
    std,
    outputs: [...o.outputs],
    validate: o.validation?.length
      ? async (encoder, step) => {
          const v = { step, ...(await probeError(encoder, o.validation!, o.outputs, size)) };
          o.onValidation?.(v);
          return v;
        }
      : undefined,
    fingerprintData: o.examples.map((e) => e.pixels),
  });
}

/** The shared part: compile, loop with checkpoints, export the tower folder. */
async function trainTower<V extends object>(
  o: PictureTowerTraining,
  kind: PictureTowerKind,
  b: GraphBuilder,
  loss: string,
  params: string[],
  weights: string[],
  count: number,
  feedsFor: (indices: readonly number[], rng: Rng) => Record<string, HostTensor>,
  extra: {
    mean: [number, number, number];
    std: [number, number, number];
    outputs?: string[];
    validate: ((encoder: ImageEncoder, step: number) => Promise<V>) | undefined;
    fingerprintData: readonly Uint8Array[];
  },
): Promise<{ exportDir: string; steps: number; stopped: boolean; lastValidation?: V }> {
  if (!Number.isInteger(o.batchSize) || o.batchSize < 2 || o.batchSize > count) {
    throw new TrainingError('BAD_BATCH_SIZE', `batchSize must be 2..${count}, got ${o.batchSize}`, {
      subject: 'batchSize',
    });
  }
  const stepsPerEpoch = Math.floor(count / o.batchSize);
  const settings = {
    kind,
    vit: o.vit,
    batchSize: o.batchSize,
    steps: o.steps,
    stepsPerEpoch,
    optimizer: o.optimizer,
    schedule: o.schedule,
    seed: o.seed,
    outputs: extra.outputs ?? null,
  };
  const fingerprint = runIdentity(settings, extra.fingerprintData);
  await claimRunDir(o.runDir, settings, fingerprint);
  const range = Array.from({ length: o.batchSize }, (_, i) => i);
  const program = await compileGradientProgram(b.model(), {
    loss,
    params,
    exampleFeeds: feedsFor(range, new Rng(0)),
    session: { ...o.session, cache: false },
  });
  const optimizer = makeOptimizer(o.optimizer, program.params);
  const inference = buildImageEncoder(o.vit, o.seed, kind);
  const towerNow = () => {
    const values: Record<string, Float32Array> = {};
    for (const w of weights) values[w] = program.params[w]!;
    const description = {
      preprocess: { size: o.vit.inputResolution, mean: extra.mean, std: extra.std },
      embedDim: o.vit.outputDim,
      vit: o.vit,
      ...(extra.outputs ? { outputs: extra.outputs } : {}),
    };
    return ImageEncoder.fromModel(withWeights(inference, values), description, { kind });
  };
  const loop = await runTrainingLoop<V>({
    runDir: o.runDir,
    fingerprint,
    program,
    optimizer,
    schedule: makeSchedule(settings),
    steps: o.steps,
    batchSize: o.batchSize,
    feedsFor: (step) => {
      const order = permutation(count, mixSeed(o.seed, 0x0de7, Math.floor(step / stepsPerEpoch)));
      const at = (step % stepsPerEpoch) * o.batchSize;
      return feedsFor(order.slice(at, at + o.batchSize), new Rng(mixSeed(o.seed, 0x57e9, step)));
    },
    graphs: { [PICTURE_TOWERS[kind].model]: inference },
    validate: extra.validate
      ? async (step) => {
          const encoder = await towerNow();
          try {
            return await extra.validate!(encoder, step);
          } finally {
            await encoder.release();
          }
        }
      : undefined,
    ...loopCadence(o),
    onStep: (r) => o.onStep?.({ step: r.step, totalSteps: r.totalSteps, loss: r.loss, lr: r.lr }),
  });
  const exportDir = join(o.runDir, EXPORT_DIR, kind === 'identity' ? 'identity-encoder' : 'attribute-probe');
  const encoder = await towerNow();
  await encoder.save(exportDir);
  await encoder.release();
  return {
    exportDir,
    steps: loop.step,
    stopped: loop.stopped,
    ...(loop.lastValidation ? { lastValidation: loop.lastValidation } : {}),
  };
}

/** 8-bit planar pictures to a normalised batch, mirrored at random unless `flip` is false. */
function normalise(
  pictures: readonly Uint8Array[],
  size: number,
  mean: readonly number[],
  std: readonly number[],
  rng: Rng,
  flip = true,
): HostTensor {
  const n = size * size;
  const out = new Float32Array(pictures.length * 3 * n);
  pictures.forEach((px, k) => {
    const mirror = flip && rng.next() < 0.5;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const v = px[c * n + y * size + (mirror ? size - 1 - x : x)]! / 255;
          out[k * 3 * n + c * n + y * size + x] = (v - mean[c]!) / std[c]!;
        }
      }
    }
  });
  return { data: out, dims: [pictures.length, 3, size, size] };
}

function toImage(pixels: Uint8Array, size: number) {
  return { width: size, height: size, data: Float32Array.from(pixels, (v) => v / 255) };
}

/**
 * Verification as in face recognition benchmarks: genuine pairs (a, b of one identity) and impostor
 * pairs (a of one, b of the next); a cosine threshold chosen on each half is scored on the other.
 */
export async function verification(
  encoder: ImageEncoder,
  pairs: readonly IdentityPair[],
  size: number,
): Promise<{ pairs: number; verificationAccuracy: number; threshold: number }> {
  const dim = encoder.dim;
  const ea = await encoder.embedImages(pairs.map((p) => toImage(p.a, size)));
  const eb = await encoder.embedImages(pairs.map((p) => toImage(p.b, size)));
  const cos = (i: number, j: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += ea[i * dim + d]! * eb[j * dim + d]!;
    return s;
  };
  const n = pairs.length;
  const trials = pairs.flatMap((_, i) => [
    { score: cos(i, i), same: true, half: i % 2 },
    { score: cos(i, (i + 1) % n), same: false, half: i % 2 },
  ]);
  const accuracyAt = (t: number, half: number) => {
    const set = trials.filter((x) => x.half === half);
    return set.filter((x) => x.score >= t === x.same).length / set.length;
  };
  const bestThreshold = (half: number) => {
    let best = { t: 0, acc: -1 };
    for (const x of trials.filter((y) => y.half === half)) {
      const acc = accuracyAt(x.score, half);
      if (acc > best.acc) best = { t: x.score, acc };
    }
    return best.t;
  };
  const t0 = bestThreshold(0);
  const t1 = bestThreshold(1);
  const accuracy = (accuracyAt(t0, 1) + accuracyAt(t1, 0)) / 2;
  return { pairs: n, verificationAccuracy: accuracy, threshold: (t0 + t1) / 2 };
}

/** Mean absolute error of a probe per output. */
export async function probeError(
  probe: ImageEncoder,
  examples: readonly ProbeExample[],
  outputs: readonly string[],
  size: number,
): Promise<{ pictures: number; meanAbsError: Record<string, number> }> {
  const y = await probe.embedImages(examples.map((e) => toImage(e.pixels, size)));
  const k = outputs.length;
  const meanAbsError: Record<string, number> = {};
  outputs.forEach((name, j) => {
    let sum = 0;
    examples.forEach((e, i) => (sum += Math.abs(y[i * k + j]! - e.target[j]!)));
    meanAbsError[name] = sum / examples.length;
  });
  return { pictures: examples.length, meanAbsError };
}
