import {
  DataType,
  GraphBuilder,
  stateDictKeys,
  toTrainModeBatchNorm,
  type BatchNormStatsLink,
  type Model,
} from '@soundedit/models';
import {
  inputFrames,
  validateAudioEncoderConfig,
  type AudioEncoderConfig,
} from '../encoders/audio-resnet/config.ts';
import { audioEncoderLayers } from '../encoders/audio-resnet/model.ts';
import { TrainingError } from './errors.ts';
import {
  contrastiveLoss,
  l2Normalize,
  type ContrastiveTerm,
  type RetrievalAccuracy,
  type Temperature,
} from './infonce.ts';

/** Graph inputs of the training graph. */
export const TRAIN_INPUTS = {
  logMel: 'log_mel',
  logMelAug: 'log_mel_aug',
  text: 'text_embedding',
  image: 'image_embedding',
} as const;

export interface ContrastiveGraphOptions {
  encoder: AudioEncoderConfig;
  /** Clips per step; fixed, so the graph's shapes are static and BatchNorm sees full batches. */
  batchSize: number;
  /** Which partners the loss pairs audio with; a term also needs a weight above 0. */
  partners: { text: boolean; image: boolean; audioAug: boolean };
  /** Dimension of the frozen text/image embeddings (the pack's shared space). */
  embedDim: number;
  weights?: Partial<Record<ContrastiveTerm, number>>;
  temperature: Temperature;
  /** Seed of the encoder's initial weights. */
  seed: number;
}

export interface ContrastiveGraph {
  model: Model;
  loss: string;
  terms: Partial<Record<ContrastiveTerm, string>>;
  accuracy: Partial<Record<ContrastiveTerm, RetrievalAccuracy>>;
  logitScale: string;
  /** Inputs the trainer feeds, by role; absent roles are switched off. */
  inputs: { logMel: string; logMelAug?: string; text?: string; image?: string };
  /** Initializers to optimise: the encoder's weights (not its running statistics) and a learnable temperature. */
  params: string[];
  /** Every encoder tensor in state_dict order, running statistics included: what a checkpoint holds. */
  encoderWeights: string[];
  temperatureParam?: string;
  /** Batch statistics per BatchNorm, fetched each step to update the running statistics. */
  batchNorm: BatchNormStatsLink[];
}

/**
 * The paper's training graph: the audio encoder (BatchNorm on batch statistics) runs the clips and,
 * when a' is on, their SpecAugment views as one batch of 2B, so both share one set of statistics and
 * one pass; the frozen encoders' embeddings come in as inputs (cached by the trainer, never recomputed).
 */
export function buildContrastiveGraph(options: ContrastiveGraphOptions): ContrastiveGraph {
  const c = validateAudioEncoderConfig(options.encoder);
  const batch = options.batchSize;
  if (!Number.isInteger(batch) || batch < 2) {
    throw new TrainingError(
      'BAD_BATCH_SIZE',
      `a contrastive batch needs at least 2 clips (each clip's negatives are the others), got ${batch}`,
      { subject: 'batchSize' },
    );
  }
  const { partners } = options;
  const b = new GraphBuilder(`audio_encoder_${c.arch}_contrastive`, options.seed);
  const shape = [batch, 1, c.logMel.nMels, inputFrames(c)];
  const logMel = b.input(TRAIN_INPUTS.logMel, shape);
  const inputs: ContrastiveGraph['inputs'] = { logMel };
  let x = logMel;
  if (partners.audioAug) {
    inputs.logMelAug = b.input(TRAIN_INPUTS.logMelAug, shape);
    x = b.op('Concat', [logMel, inputs.logMelAug], { axis: 0 });
  }
  const { embedding } = audioEncoderLayers(b, x, c);
  const encoderWeights = stateDictKeys(b);
  const rows = (start: number) =>
    b.op('Slice', [embedding, b.constI64([start]), b.constI64([start + batch]), b.constI64([0])]);
  const audio = partners.audioAug ? rows(0) : embedding;
  const frozen = (name: string) => {
    const input = b.input(name, [batch, options.embedDim]);
    // Normalised here as well, so an encoder that returns raw features still gives cosines.
    return { input, unit: l2Normalize(b, input) };
  };
  const text = partners.text ? frozen(TRAIN_INPUTS.text) : undefined;
  const image = partners.image ? frozen(TRAIN_INPUTS.image) : undefined;
  if (text) inputs.text = text.input;
  if (image) inputs.image = image.input;
  if ((text || image) && options.embedDim !== c.outputDim) {
    throw new TrainingError(
      'BAD_DIMENSION',
      `the audio encoder's outputDim ${c.outputDim} differs from the frozen encoders' embedding size ${options.embedDim}`,
      { subject: 'outputDim' },
    );
  }
  const result = contrastiveLoss(b, {
    audio,
    ...(text ? { text: text.unit } : {}),
    ...(image ? { image: image.unit } : {}),
    ...(partners.audioAug ? { audioAug: rows(batch) } : {}),
    temperature: options.temperature,
    ...(options.weights ? { weights: options.weights } : {}),
    accuracy: true,
  });
  const fetched = [result.loss, result.logitScale, ...Object.values(result.terms)];
  for (const acc of Object.values(result.accuracy ?? {})) fetched.push(acc.forward, acc.backward);
  for (const name of new Set(fetched)) b.output(name, DataType.FLOAT, []);

  const trainMode = toTrainModeBatchNorm(b.model());
  const running = new Set(trainMode.stats.flatMap((s) => [s.runningMean, s.runningVar]));
  const params = encoderWeights.filter((w) => !running.has(w));
  if (result.temperatureParam) params.push(result.temperatureParam);
  const graph: ContrastiveGraph = {
    model: trainMode.model,
    loss: result.loss,
    terms: result.terms,
    accuracy: result.accuracy ?? {},
    logitScale: result.logitScale,
    inputs,
    params,
    encoderWeights,
    batchNorm: trainMode.stats,
  };
  if (result.temperatureParam) graph.temperatureParam = result.temperatureParam;
  return graph;
}
