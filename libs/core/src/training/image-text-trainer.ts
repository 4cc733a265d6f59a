import { createHash } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  compileGradientProgram,
  DataType,
  GraphBuilder,
  NonFiniteGradientError,
  Rng,
  stateDictKeys,
  textTransformer,
  visionTransformer,
  type HostTensor,
  type SessionOptions,
  type TextTransformerConfig,
  type VisionTransformerConfig,
} from '@soundedit/models';
import { buildImageEncoder, IMAGE_TOWER_PREFIX, ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import { buildTextEncoder, TextEncoder } from '../encoders/clip-text/text-encoder.ts';
import type { WordLevelTokenizer } from '../text/word-level.ts';
import {
  listCheckpoints,
  loadCheckpoint,
  pruneCheckpoints,
  saveCheckpoint,
  withWeights,
} from './checkpoint.ts';
import { TrainingError } from './errors.ts';
import { contrastiveLoss, l2Normalize, type Temperature } from './infonce.ts';
import { CHECKPOINT_DIR, claimRunDir, EXPORT_DIR, METRICS_FILE, truncateMetrics } from './run-folder.ts';
import { mixSeed, permutation } from './seeded-order.ts';
import {
  makeOptimizer,
  makeSchedule,
  type OptimizerSettings,
  type ScheduleSettings,
} from './trainer-options.ts';

/** One training picture: 8-bit planar RGB [3, size, size] and the captions that describe it. */
export interface ImageTextExample {
  pixels: Uint8Array;
  captions: readonly string[];
}

export interface ImageTextTrainerOptions {
  runDir: string;
  examples: readonly ImageTextExample[];
  validation?: readonly ImageTextExample[];
  /** The image tower; `inputResolution` is the pictures' size, `outputDim` the embedding size. */
  vit: VisionTransformerConfig;
  /** The text tower's shape; vocabulary and context come from the tokenizer, the output size from `vit`. */
  text: Pick<TextTransformerConfig, 'width' | 'layers' | 'heads'>;
  tokenizer: WordLevelTokenizer;
  batchSize: number;
  steps: number;
  optimizer: OptimizerSettings;
  schedule: ScheduleSettings;
  temperature: Temperature;
  /** Mirror pictures left-right at random (the worlds have no handedness). Default true. */
  flip?: boolean;
  seed: number;
  checkpointEvery?: number;
  keepCheckpoints?: number;
  validateEvery?: number;
  session?: SessionOptions;
  signal?: AbortSignal;
  onEvent?: (event: ImageTextEvent) => void;
}

export interface ImageTextValidation {
  step: number;
  pictures: number;
  /** Share of pictures whose nearest caption (among the validation set's first captions) is their own. */
  imageToText: number;
  /** Share of captions whose nearest picture is theirs. */
  textToImage: number;
}

export type ImageTextEvent =
  | { type: 'start'; fromStep: number; totalSteps: number; trainableValues: number; resumedFrom?: string }
  | {
      type: 'step';
      step: number;
      totalSteps: number;
      loss: number;
      lr: number;
      logitScale: number;
      accuracy: number;
      samplesPerSecond: number;
    }
  | ({ type: 'validation' } & ImageTextValidation)
  | { type: 'checkpoint'; step: number; path: string }
  | { type: 'done'; step: number; exportDir: string; stopped: boolean };

export interface ImageTextResult {
  steps: number;
  stopped: boolean;
  /** export/image-encoder and export/text-encoder: folders ready to go into a pack. */
  exportDir: string;
  lastValidation?: ImageTextValidation;
}

/**
 * Trains CLIP-like image and text towers together with the symmetric InfoNCE of CLIP, from scratch,
 * on pictures and captions; how a small pack gets the shared space its audio encoder is then aligned
 * to. Seeded, checkpointed and resumable like the audio trainer, with the same run folder layout.
 */
export async function trainImageText(o: ImageTextTrainerOptions): Promise<ImageTextResult> {
  const emit = o.onEvent ?? (() => {});
  const size = o.vit.inputResolution;
  const item = 3 * size * size;
  if (!Number.isInteger(o.batchSize) || o.batchSize < 2 || o.batchSize > o.examples.length) {
    throw new TrainingError(
      'BAD_BATCH_SIZE',
      `batchSize must be 2..${o.examples.length} (the number of pictures), got ${o.batchSize}`,
      { subject: 'batchSize' },
    );
  }
  for (const [i, e] of [...o.examples, ...(o.validation ?? [])].entries()) {
    if (e.pixels.length !== item || e.captions.length === 0) {
      throw new TrainingError('BAD_DATA', `picture ${i} must have ${item} values and at least one caption`);
    }
  }
  const stepsPerEpoch = Math.floor(o.examples.length / o.batchSize);
  const settings = {
    vit: o.vit,
    text: o.text,
    vocab: o.tokenizer.vocabText(),
    contextLength: o.tokenizer.contextLength,
    batchSize: o.batchSize,
    steps: o.steps,
    stepsPerEpoch,
    optimizer: o.optimizer,
    schedule: o.schedule,
    temperature: o.temperature,
    flip: o.flip ?? true,
    seed: o.seed,
  };
  const data = createHash('sha256');
  for (const e of o.examples) data.update(e.pixels).update(e.captions.join('\n'));
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(settings))
    .update(data.digest('hex'))
    .digest('hex')
    .slice(0, 16);
  await claimRunDir(o.runDir, settings, fingerprint);

  const { mean, std } = channelStats(o.examples, size);
  const textConfig: TextTransformerConfig = {
    ...o.text,
    vocabSize: o.tokenizer.vocabSize,
    contextLength: o.tokenizer.contextLength,
    embedDim: o.vit.outputDim,
  };
  const eotId = o.tokenizer.eotId === o.tokenizer.vocabSize - 1 ? undefined : o.tokenizer.eotId;

  const b = new GraphBuilder('clip', o.seed);
  const pixels = b.input('pixels', [o.batchSize, 3, size, size]);
  const tokens = b.input('tokens', [o.batchSize, o.tokenizer.contextLength], DataType.INT64);
  const image = l2Normalize(b, visionTransformer(b, pixels, { ...o.vit, name: IMAGE_TOWER_PREFIX }));
  const text = l2Normalize(
    b,
    textTransformer(b, tokens, { ...textConfig, name: '', ...(eotId === undefined ? {} : { eotId }) }),
  );
  const weights = stateDictKeys(b);
  // The same symmetric InfoNCE as the audio trainer's audio<->text term, with pictures in the first slot.
  const loss = contrastiveLoss(b, { audio: image, text, temperature: o.temperature, accuracy: true });
  const params = [...weights, ...(loss.temperatureParam ? [loss.temperatureParam] : [])];
  const accuracy = loss.accuracy!.audioText!.forward;
  const program = await compileGradientProgram(b.model(), {
    loss: loss.loss,
    params,
    fetch: [loss.logitScale, accuracy],
    exampleFeeds: feeds(o, range(o.batchSize), new Rng(0), mean, std),
    session: { ...o.session, cache: false },
  });
  const optimizer = makeOptimizer(o.optimizer, program.params);
  const schedule = makeSchedule(settings);
  const imageModel = buildImageEncoder(o.vit);
  const textModel = buildTextEncoder(textConfig, o.tokenizer);
  const weightsNow = () => {
    const out: Record<string, Float32Array> = {};
    for (const w of weights) out[w] = program.params[w]!;
    return out;
  };

  let start = 0;
  const ckptDir = join(o.runDir, CHECKPOINT_DIR);
  const latest = (await listCheckpoints(ckptDir)).at(-1);
  if (latest) {
    const ckpt = await loadCheckpoint(latest.path, fingerprint);
    for (const [name, values] of Object.entries(program.params)) {
      const saved = ckpt.weights[name] ?? Float32Array.from(ckpt.state.extra[name] ?? []);
      if (saved.length !== values.length)
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

  const checkpoint = async (step: number) => {
    const extra: Record<string, number[]> = {};
    if (loss.temperatureParam) extra[loss.temperatureParam] = [...program.params[loss.temperatureParam]!];
    const path = await saveCheckpoint(
      ckptDir,
      { 'image-encoder.onnx': imageModel, 'text-encoder.onnx': textModel },
      weightsNow(),
      {
        format: 'soundedit-trainer-checkpoint',
        version: 1,
        step,
        fingerprint,
        extra,
        optimizer: optimizer.state(),
      },
    );
    await pruneCheckpoints(ckptDir, o.keepCheckpoints ?? 3);
    emit({ type: 'checkpoint', step, path });
  };
  const exportTowers = async (dir: string) => {
    const img = await ImageEncoder.fromModel(withWeights(imageModel, weightsNow()), {
      preprocess: { size, mean, std },
      embedDim: o.vit.outputDim,
      vit: o.vit,
    });
    const txt = await TextEncoder.fromModel(withWeights(textModel, weightsNow()), o.tokenizer, textConfig);
    return {
      img,
      txt,
      save: async () => (
        await img.save(join(dir, 'image-encoder')),
        await txt.save(join(dir, 'text-encoder'))
      ),
    };
  };
  const validate = async (step: number): Promise<ImageTextValidation | undefined> => {
    if (!o.validation?.length) return undefined;
    const towers = await exportTowers(join(o.runDir, EXPORT_DIR));
    try {
      const v = await retrieval(towers.img, towers.txt, o.validation, size, step);
      emit({ type: 'validation', ...v });
      await appendFile(join(o.runDir, METRICS_FILE), `${JSON.stringify({ type: 'validation', ...v })}\n`);
      return v;
    } finally {
      await Promise.all([towers.img.release(), towers.txt.release()]);
    }
  };

  let step = start;
  let stopped = false;
  let lastValidation: ImageTextValidation | undefined;
  let order: number[] = [];
  let orderEpoch = -1;
  const every = (n: number | undefined, fallback: number) => Math.max(1, n ?? fallback);
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
    const result = await program.step(
      feeds(o, order.slice(at, at + o.batchSize), new Rng(mixSeed(o.seed, 0x57e9, step)), mean, std),
    );
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
      logitScale: Number(result.outputs[loss.logitScale]!.data[0]),
      accuracy: Number(result.outputs[accuracy]!.data[0]),
      samplesPerSecond: o.batchSize / ((performance.now() - t0) / 1000),
    };
    emit({ type: 'step', ...record });
    await appendFile(join(o.runDir, METRICS_FILE), `${JSON.stringify({ type: 'step', ...record })}\n`);
    if (step % every(o.validateEvery, 500) === 0 || step === o.steps) lastValidation = await validate(step);
    if (step % every(o.checkpointEvery, 500) === 0 || step === o.steps) await checkpoint(step);
  }
  if (stopped && step > start) await checkpoint(step);
  await program.release();
  const exportDir = join(o.runDir, EXPORT_DIR);
  await mkdir(exportDir, { recursive: true });
  const towers = await exportTowers(exportDir);
  await towers.save();
  await Promise.all([towers.img.release(), towers.txt.release()]);
  emit({ type: 'done', step, exportDir, stopped });
  return { steps: step, stopped, exportDir, ...(lastValidation ? { lastValidation } : {}) };
}

