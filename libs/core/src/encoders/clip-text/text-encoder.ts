import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createSession,
  DataType,
  GraphBuilder,
  loadModel,
  saveModel,
  textTransformer,
  type Model,
  type Session,
  type SessionOptions,
  type TextTransformerConfig,
} from '@soundedit/models';
import { ClipBpeTokenizer } from '../../text/clip-bpe.ts';
import type { Tokenizer } from '../../text/tokenizer.ts';
import { WordLevelTokenizer } from '../../text/word-level.ts';
import { readFolderDescription } from '../folder-description.ts';
import type { FrozenEncoder } from '../frozen-encoder.ts';
import { TextEncoderError } from './errors.ts';

export const TEXT_ENCODER_INPUT = 'tokens';
export const TEXT_ENCODER_OUTPUT = 'text_embedding';
export const TEXT_ENCODER_MODEL = 'text-encoder.onnx';
export const TEXT_ENCODER_DESCRIPTION = 'text-encoder.json';
export const TEXT_ENCODER_FORMAT = 'soundedit-text-encoder';

export type TokenizerFiles =
  | { kind: 'word-level'; vocab: string; contextLength: number; lowercase: boolean }
  | { kind: 'clip-bpe'; merges: string; contextLength: number };

/** text-encoder.json: how a folder's text tower is fed and what it returns. */
export interface TextEncoderDescription {
  format: typeof TEXT_ENCODER_FORMAT;
  version: 1;
  model: typeof TEXT_ENCODER_MODEL;
  tokenizer: TokenizerFiles;
  embedDim: number;
  /** The architecture, when the graph was authored here (absent for imported graphs). */
  transformer?: TextTransformerConfig;
}

/**
 * CLIP's text tower as a graph with a fixed interface: token ids int64 [batch, contextLength] ->
 * L2-normalised `text_embedding` [batch, embedDim]. The tokenizer's end id decides the pooling
 * position unless it is the vocabulary's largest id, where CLIP's argmax rule gives the same place.
 */
export function buildTextEncoder(config: TextTransformerConfig, tokenizer: Tokenizer, seed = 0): Model {
  if (config.contextLength !== tokenizer.contextLength || config.vocabSize !== tokenizer.vocabSize) {
    throw new TextEncoderError(
      'TOKENIZER_MISMATCH',
      `the tokenizer gives ${tokenizer.vocabSize} ids in rows of ${tokenizer.contextLength}; the text tower was configured for ${config.vocabSize} ids and rows of ${config.contextLength}`,
    );
  }
  const b = new GraphBuilder('text_encoder', seed);
  const tokens = b.input(TEXT_ENCODER_INPUT, ['batch', config.contextLength], DataType.INT64);
  const eotIsLargest = tokenizer.eotId === tokenizer.vocabSize - 1;
  const features = textTransformer(b, tokens, {
    ...config,
    name: '',
    ...(eotIsLargest ? {} : { eotId: tokenizer.eotId }),
  });
  const norm = b.op('ReduceL2', [features], { axes: [1], keepdims: 1 });
  const unit = b.op('Div', [features, b.op('Max', [norm, b.scalarF(1e-12)])]);
  b.graph.nodes.push({
    opType: 'Identity',
    inputs: [unit],
    outputs: [TEXT_ENCODER_OUTPUT],
    name: b.fresh('text_embedding_identity'),
    domain: '',
    attributes: {},
  });
  b.output(TEXT_ENCODER_OUTPUT, DataType.FLOAT, ['batch', config.embedDim]);
  return b.model();
}

/** A frozen text tower with its tokenizer: strings in, unit embeddings out. */
export class TextEncoder implements FrozenEncoder {
  private constructor(
    readonly model: Model,
    readonly session: Session,
    readonly tokenizer: Tokenizer,
    readonly description: TextEncoderDescription,
    /** Texts per run. */
    private readonly batchSize = 64,
  ) {}

  get dim(): number {
    return this.description.embedDim;
  }

  /** Wraps a word-level text tower graph (a trainer's export) with its tokenizer. */
  static async fromModel(
    model: Model,
    tokenizer: WordLevelTokenizer,
    config: TextTransformerConfig,
    session: SessionOptions = {},
  ): Promise<TextEncoder> {
    const description = wordLevelDescription(config, tokenizer);
    return new TextEncoder(
      model,
      await createSession(model, { ...session, cache: false }),
      tokenizer,
      description,
    );
  }

