import { join } from 'node:path';
import {
  compileGradientProgram,
  Rng,
  updateRunningStats,
  type HostTensor,
  type Model,
  type StepResult,
} from '@soundedit/models';
import type { DatasetItem } from '../data/dataset.ts';
import { inputFrames } from '../encoders/audio-resnet/config.ts';
import { buildAudioEncoder } from '../encoders/audio-resnet/model.ts';
import { spokenLabel } from '../evaluation/zero-shot.ts';
import { EdaAugmenter } from '../text/eda.ts';
import { bundledThesaurus } from '../text/thesaurus.ts';
import { exportAudioEncoder, EXPORTED_MODEL } from '../encoders/audio-resnet/encoder-folder.ts';
import { withWeights } from './checkpoint.ts';
import { buildContrastiveGraph, type ContrastiveGraph } from './contrastive-graph.ts';
import { TrainingError } from './errors.ts';
import { EmbeddingCache } from './frozen-embeddings.ts';
import { CONTRASTIVE_TERMS, type ContrastiveTerm } from './infonce.ts';
import { claimRunDir, EXPORT_DIR } from './run-folder.ts';
import { runTrainingLoop } from './training-loop.ts';
import { mixSeed, permutation } from './seeded-order.ts';
import { assembleBatch, prepareTrainingClips } from './training-clips.ts';
import { validateEncoder } from './validation.ts';
import type { StepMetrics, ValidationMetrics } from './training-events.ts';
import {
  makeOptimizer,
  makeSchedule,
  resolveRunSettings,
  runFingerprint,
  type RunSettings,
  type TrainerOptions,
} from './trainer-options.ts';

export interface TrainingResult {
  runDir: string;
  /** Steps completed (equal to the requested total unless stopped by the signal). */
  steps: number;
  stopped: boolean;
  /** The trained encoder (ONNX + its JSON description), ready to go into a pack. */
  exportDir: string;
  lastStep?: StepMetrics;
  lastValidation?: ValidationMetrics;
}

/**
 * Trains the audio encoder into the frozen encoders' space with the paper's objective. Runs are
 * deterministic under `seed` (clip order, crops, SpecAugment masks and caption variants all derive
 * from the seed and the step number, so a resumed run takes the same path as an uninterrupted one),
 * checkpoint every `checkpointEvery` steps, and resume from the newest checkpoint in `runDir`.
 */
