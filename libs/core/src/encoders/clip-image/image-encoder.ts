import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createSession,
  DataType,
  GraphBuilder,
  loadModel,
  saveModel,
  visionTransformer,
  type Model,
  type Session,
  type SessionOptions,
  type VisionTransformerConfig,
} from '@soundedit/models';
import { decodeImage, type ImageLimits } from '../../images/decode-image.ts';
import { resizeShorterAndCrop } from '../../images/resize.ts';
import type { RgbImage } from '../../images/rgb-image.ts';
import { readFolderDescription } from '../folder-description.ts';
import type { FrozenEncoder } from '../frozen-encoder.ts';
import { ImageEncoderError } from './errors.ts';

export const IMAGE_ENCODER_INPUT = 'pixels';
export const IMAGE_ENCODER_OUTPUT = 'image_embedding';
export const IMAGE_ENCODER_MODEL = 'image-encoder.onnx';
export const IMAGE_ENCODER_DESCRIPTION = 'image-encoder.json';
export const IMAGE_ENCODER_FORMAT = 'soundedit-image-encoder';

/**
 * The three picture towers a pack can hold share one interface (pixels in, one row per picture out)
 * and differ in folder names and in whether rows are unit embeddings: the CLIP-space image encoder,
 * the identity encoder (the ArcFace role) and the attribute probe (renderer parameters, for evaluation).
 */
export const PICTURE_TOWERS = {
  image: {
    format: IMAGE_ENCODER_FORMAT,
    description: IMAGE_ENCODER_DESCRIPTION,
    model: IMAGE_ENCODER_MODEL,
    output: IMAGE_ENCODER_OUTPUT,
    unit: true,
  },
  identity: {
    format: 'soundedit-identity-encoder',
    description: 'identity-encoder.json',
    model: 'identity-encoder.onnx',
    output: 'identity_embedding',
    unit: true,
  },
  probe: {
    format: 'soundedit-attribute-probe',
    description: 'attribute-probe.json',
    model: 'attribute-probe.onnx',
    output: 'attributes',
    unit: false,
  },
} as const;
export type PictureTowerKind = keyof typeof PICTURE_TOWERS;
/** Module path of the image tower's weights. */
export const IMAGE_TOWER_PREFIX = 'visual';

