import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  compileGradientProgram,
  NonFiniteGradientError,
  Rng,
  updateRunningStats,
  type HostTensor,
  type Model,
} from '@soundedit/models';
import type { DatasetItem } from '../data/dataset.ts';
import { inputFrames } from '../encoders/audio-resnet/config.ts';
import { buildAudioEncoder } from '../encoders/audio-resnet/model.ts';
import { spokenLabel } from '../evaluation/zero-shot.ts';
import { EdaAugmenter } from '../text/eda.ts';
import { bundledThesaurus } from '../text/thesaurus.ts';
import { exportAudioEncoder } from '../encoders/audio-resnet/encoder-folder.ts';
import {
  listCheckpoints,
  loadCheckpoint,
  pruneCheckpoints,
  saveCheckpoint,
  withWeights,
  type TrainerState,
} from './checkpoint.ts';
import { buildContrastiveGraph, type ContrastiveGraph } from './contrastive-graph.ts';
import { TrainingError } from './errors.ts';
import { EmbeddingCache } from './frozen-embeddings.ts';
import { CONTRASTIVE_TERMS, type ContrastiveTerm } from './infonce.ts';
import { CHECKPOINT_DIR, claimRunDir, EXPORT_DIR, METRICS_FILE, truncateMetrics } from './run-folder.ts';
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

  let start = 0;
  let resumedFrom: string | undefined;
  const checkpoints = await listCheckpoints(join(runDir, CHECKPOINT_DIR));
  const latest = checkpoints.at(-1);
  if (latest) {
    const ckpt = await loadCheckpoint(latest.path, fingerprint);
    for (const [name, values] of Object.entries(program.params)) {
      const saved =
        ckpt.weights[name] ??
        (ckpt.state.extra[name] ? Float32Array.from(ckpt.state.extra[name]) : undefined);
      if (!saved || saved.length !== values.length) {
        throw new TrainingError('RUN_MISMATCH', `checkpoint ${latest.path} lacks parameter '${name}'`);
      }
      values.set(saved);
    }
    for (const [name, values] of Object.entries(buffers)) values.set(ckpt.weights[name]!);
    optimizer.load(ckpt.state.optimizer);
    start = ckpt.state.step;
    resumedFrom = latest.path;
  }
  await truncateMetrics(join(runDir, METRICS_FILE), start);

  const trainable = Object.values(program.params).reduce((n, p) => n + p.length, 0);
  emit({
    type: 'start',
    fromStep: start,
    totalSteps: settings.steps,
    stepsPerEpoch: settings.stepsPerEpoch,
    trainableValues: trainable,
    ...(resumedFrom ? { resumedFrom } : {}),
  });

  const weightsNow = () => {
    const all: Record<string, Float32Array> = { ...buffers };
    for (const name of graph.encoderWeights) if (program.params[name]) all[name] = program.params[name];
    return all;
  };
  const checkpoint = async (step: number) => {
    const extra: TrainerState['extra'] = {};
    if (graph.temperatureParam) extra[graph.temperatureParam] = [...program.params[graph.temperatureParam]!];
    const path = await saveCheckpoint(
      join(runDir, CHECKPOINT_DIR),
      { 'audio-encoder.onnx': inference },
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
    await pruneCheckpoints(join(runDir, CHECKPOINT_DIR), settings.keepCheckpoints);
    emit({ type: 'checkpoint', step, path });
    return path;
  };
  const validate = async (step: number): Promise<ValidationMetrics | undefined> => {
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
    await appendFile(join(runDir, METRICS_FILE), `${JSON.stringify({ type: 'validation', ...metrics })}\n`);
    return metrics;
  };

  let lastStep: StepMetrics | undefined;
  let lastValidation: ValidationMetrics | undefined;
  let stopped = false;
  let step = start;
  const began = performance.now();
  const orders = new Map<number, number[]>();
  while (step < settings.steps) {
    if (options.signal?.aborted) {
      stopped = true;
      break;
    }
    const t0 = performance.now();
    const epoch = Math.floor(step / settings.stepsPerEpoch);
    let order = orders.get(epoch);
    if (!order) {
      orders.clear();
      order = permutation(clips.length, mixSeed(settings.seed, 0x0de7, epoch));
      orders.set(epoch, order);
    }
    const at = (step % settings.stepsPerEpoch) * settings.batchSize;
    const indices = order.slice(at, at + settings.batchSize);
    const rng = new Rng(mixSeed(settings.seed, 0x57e9, step));
    const batch = assembleBatch(clips, indices, settings.encoder, rng, augment);
    const feeds = feedsFor(graph, settings, batch, (role) =>
      role === 'text'
        ? text!.batch(indices.map((i) => pick(variants[i]!, rng)))
        : image!.batch(indices.map((i) => options.train[i]!.imagePath!)),
    );
    const result = await program.step(feeds);
    if (!Number.isFinite(result.loss)) {
      throw new TrainingError(
        'DIVERGED',
        `the loss became ${result.loss} at step ${step + 1}; lower the learning rate or the temperature's bound (last checkpoint kept)`,
      );
    }
    updateRunningStats(buffers, graph.batchNorm, result.outputs, settings.batchNormMomentum);
    const lr = schedule(step);
    try {
      optimizer.step(result.grads, lr);
    } catch (e) {
      if (!(e instanceof NonFiniteGradientError)) throw e;
      throw new TrainingError('DIVERGED', `step ${step + 1}: ${e.message} (last checkpoint kept)`);
    }
    step++;
    const scalar = (name: string) => Number(result.outputs[name]!.data[0]);
    const terms: StepMetrics['terms'] = {};
    const accuracy: StepMetrics['accuracy'] = {};
    for (const term of CONTRASTIVE_TERMS) {
      if (graph.terms[term]) terms[term] = scalar(graph.terms[term]);
      if (graph.accuracy[term]) accuracy[term] = scalar(graph.accuracy[term].forward);
    }
    lastStep = {
      step,
      epoch,
      lr,
      loss: result.loss,
      terms,
      accuracy,
      logitScale: scalar(graph.logitScale),
      samplesPerSecond: settings.batchSize / ((performance.now() - t0) / 1000),
      elapsedS: (performance.now() - began) / 1000,
    };
    emit({ type: 'step', totalSteps: settings.steps, ...lastStep });
    await appendFile(join(runDir, METRICS_FILE), `${JSON.stringify({ type: 'step', ...lastStep })}\n`);
    if (step % settings.validateEvery === 0 || step === settings.steps) lastValidation = await validate(step);
    if (step % settings.checkpointEvery === 0 || step === settings.steps) await checkpoint(step);
  }
  if (stopped && step > start) await checkpoint(step);
  await program.release();

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