/** Per-channel mean and std of the training pictures (in [0, 1]): the towers' input normalisation. */
export function channelStats(
  examples: readonly ImageTextExample[],
  size: number,
): { mean: [number, number, number]; std: [number, number, number] } {
  const n = size * size;
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  for (const e of examples) {
    for (let c = 0; c < 3; c++) {
      for (let i = c * n; i < (c + 1) * n; i++) {
        const v = e.pixels[i]! / 255;
        sum[c]! += v;
        sq[c]! += v * v;
      }
    }
  }
  const count = examples.length * n;
  const mean = sum.map((s) => s / count) as [number, number, number];
  const std = sq.map((s, c) => Math.sqrt(Math.max(s / count - mean[c]! ** 2, 1e-6))) as [
    number,
    number,
    number,
  ];
  return { mean, std };
}

/** A step's inputs: normalised pictures (mirrored at random) and one caption of each, tokenised. */
function feeds(
  o: ImageTextTrainerOptions,
  indices: readonly number[],
  rng: Rng,
  mean: readonly number[],
  std: readonly number[],
): Record<string, HostTensor> {
  const size = o.vit.inputResolution;
  const n = size * size;
  const ctx = o.tokenizer.contextLength;
  const pixels = new Float32Array(indices.length * 3 * n);
  const tokens = new BigInt64Array(indices.length * ctx);
  indices.forEach((index, k) => {
    const e = o.examples[index]!;
    const flip = (o.flip ?? true) && rng.next() < 0.5;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const from = c * n + y * size + (flip ? size - 1 - x : x);
          pixels[k * 3 * n + c * n + y * size + x] = (e.pixels[from]! / 255 - mean[c]!) / std[c]!;
        }
      }
    }
    const row = o.tokenizer.encode(e.captions[Math.floor(rng.next() * e.captions.length)]!);
    for (let j = 0; j < ctx; j++) tokens[k * ctx + j] = BigInt(row[j]!);
  });
  return {
    pixels: { data: pixels, dims: [indices.length, 3, size, size] },
    tokens: { data: tokens, dims: [indices.length, ctx] },
  };
}