/** OpenAI CLIP's normalisation constants. */
export const CLIP_MEAN: readonly [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
export const CLIP_STD: readonly [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

/** How an image becomes the tower's input: CLIP's shorter side to `size` (bicubic), centre crop, normalise. */
export interface ImagePreprocess {
  size: number;
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

export interface ImageEncoderDescription {
  format: (typeof PICTURE_TOWERS)[PictureTowerKind]['format'];
  version: 1;
  model: string;
  preprocess: ImagePreprocess;
  /** Values per output row. */
  embedDim: number;
  /** The architecture, when the graph was authored here. */
  vit?: VisionTransformerConfig;
  /** A probe's output names, one per value (renderer parameters). */
  outputs?: string[];
}

function checkPreprocess(p: ImagePreprocess): ImagePreprocess {
  const triple = (v: readonly number[], positive: boolean) =>
    Array.isArray(v) && v.length === 3 && v.every((x) => Number.isFinite(x) && (!positive || x > 0));
  if (
    !Number.isInteger(p.size) ||
    p.size < 1 ||
    p.size > 4096 ||
    !triple(p.mean, false) ||
    !triple(p.std, true)
  ) {
    throw new ImageEncoderError(
      'BAD_CONFIG',
      `image preprocessing needs a size in 1..4096, a mean of three numbers and a std of three positive numbers, got ${JSON.stringify(p)}`,
    );
  }
  return p;
}

/**
 * CLIP's image tower with a fixed interface: pixels [batch, 3, size, size] -> L2-normalised
 * [batch, embedDim]. Weights are named `visual.*` as in OpenAI CLIP's state_dict, so one naming
 * serves the tower alone, joint image-text training and imported checkpoints.
 */
export function buildImageEncoder(
  config: VisionTransformerConfig,
  seed = 0,
  kind: PictureTowerKind = 'image',
): Model {
  const tower = PICTURE_TOWERS[kind];
  const b = new GraphBuilder(`${kind}_tower`, seed);
  const size = config.inputResolution;
  const pixels = b.input(IMAGE_ENCODER_INPUT, ['batch', 3, size, size]);
  let y = visionTransformer(b, pixels, { ...config, name: IMAGE_TOWER_PREFIX });
  if (tower.unit) {
    const norm = b.op('ReduceL2', [y], { axes: [1], keepdims: 1 });
    y = b.op('Div', [y, b.op('Max', [norm, b.scalarF(1e-12)])]);
  }
  b.graph.nodes.push({
    opType: 'Identity',
    inputs: [y],
    outputs: [tower.output],
    name: b.fresh(`${tower.output}_identity`),
    domain: '',
    attributes: {},
  });
  b.output(tower.output, DataType.FLOAT, ['batch', config.outputDim]);
  return b.model();
}

/** Normalised planar pixels of one image, ready to stack into a batch. */
export function preprocessImage(image: RgbImage, p: ImagePreprocess): Float32Array {
  const square = resizeShorterAndCrop(image, p.size);
  const n = p.size * p.size;
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const mean = p.mean[c]!;
    const std = p.std[c]!;
    for (let i = 0; i < n; i++) out[c * n + i] = (square.data[c * n + i]! - mean) / std;
  }
  return out;
}

/**
 * A frozen picture tower: image files (PNG, JPEG) or decoded pictures in, one row each out (unit
 * embeddings for the image and identity encoders, parameter estimates for a probe).
 */
export class ImageEncoder implements FrozenEncoder {
  private constructor(
    readonly kind: PictureTowerKind,
    readonly model: Model,
    readonly session: Session,
    readonly description: ImageEncoderDescription,
    private readonly limits: Partial<ImageLimits> = {},
    private readonly batchSize = 16,
  ) {}

  get dim(): number {
    return this.description.embedDim;
  }

  /** Wraps a graph with this folder layout's interface (a trainer's export, say). */
  static async fromModel(
    model: Model,
    description: Omit<ImageEncoderDescription, 'format' | 'version' | 'model'>,
    options: { kind?: PictureTowerKind; session?: SessionOptions } = {},
  ): Promise<ImageEncoder> {
    const kind = options.kind ?? 'image';
    checkPreprocess(description.preprocess);
    const tower = PICTURE_TOWERS[kind];
    const full: ImageEncoderDescription = {
      format: tower.format,
      version: 1,
      model: tower.model,
      ...description,
    };
    const session = await createSession(model, { ...options.session, cache: false });
    return new ImageEncoder(kind, model, session, full);
  }

  /** Authors a CLIP-layout picture tower with seeded random weights. */
  static async create(
    vit: VisionTransformerConfig,
    options: {
      kind?: PictureTowerKind;
      seed?: number;
      mean?: ImagePreprocess['mean'];
      std?: ImagePreprocess['std'];
      session?: SessionOptions;
    } = {},
  ): Promise<ImageEncoder> {
    const preprocess = checkPreprocess({
      size: vit.inputResolution,
      mean: options.mean ?? CLIP_MEAN,
      std: options.std ?? CLIP_STD,
    });
    const kind = options.kind ?? 'image';
    const model = buildImageEncoder(vit, options.seed ?? 0, kind);
    return ImageEncoder.fromModel(
      model,
      { preprocess, embedDim: vit.outputDim, vit },
      { kind, ...(options.session ? { session: options.session } : {}) },
    );
  }

  static async load(
    dir: string,
    options: { kind?: PictureTowerKind; session?: SessionOptions; limits?: Partial<ImageLimits> } = {},
  ): Promise<ImageEncoder> {
    const kind = options.kind ?? 'image';
    const tower = PICTURE_TOWERS[kind];
    const description = await readFolderDescription<ImageEncoderDescription>(
      join(dir, tower.description),
      tower.format,
      (message, cause) => new ImageEncoderError('BAD_FOLDER', message, { cause }),
    );
    checkPreprocess(description.preprocess);
    const model = await loadModel(join(dir, description.model));
    const session = await createSession(model, { ...options.session, cache: false });
    if (!session.inputNames.includes(IMAGE_ENCODER_INPUT) || !session.outputNames.includes(tower.output)) {
      await session.release();
      throw new ImageEncoderError(
        'BAD_FOLDER',
        `${join(dir, description.model)} lacks the '${IMAGE_ENCODER_INPUT}' input or the '${tower.output}' output`,
      );
    }
    return new ImageEncoder(kind, model, session, description, options.limits);
  }

  async save(dir: string): Promise<void> {
    const tower = PICTURE_TOWERS[this.kind];
    await mkdir(dir, { recursive: true });
    await saveModel(join(dir, tower.model), this.model);
    await writeFile(join(dir, tower.description), `${JSON.stringify(this.description, null, 2)}\n`);
  }

  /** Decoded pictures to [images.length, dim] rows. */
  async embedImages(images: readonly RgbImage[]): Promise<Float32Array> {
    const p = this.description.preprocess;
    const output = PICTURE_TOWERS[this.kind].output;
    const item = 3 * p.size * p.size;
    const out = new Float32Array(images.length * this.dim);
    for (let first = 0; first < images.length; first += this.batchSize) {
      const chunk = images.slice(first, first + this.batchSize);
      const batch = new Float32Array(chunk.length * item);
      chunk.forEach((image, k) => batch.set(preprocessImage(image, p), k * item));
      const result = await this.session.run(
        { [IMAGE_ENCODER_INPUT]: { data: batch, dims: [chunk.length, 3, p.size, p.size] } },
        [output],
      );
      out.set(result[output]!.data as Float32Array, first * this.dim);
    }
    return out;
  }

  /** Image files (PNG or JPEG) to [paths.length, dim] rows. */
  async embed(paths: readonly string[]): Promise<Float32Array> {
    const images: RgbImage[] = [];
    for (const path of paths) images.push(decodeImage(new Uint8Array(await readFile(path)), this.limits));
    return this.embedImages(images);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
