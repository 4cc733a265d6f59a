import { createHash } from 'node:crypto';
import {
  AdamW,
  constantLr,
  cosineAnnealingLr,
  cyclicCosineLr,
  linearWarmup,
  SGD,
  type LrSchedule,
  type Optimizer,
  type ParamMap,
  type SessionOptions,
} from '@soundedit/models';
import type { SpecAugmentConfig } from '../audio/features/specaugment.ts';
import type { DatasetItem } from '../data/dataset.ts';
import { validateAudioEncoderConfig, type AudioEncoderConfig } from '../encoders/audio-resnet/config.ts';
import type { EdaOptions } from '../text/eda.ts';
import { TrainingError } from './errors.ts';
import type { FrozenEncoder } from '../encoders/frozen-encoder.ts';
import type { ContrastiveTerm, Temperature } from './infonce.ts';
import type { TrainingEvent } from './training-events.ts';

export type OptimizerSettings =
  /** The paper's: SGD, momentum 0.9, weight decay 1e-4. */
  | { kind: 'sgd'; lr: number; momentum?: number; weightDecay?: number; nesterov?: boolean }
  | { kind: 'adamw'; lr: number; weightDecay?: number; betas?: readonly [number, number] };

export type ScheduleSettings =
  /** The paper's cosine cyclic schedule; a cycle defaults to one epoch. */
  | { kind: 'cyclic-cosine'; cycleSteps?: number; minLr?: number; warmupSteps?: number }
  | { kind: 'cosine'; minLr?: number; warmupSteps?: number }
  | { kind: 'constant'; warmupSteps?: number };

export interface TextAugmentSettings {
  /** Captions per clip: the original plus variants - 1 EDA rewrites, all embedded once up front. */
  variants: number;
  eda?: Omit<EdaOptions, 'seed' | 'thesaurus'> & { thesaurus?: EdaOptions['thesaurus'] };
}

export interface TrainerOptions {
  /** The encoder to train: architecture, output size, front end, clip length. */
  encoder: AudioEncoderConfig;
  /** Folder of the run: run.json, metrics.jsonl, checkpoints/, export/. An existing run there is resumed. */
  runDir: string;
  train: readonly DatasetItem[];
  validation?: readonly DatasetItem[];
  /** Class names for zero-shot validation (items' labels index into these by name). */
  classes?: readonly string[];
  /** Frozen text tower of the shared space: embeds captions and prompts. */
  textEncoder?: FrozenEncoder;
  /** Frozen image tower: embeds items' image paths. */
  imageEncoder?: FrozenEncoder;
  /** Identifies the frozen encoders in the run's fingerprint (a pack name and hash, say). */
  frozenEncodersId?: string;
  batchSize: number;
  /** Total optimiser steps; or give epochs. */
  steps?: number;
  epochs?: number;
  optimizer: OptimizerSettings;
  schedule: ScheduleSettings;
  temperature: Temperature;
  weights?: Partial<Record<ContrastiveTerm, number>>;
  /** SpecAugment for the a' view; false switches the a<->a' term off. */
  specAugment: Omit<SpecAugmentConfig, 'seed'> | false;
  textAugment?: TextAugmentSettings | false;
  /** Caption for an item that has only a label; `{label}` is replaced. Default 'the sound of {label}'. */
  captionTemplate?: string;
  /** Zero-shot prompt templates for validation. */
  promptTemplates?: readonly string[];
  /** A pack's own prompts per class name; classes listed here ignore the templates. */
  classPrompts?: Readonly<Record<string, readonly string[]>>;
  seed: number;
  checkpointEvery?: number;
  keepCheckpoints?: number;
  validateEvery?: number;
  /** BatchNorm running-statistics momentum (torch's default 0.1). */
  batchNormMomentum?: number;
  /** Longest stretch of a recording kept for random crops. */
  maxSecondsPerClip?: number;
  session?: SessionOptions;
  signal?: AbortSignal;
  onEvent?: (event: TrainingEvent) => void;
}

export const DEFAULT_CAPTION_TEMPLATE = 'the sound of {label}';

/** The checked, defaulted settings a run is made of (and fingerprinted by). */
export interface RunSettings {
  encoder: AudioEncoderConfig;
  batchSize: number;
  steps: number;
  stepsPerEpoch: number;
  optimizer: OptimizerSettings;
  schedule: ScheduleSettings;
  temperature: Temperature;
  weights: Partial<Record<ContrastiveTerm, number>>;
  specAugment: Omit<SpecAugmentConfig, 'seed'> | false;
  textVariants: number;
  captionTemplate: string;
  seed: number;
  checkpointEvery: number;
  keepCheckpoints: number;
  validateEvery: number;
  batchNormMomentum: number;
  maxSecondsPerClip: number;
}

