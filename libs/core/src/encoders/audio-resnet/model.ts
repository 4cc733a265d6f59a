import {
  audioEncoder,
  createSession,
  DataType,
  GraphBuilder,
  RESNET18,
  RESNET50,
  stateDictKeys,
  type Model,
  type ResNetConfig,
  type Session,
  type SessionOptions,
} from '@soundedit/models';
import {
  inputFrames,
  stageWidths,
  validateAudioEncoderConfig,
  type AudioEncoderArch,
  type AudioEncoderConfig,
} from './config.ts';

/** Graph input: log-mel batch [batch, 1, nMels, frames]. */
export const AUDIO_ENCODER_INPUT = 'log_mel';
/** Graph output: unit-length embeddings [batch, outputDim]. */
export const AUDIO_ENCODER_OUTPUT = 'embedding';
/** F.normalize's floor on the norm, so a zero vector maps to zero rather than NaN. */
export const NORMALIZE_EPS = 1e-12;

const BACKBONES: Record<AudioEncoderArch, ResNetConfig> = { resnet18: RESNET18, resnet50: RESNET50 };

export interface AudioEncoderGraph {
  model: Model;
  config: AudioEncoderConfig;
  input: string;
  output: string;
  /** The pre-normalisation embedding (the fc output), for losses that want it. */
  logits: string;
  /**
   * Weight names as the official code's state_dict (`conv.*` for the 1->3 stem,
   * `feature_extractor.*` for the timm ResNet), so a trained checkpoint maps on by name.
   */
  weights: string[];
}

export interface BuildAudioEncoderOptions {
  /** Seed of the random initial weights (default 0). */
  seed?: number;
}

/**
 * The audio encoder as an ONNX graph: log-mel [B, 1, nMels, frames] -> 1->3 conv stem -> ResNet ->
 * fc -> L2 normalisation -> [B, outputDim]. The batch dimension is symbolic, so one session
 * serves any batch size.
 */
export function buildAudioEncoder(
  config: AudioEncoderConfig,
  options: BuildAudioEncoderOptions = {},
): AudioEncoderGraph {
  const c = validateAudioEncoderConfig(config);
  const b = new GraphBuilder(`audio_encoder_${c.arch}`, options.seed ?? 0);
  const x = b.input(AUDIO_ENCODER_INPUT, ['batch', 1, c.logMel.nMels, inputFrames(c)]);
  const { logits, embedding } = audioEncoderLayers(b, x, c);
  // A fixed public name, so callers and exported packs need not know the builder's naming.
  b.graph.nodes.push({
    opType: 'Identity',
    inputs: [embedding],
    outputs: [AUDIO_ENCODER_OUTPUT],
    name: b.fresh('embedding_identity'),
    domain: '',
    attributes: {},
  });
  b.output(AUDIO_ENCODER_OUTPUT, DataType.FLOAT, ['batch', c.outputDim]);
  return {
    model: b.model(),
    config: c,
    input: AUDIO_ENCODER_INPUT,
    output: AUDIO_ENCODER_OUTPUT,
    logits,
    weights: stateDictKeys(b),
  };
}

/**
 * The encoder's nodes inside a larger graph (the contrastive training graph builds on this):
 * log-mel x [B, 1, nMels, frames] -> fc output `logits` and its L2-normalised `embedding`, both
 * [B, outputDim]. Parameter names are the official state_dict's, as in `buildAudioEncoder`.
 */
export function audioEncoderLayers(
  b: GraphBuilder,
  x: string,
  config: AudioEncoderConfig,
): { logits: string; embedding: string } {
  const backbone: ResNetConfig = { ...BACKBONES[config.arch], widths: stageWidths(config) };
  const logits = audioEncoder(b, x, { name: '', backbone, outputDim: config.outputDim });
  const norm = b.op('ReduceL2', [logits], { axes: [1], keepdims: 1 });
  const embedding = b.op('Div', [logits, b.op('Max', [norm, b.scalarF(NORMALIZE_EPS)])]);
  return { logits, embedding };
}

/** Builds the encoder with seeded random weights and loads it into onnxruntime. */
export async function createAudioEncoderSession(
  config: AudioEncoderConfig,
  options: BuildAudioEncoderOptions & SessionOptions = {},
): Promise<Session> {
  const { seed, ...session } = options;
  return createSession(buildAudioEncoder(config, seed === undefined ? {} : { seed }).model, session);
}