  /** Authors a text tower with seeded random weights (a small pack's encoder before it is trained). */
  static async create(
    config: TextTransformerConfig,
    tokenizer: WordLevelTokenizer,
    options: { seed?: number; session?: SessionOptions } = {},
  ): Promise<TextEncoder> {
    const model = buildTextEncoder(config, tokenizer, options.seed ?? 0);
    const description = wordLevelDescription(config, tokenizer);
    // Uncached: this encoder owns its session and releases it.
    const session = await createSession(model, { ...options.session, cache: false });
    return new TextEncoder(model, session, tokenizer, description);
  }

  /** Reads a folder written by `save` (or a pack's text encoder folder). */
  static async load(dir: string, session: SessionOptions = {}): Promise<TextEncoder> {
    const description = await readFolderDescription<TextEncoderDescription>(
      join(dir, TEXT_ENCODER_DESCRIPTION),
      TEXT_ENCODER_FORMAT,
      (message, cause) => new TextEncoderError('BAD_FOLDER', message, { cause }),
    );
    const t = description.tokenizer;
    const tokenizer =
      t.kind === 'word-level'
        ? await WordLevelTokenizer.fromVocabFile(join(dir, t.vocab), {
            contextLength: t.contextLength,
            lowercase: t.lowercase,
          })
        : await ClipBpeTokenizer.fromClipMergesFile(join(dir, t.merges), { contextLength: t.contextLength });
    const model = await loadModel(join(dir, description.model));
    const encoder = new TextEncoder(
      model,
      await createSession(model, { ...session, cache: false }),
      tokenizer,
      description,
    );
    const input = encoder.session.inputNames.includes(TEXT_ENCODER_INPUT);
    const output = encoder.session.outputNames.includes(TEXT_ENCODER_OUTPUT);
    if (!input || !output) {
      throw new TextEncoderError(
        'BAD_FOLDER',
        `${join(dir, description.model)} lacks the '${TEXT_ENCODER_INPUT}' input or the '${TEXT_ENCODER_OUTPUT}' output`,
      );
    }
    return encoder;
  }

  async save(dir: string): Promise<void> {
    const t = this.description.tokenizer;
    if (t.kind !== 'word-level' || !(this.tokenizer instanceof WordLevelTokenizer)) {
      throw new TextEncoderError('BAD_FOLDER', 'only word-level text encoders authored here can be saved');
    }
    await mkdir(dir, { recursive: true });
    await saveModel(join(dir, TEXT_ENCODER_MODEL), this.model);
    await writeFile(join(dir, t.vocab), this.tokenizer.vocabText());
    await writeFile(join(dir, TEXT_ENCODER_DESCRIPTION), `${JSON.stringify(this.description, null, 2)}\n`);
  }

  /** [texts.length, dim] row-major, unit rows. */
  async embed(texts: readonly string[]): Promise<Float32Array> {
    const ctx = this.tokenizer.contextLength;
    const dim = this.dim;
    const out = new Float32Array(texts.length * dim);
    for (let first = 0; first < texts.length; first += this.batchSize) {
      const chunk = texts.slice(first, first + this.batchSize);
      const ids = new BigInt64Array(chunk.length * ctx);
      chunk.forEach((text, i) => {
        const row = this.tokenizer.encode(text);
        for (let j = 0; j < ctx; j++) ids[i * ctx + j] = BigInt(row[j]!);
      });
      const result = await this.session.run(
        { [TEXT_ENCODER_INPUT]: { data: ids, dims: [chunk.length, ctx] } },
        [TEXT_ENCODER_OUTPUT],
      );
      const y = result[TEXT_ENCODER_OUTPUT]!;
      if (y.dims[1] !== dim) {
        throw new TextEncoderError(
          'BAD_FOLDER',
          `the text tower returned rows of ${y.dims[1]} values; its description says ${dim}`,
        );
      }
      out.set(y.data as Float32Array, first * dim);
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function wordLevelDescription(
  config: TextTransformerConfig,
  tokenizer: WordLevelTokenizer,
): TextEncoderDescription {
  return {
    format: TEXT_ENCODER_FORMAT,
    version: 1,
    model: TEXT_ENCODER_MODEL,
    tokenizer: {
      kind: 'word-level',
      vocab: 'vocab.txt',
      contextLength: tokenizer.contextLength,
      lowercase: true,
    },
    embedDim: config.embedDim,
    transformer: config,
  };
}