export function resolveRunSettings(o: TrainerOptions): RunSettings {
  const encoder = validateAudioEncoderConfig(o.encoder);
  const count = (name: string, v: number | undefined, min: number, fallback?: number): number => {
    const value = v ?? fallback;
    if (value === undefined || !Number.isInteger(value) || value < min) {
      throw new TrainingError('BAD_OPTION', `${name} must be an integer >= ${min}, got ${String(v)}`, {
        subject: name,
      });
    }
    return value;
  };
  const batchSize = count('batchSize', o.batchSize, 2);
  if (o.train.length < batchSize) {
    throw new TrainingError(
      'BAD_BATCH_SIZE',
      `the training set has ${o.train.length} clips, fewer than one batch of ${batchSize}`,
      { subject: 'batchSize' },
    );
  }
  // The last partial batch of an epoch is dropped: BatchNorm and InfoNCE both want full batches.
  const stepsPerEpoch = Math.floor(o.train.length / batchSize);
  if ((o.steps === undefined) === (o.epochs === undefined)) {
    throw new TrainingError('BAD_OPTION', 'give exactly one of steps and epochs', { subject: 'steps' });
  }
  const steps =
    o.steps !== undefined ? count('steps', o.steps, 1) : count('epochs', o.epochs, 1) * stepsPerEpoch;
  const lr = o.optimizer.lr;
  if (!Number.isFinite(lr) || lr <= 0) {
    throw new TrainingError('BAD_OPTION', `optimizer.lr must be a finite positive number, got ${lr}`, {
      subject: 'optimizer.lr',
    });
  }
  const variants = o.textAugment ? count('textAugment.variants', o.textAugment.variants, 1) : 1;
  const momentum = o.batchNormMomentum ?? 0.1;
  if (!(momentum > 0 && momentum <= 1)) {
    throw new TrainingError('BAD_OPTION', `batchNormMomentum must be in (0, 1], got ${momentum}`, {
      subject: 'batchNormMomentum',
    });
  }
  const maxSeconds = o.maxSecondsPerClip ?? 3 * encoder.clipSeconds;
  const template = o.captionTemplate ?? DEFAULT_CAPTION_TEMPLATE;
  if (!template.includes('{label}')) {
    throw new TrainingError('BAD_OPTION', `captionTemplate must contain {label}, got "${template}"`, {
      subject: 'captionTemplate',
    });
  }
  return {
    encoder,
    batchSize,
    steps,
    stepsPerEpoch,
    optimizer: o.optimizer,
    schedule: o.schedule,
    temperature: o.temperature,
    weights: o.weights ?? {},
    specAugment: o.specAugment,
    textVariants: variants,
    captionTemplate: template,
    seed: count('seed', o.seed, 0),
    checkpointEvery: count('checkpointEvery', o.checkpointEvery, 1, Math.max(1, Math.min(steps, 500))),
    keepCheckpoints: count('keepCheckpoints', o.keepCheckpoints, 1, 3),
    validateEvery: count('validateEvery', o.validateEvery, 1, Math.max(1, Math.min(steps, 500))),
    batchNormMomentum: momentum,
    maxSecondsPerClip: maxSeconds,
  };
}

/** A run's identity: its settings and its data. Resuming a folder whose fingerprint differs is refused. */
export function runFingerprint(settings: RunSettings, o: TrainerOptions): string {
  const data = (items: readonly DatasetItem[] = []) =>
    items.map((i) => [i.audioPath, i.caption ?? null, i.label ?? null, i.imagePath ?? null]);
  const identity = {
    settings,
    train: data(o.train),
    validation: data(o.validation),
    classes: o.classes ?? null,
    classPrompts: o.classPrompts ?? null,
    frozen: o.frozenEncodersId ?? null,
    textDim: o.textEncoder?.dim ?? null,
    imageDim: o.imageEncoder?.dim ?? null,
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
}

export function makeOptimizer(settings: OptimizerSettings, params: ParamMap): Optimizer {
  if (settings.kind === 'sgd') {
    return new SGD(params, {
      lr: settings.lr,
      momentum: settings.momentum ?? 0.9,
      weightDecay: settings.weightDecay ?? 1e-4,
      nesterov: settings.nesterov ?? false,
    });
  }
  return new AdamW(params, {
    lr: settings.lr,
    weightDecay: settings.weightDecay ?? 0.01,
    ...(settings.betas ? { betas: settings.betas } : {}),
  });
}

/** The run's learning-rate schedule; cyclic cycles default to one epoch. */
export function makeSchedule(
  settings: Pick<RunSettings, 'schedule' | 'optimizer' | 'steps' | 'stepsPerEpoch'>,
): LrSchedule {
  const s = settings.schedule;
  const lr = settings.optimizer.lr;
  const warmup = s.warmupSteps ?? 0;
  const after = Math.max(1, settings.steps - warmup);
  const inner =
    s.kind === 'constant'
      ? constantLr(lr)
      : s.kind === 'cosine'
        ? cosineAnnealingLr({ lr, minLr: s.minLr ?? 0, totalSteps: after })
        : cyclicCosineLr({ lr, minLr: s.minLr ?? 0, cycleSteps: s.cycleSteps ?? settings.stepsPerEpoch });
  return warmup > 0 ? linearWarmup(inner, { warmupSteps: warmup }) : inner;
}