export async function trainAudioEncoder(options: TrainerOptions): Promise<TrainingResult> {
  const settings = resolveRunSettings(options);
  const fingerprint = runFingerprint(settings, options);
  const emit = options.onEvent ?? (() => {});
  const runDir = options.runDir;
  const partners = activePartners(options, settings);
  const captions = captionsOf(options.train, settings, partners.text);
  const valCaptions = options.validation ? captionsOf(options.validation, settings, false) : [];
  // Only a run that can start gets a folder: a refused one leaves nothing to trip over next time.
  await claimRunDir(runDir, settings, fingerprint);

  const clips = await prepareTrainingClips(
    options.train.map((i) => i.audioPath),
    settings.encoder,
    {
      maxSeconds: settings.maxSecondsPerClip,
      onProgress: (done, total) => emit({ type: 'prepare', stage: 'clips', done, total }),
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  const valClips = options.validation?.length
    ? await prepareTrainingClips(
        options.validation.map((i) => i.audioPath),
        settings.encoder,
        { maxSeconds: settings.encoder.clipSeconds },
      )
    : [];

  const variants = partners.text ? captionVariants(captions, settings, options) : [];
  const text = options.textEncoder ? new EmbeddingCache(options.textEncoder) : undefined;
  if (text && partners.text) {
    await text.fill(variants.flat(), (done, total) => emit({ type: 'prepare', stage: 'text', done, total }));
  }
  const image = options.imageEncoder && partners.image ? new EmbeddingCache(options.imageEncoder) : undefined;
  if (image) {
    await image.fill(
      options.train.map((i) => i.imagePath!),
      (done, total) => emit({ type: 'prepare', stage: 'image', done, total }),
    );
  }

  const graph = buildContrastiveGraph({
    encoder: settings.encoder,
    batchSize: settings.batchSize,
    partners,
    embedDim: options.textEncoder?.dim ?? options.imageEncoder?.dim ?? settings.encoder.outputDim,
    temperature: settings.temperature,
    ...(options.weights ? { weights: options.weights } : {}),
    seed: settings.seed,
  });
  const inference = buildAudioEncoder(settings.encoder, { seed: settings.seed }).model;
  const fetch = fetchedTensors(graph);
  const augment = specAugmentOf(settings);
  const firstBatch = assembleBatch(clips, range(settings.batchSize), settings.encoder, undefined, augment);
  const example = feedsFor(graph, settings, firstBatch, (role) =>
    role === 'text'
      ? text!.batch(range(settings.batchSize).map((i) => variants[i]![0]!))
      : image!.batch(range(settings.batchSize).map((i) => options.train[i]!.imagePath!)),
  );
  const program = await compileGradientProgram(graph.model, {
    loss: graph.loss,
    params: graph.params,
    exampleFeeds: example,
    fetch,
    session: { ...options.session, cache: false },
  });
  const buffers = runningBuffers(inference, graph);
  const optimizer = makeOptimizer(settings.optimizer, program.params);
  const schedule = makeSchedule(settings);

  const weightsNow = () => {
    const all: Record<string, Float32Array> = { ...buffers };
    for (const name of graph.encoderWeights) if (program.params[name]) all[name] = program.params[name];
    return all;
  };
  const scalar = (result: StepResult, name: string) => Number(result.outputs[name]!.data[0]);
  let lastStep: StepMetrics | undefined;
  const loop = await runTrainingLoop<ValidationMetrics>({
    runDir,
    fingerprint,
    program,
    optimizer,
    schedule,
    steps: settings.steps,
    batchSize: settings.batchSize,
    feedsFor: (step) => {
      const epoch = Math.floor(step / settings.stepsPerEpoch);
      const order = permutation(clips.length, mixSeed(settings.seed, 0x0de7, epoch));
      const at = (step % settings.stepsPerEpoch) * settings.batchSize;
      const indices = order.slice(at, at + settings.batchSize);
      const rng = new Rng(mixSeed(settings.seed, 0x57e9, step));
      const batch = assembleBatch(clips, indices, settings.encoder, rng, augment);
      return feedsFor(graph, settings, batch, (role) =>
        role === 'text'
          ? text!.batch(indices.map((i) => pick(variants[i]!, rng)))
          : image!.batch(indices.map((i) => options.train[i]!.imagePath!)),
      );
    },
    graphs: { [EXPORTED_MODEL]: inference },
    buffers,
    afterStep: (result) => {
      updateRunningStats(buffers, graph.batchNorm, result.outputs, settings.batchNormMomentum);
      const terms: StepMetrics['terms'] = {};
      const accuracy: StepMetrics['accuracy'] = {};
      for (const term of CONTRASTIVE_TERMS) {
        if (graph.terms[term]) terms[term] = scalar(result, graph.terms[term]);
        if (graph.accuracy[term]) accuracy[term] = scalar(result, graph.accuracy[term].forward);
      }
      return { terms, accuracy, logitScale: scalar(result, graph.logitScale) };
    },
    validate: async (step) => {
      if (valClips.length === 0) return undefined;
      const metrics = await validateEncoder(withWeights(inference, weightsNow()), valClips, {
        settings,
        step,
        items: options.validation!,
        captions: valCaptions,
        classes: options.classes,
        text,
        promptTemplates: options.promptTemplates,
        classPrompts: options.classPrompts,
        session: options.session,
      });
      emit({ type: 'validation', ...metrics });
      return metrics;
    },
    checkpointEvery: settings.checkpointEvery,
    validateEvery: settings.validateEvery,
    keepCheckpoints: settings.keepCheckpoints,
    signal: options.signal,
    onStart: (e) => emit({ type: 'start', stepsPerEpoch: settings.stepsPerEpoch, ...e }),
    onStep: (r) => {
      const metrics: StepMetrics = {
        step: r.step,
        epoch: Math.floor((r.step - 1) / settings.stepsPerEpoch),
        lr: r.lr,
        loss: r.loss,
        terms: r['terms'] as StepMetrics['terms'],
        accuracy: r['accuracy'] as StepMetrics['accuracy'],
        logitScale: r['logitScale'] as number,
        samplesPerSecond: r.samplesPerSecond,
        elapsedS: r.elapsedS,
      };
      lastStep = metrics;
      emit({ type: 'step', totalSteps: settings.steps, ...metrics });
    },
    onCheckpoint: (step, path) => emit({ type: 'checkpoint', step, path }),
  });
  const { step, stopped, lastValidation } = loop;

  const exportDir = join(runDir, EXPORT_DIR);
  await exportAudioEncoder(withWeights(inference, weightsNow()), settings.encoder, exportDir, {
    steps: step,
    fingerprint,
    ...(lastValidation ? { validation: { ...lastValidation } } : {}),
    ...(graph.temperatureParam ? { logitScale: Math.exp(program.params[graph.temperatureParam]![0]!) } : {}),
  });
  emit({ type: 'done', step, exportDir, stopped });
  const out: TrainingResult = { runDir, steps: step, stopped, exportDir };
  if (lastStep) out.lastStep = lastStep;
  if (lastValidation) out.lastValidation = lastValidation;
  return out;
}

type Partners = { text: boolean; image: boolean; audioAug: boolean };

function activePartners(o: TrainerOptions, s: RunSettings): Partners {
  const on = (term: ContrastiveTerm) => (s.weights[term] ?? 1) > 0;
  const partners = {
    text: o.textEncoder !== undefined && on('audioText'),
    image: o.imageEncoder !== undefined && on('audioImage'),
    audioAug: s.specAugment !== false && on('audioAudio'),
  };
  if (!partners.text && !partners.image && !partners.audioAug) {
    throw new TrainingError(
      'BAD_DATA',
      'nothing to train against: give a text encoder, an image encoder, or SpecAugment (with weights above 0)',
    );
  }
  if (partners.image) {
    const missing = o.train.findIndex((i) => i.imagePath === undefined);
    if (missing >= 0) {
      throw new TrainingError(
        'BAD_DATA',
        `the audio-image term needs an image for every clip; ${o.train[missing]!.audioPath} has none (set the audioImage weight to 0 to train without images)`,
      );
    }
  }
  return partners;
}

/** Each item's caption: its own, else the template filled with its label. */
function captionsOf(
  items: readonly DatasetItem[],
  s: RunSettings,
  required: boolean,
): (string | undefined)[] {
  return items.map((item) => {
    if (item.caption !== undefined && item.caption.trim() !== '') return item.caption;
    if (item.label !== undefined) return s.captionTemplate.replaceAll('{label}', spokenLabel(item.label));
    if (required) {
      throw new TrainingError(
        'BAD_DATA',
        `${item.audioPath} has neither a caption nor a label, and the audio-text term needs one`,
      );
    }
    return undefined;
  });
}

/** The original caption and its EDA rewrites, per item; seeded, so every run sees the same variants. */
function captionVariants(captions: (string | undefined)[], s: RunSettings, o: TrainerOptions): string[][] {
  if (s.textVariants === 1 || !o.textAugment) return captions.map((c) => [c!]);
  const { thesaurus, ...eda } = o.textAugment.eda ?? {};
  const augmenter = new EdaAugmenter({
    ...eda,
    thesaurus: thesaurus ?? bundledThesaurus(),
    seed: mixSeed(s.seed, 0xeda),
  });
  return captions.map((c) => [c!, ...augmenter.augmentMany(c!, s.textVariants - 1).map((r) => r.text)]);
}

function specAugmentOf(s: RunSettings) {
  return s.specAugment === false ? undefined : s.specAugment;
}

/** Per-step outputs: term losses, accuracies, the logit scale and every BatchNorm's batch statistics. */
function fetchedTensors(graph: ContrastiveGraph): string[] {
  const names = [graph.logitScale, ...Object.values(graph.terms)];
  for (const acc of Object.values(graph.accuracy)) names.push(acc.forward, acc.backward);
  for (const bn of graph.batchNorm) names.push(bn.batchMean, bn.batchVar);
  return [...new Set(names)];
}

function feedsFor(
  graph: ContrastiveGraph,
  s: RunSettings,
  batch: { logMel: Float32Array; logMelAug?: Float32Array },
  rows: (role: 'text' | 'image') => Float32Array,
): Record<string, HostTensor> {
  const dims = [s.batchSize, 1, s.encoder.logMel.nMels, inputFrames(s.encoder)];
  const feeds: Record<string, HostTensor> = { [graph.inputs.logMel]: { data: batch.logMel, dims } };
  if (graph.inputs.logMelAug) feeds[graph.inputs.logMelAug] = { data: batch.logMelAug!, dims };
  for (const role of ['text', 'image'] as const) {
    const name = graph.inputs[role];
    if (name === undefined) continue;
    const data = rows(role);
    feeds[name] = { data, dims: [s.batchSize, data.length / s.batchSize] };
  }
  return feeds;
}

/** The running statistics, initialised from the inference graph and updated in place each step. */
function runningBuffers(inference: Model, graph: ContrastiveGraph): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const bn of graph.batchNorm) {
    for (const name of [bn.runningMean, bn.runningVar]) {
      const t = inference.graph.initializers.find((i) => i.name === name);
      if (!t) throw new TrainingError('RUN_MISMATCH', `the inference graph has no tensor '${name}'`);
      out[name] = Float32Array.from(t.data as Float32Array);
    }
  }
  return out;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function pick<T>(list: readonly T[], rng: Rng): T {
  return list[Math.floor(rng.next() * list.length)]!;
}
