import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  compileGradientProgram,
  DataType,
  GraphBuilder,
  Rng,
  stateDictKeys,
  textTransformer,
  visionTransformer,
  type HostTensor,
  type TextTransformerConfig,
  type VisionTransformerConfig,
} from '@soundedit/models';
import { buildImageEncoder, IMAGE_TOWER_PREFIX, ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import { buildTextEncoder, TextEncoder } from '../encoders/clip-text/text-encoder.ts';
import type { WordLevelTokenizer } from '../text/word-level.ts';
import { withWeights } from './checkpoint.ts';
import { TrainingError } from './errors.ts';
import { contrastiveLoss, l2Normalize, type Temperature } from './infonce.ts';
import { claimRunDir, EXPORT_DIR, runIdentity } from './run-folder.ts';
import { loopCadence, runTrainingLoop, type CommonTrainingOptions } from './training-loop.ts';
import { mixSeed, permutation } from './seeded-order.ts';
import { makeOptimizer, makeSchedule } from './trainer-options.ts';

/** One training picture: 8-bit planar RGB [3, size, size] and the captions that describe it. */
export interface ImageTextExample {
  pixels: Uint8Array;
  captions: readonly string[];
}

export interface ImageTextTrainerOptions extends CommonTrainingOptions {
  examples: readonly ImageTextExample[];
  validation?: readonly ImageTextExample[];
  /** The image tower; `inputResolution` is the pictures' size, `outputDim` the embedding size. */
  vit: VisionTransformerConfig;
  /** The text tower's shape; vocabulary and context come from the tokenizer, the output size from `vit`. */
  text: Pick<TextTransformerConfig, 'width' | 'layers' | 'heads'>;
  tokenizer: WordLevelTokenizer;
  temperature: Temperature;
  /** Mirror pictures left-right at random (the worlds have no handedness). Default true. */
  flip?: boolean;
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
  const fingerprint = runIdentity(
    settings,
    o.examples.flatMap((e) => [e.pixels, e.captions.join('\n')]),
  );
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
      save: async () => {
        await img.save(join(dir, 'image-encoder'));
        await txt.save(join(dir, 'text-encoder'));
      },
    };
  };
  const loop = await runTrainingLoop<ImageTextValidation>({
    runDir: o.runDir,
    fingerprint,
    program,
    optimizer,
    schedule,
    steps: o.steps,
    batchSize: o.batchSize,
    feedsFor: (step) => {
      const order = permutation(o.examples.length, mixSeed(o.seed, 0x0de7, Math.floor(step / stepsPerEpoch)));
      const at = (step % stepsPerEpoch) * o.batchSize;
      return feeds(o, order.slice(at, at + o.batchSize), new Rng(mixSeed(o.seed, 0x57e9, step)), mean, std);
    },
    graphs: { 'image-encoder.onnx': imageModel, 'text-encoder.onnx': textModel },
    afterStep: (result) => ({
      logitScale: Number(result.outputs[loss.logitScale]!.data[0]),
      accuracy: Number(result.outputs[accuracy]!.data[0]),
    }),
    validate: async (step) => {
      if (!o.validation?.length) return undefined;
      const towers = await exportTowers(join(o.runDir, EXPORT_DIR));
      try {
        const v = await retrieval(towers.img, towers.txt, o.validation, size, step);
        emit({ type: 'validation', ...v });
        return v;
      } finally {
        await Promise.all([towers.img.release(), towers.txt.release()]);
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
        logitScale: r['logitScale'] as number,
        accuracy: r['accuracy'] as number,
        samplesPerSecond: r.samplesPerSecond,
      }),
    onCheckpoint: (step, path) => emit({ type: 'checkpoint', step, path }),
  });
  const { step, stopped, lastValidation } = loop;
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