/** Retrieval in both directions over the validation pictures and their first captions. */
export async function retrieval(
  image: ImageEncoder,
  text: TextEncoder,
  examples: readonly ImageTextExample[],
  size: number,
  step: number,
): Promise<ImageTextValidation> {
  const pictures = examples.map((e) => ({
    width: size,
    height: size,
    data: Float32Array.from(e.pixels, (v) => v / 255),
  }));
  const captions = examples.map((e) => e.captions[0]!);
  const dim = image.dim;
  const iv = await image.embedImages(pictures);
  const tv = await text.embed(captions);
  const score = (i: number, t: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += iv[i * dim + d]! * tv[t * dim + d]!;
    return s;
  };
  const best = (count: number, f: (j: number) => number) => {
    let arg = 0;
    for (let j = 1; j < count; j++) if (f(j) > f(arg)) arg = j;
    return arg;
  };
  let i2t = 0;
  let t2i = 0;
  const n = examples.length;
  for (let k = 0; k < n; k++) {
    // Identical captions are equally right: a hit is a retrieved caption with the same words.
    if (captions[best(n, (t) => score(k, t))] === captions[k]) i2t++;
    if (captions[best(n, (i) => score(i, k))] === captions[k]) t2i++;
  }
  return { step, pictures: n, imageToText: i2t / n, textToImage: t2i / n };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
