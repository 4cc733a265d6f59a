import type { ClipConfig } from '../../audio/audio-clip.ts';
import {
  CROP_POLICIES,
  PAD_POLICIES,
  type CropPolicy,
  type PadPolicy,
} from '../../audio/features/crop-pad.ts';
import { FeatureConfigError } from '../../audio/features/errors.ts';
import {
  PAPER_LOG_MEL_CONFIG,
  validateLogMelConfig,
  type LogMelConfig,
} from '../../audio/features/log-mel.ts';
import { frameCount } from '../../audio/features/stft.ts';
import { AudioEncoderConfigError, type AudioEncoderConfigErrorCode } from './errors.ts';

export const AUDIO_ENCODER_ARCHS = ['resnet18', 'resnet50'] as const;
export type AudioEncoderArch = (typeof AUDIO_ENCODER_ARCHS)[number];

/** A pack's audio encoder: the network, its front end, and how clips are cut and batched. */
export interface AudioEncoderConfig {
  arch: AudioEncoderArch;
  /** Embedding size; 512 to share CLIP ViT-B/32's space. */
  outputDim: number;
  /** Front end; `logMel.sampleRate` is the rate every clip is resampled to. */
  logMel: LogMelConfig;
  /** Every clip is cropped or zero-padded to this length. */
  clipSeconds: number;
  crop: CropPolicy;
  pad: PadPolicy;
  /** Required with crop 'random'. */
  cropSeed?: number;
  /** Most clips per model run. */
  batchSize: number;
  /**
   * Channels of the ResNet's first stage (stages double it: w, 2w, 4w, 8w). Default 64, the
   * ImageNet ResNet the paper uses; small packs trained on a CPU use a narrower network.
   */
  baseWidth?: number;
}

const FIELDS: ReadonlyArray<keyof AudioEncoderConfig> = [
  'arch',
  'outputDim',
  'logMel',
  'clipSeconds',
  'crop',
  'pad',
  'cropSeed',
  'batchSize',
  'baseWidth',
];

/** Longest clip accepted: the decoder's default duration limit. */
export const MAX_CLIP_SECONDS = 600;
export const MAX_OUTPUT_DIM = 65_536;
export const MAX_BATCH_SIZE = 1024;
export const DEFAULT_BASE_WIDTH = 64;
export const MAX_BASE_WIDTH = 512;
/** The stem's unpadded 3x3 conv needs at least 3 mel bins and 3 frames to produce anything. */
export const MIN_INPUT_SIDE = 3;

/**
 * The paper's setup: ResNet-18, 512-d, its log-mel front end, 10 s clips (the length of a VGGSound
 * clip, its training set), centre crop for inference.
 */
export function defaultAudioEncoderConfig(arch: AudioEncoderArch = 'resnet18'): AudioEncoderConfig {
  return {
    arch,
    outputDim: 512,
    logMel: { ...PAPER_LOG_MEL_CONFIG },
    clipSeconds: 10,
    crop: 'center',
    pad: 'end',
    batchSize: 8,
  };
}

/** Checks every field (configs come from manifests: unknown keys are typos) and returns a clean copy. */
export function validateAudioEncoderConfig(config: AudioEncoderConfig): AudioEncoderConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new AudioEncoderConfigError(
      'NOT_AN_OBJECT',
      'config',
      `expected an object, got ${describe(config)}`,
    );
  }
  for (const k of Object.keys(config)) {
    if (!(FIELDS as readonly string[]).includes(k)) {
      throw new AudioEncoderConfigError(
        'UNKNOWN_OPTION',
        k,
        `not an audio encoder setting (known: ${FIELDS.join(', ')})`,
      );
    }
  }
  const arch = oneOf('INVALID_ARCH', 'arch', config.arch, AUDIO_ENCODER_ARCHS);
  const outputDim = integer('INVALID_OUTPUT_DIM', 'outputDim', config.outputDim, 1, MAX_OUTPUT_DIM);
  const batchSize = integer('INVALID_BATCH_SIZE', 'batchSize', config.batchSize, 1, MAX_BATCH_SIZE);
  const clipSeconds = config.clipSeconds;
  if (
    typeof clipSeconds !== 'number' ||
    !Number.isFinite(clipSeconds) ||
    clipSeconds <= 0 ||
    clipSeconds > MAX_CLIP_SECONDS
  ) {
    throw new AudioEncoderConfigError(
      'INVALID_CLIP_LENGTH',
      'clipSeconds',
      `expected seconds in (0, ${MAX_CLIP_SECONDS}], got ${describe(clipSeconds)}`,
    );
  }
  const crop = oneOf('INVALID_CROP', 'crop', config.crop, CROP_POLICIES);
  const pad = oneOf('INVALID_CROP', 'pad', config.pad, PAD_POLICIES);
  let cropSeed: number | undefined;
  if (config.cropSeed !== undefined || crop === 'random') {
    if (config.cropSeed === undefined) {
      throw new AudioEncoderConfigError(
        'INVALID_CROP',
        'cropSeed',
        "crop 'random' needs a cropSeed so runs are reproducible",
      );
    }
    cropSeed = integer('INVALID_CROP', 'cropSeed', config.cropSeed, 0, 0xffffffff);
  }

  let logMel: LogMelConfig;
  try {
    logMel = validateLogMelConfig(config.logMel);
  } catch (e) {
    if (!(e instanceof FeatureConfigError)) throw e;
    const field = e.field === 'config' ? 'logMel' : `logMel.${e.field}`;
    throw new AudioEncoderConfigError('INVALID_LOG_MEL', field, e.message.replace(/^[^:]*: /, ''), {
      cause: e,
    });
  }

  const out: AudioEncoderConfig = { arch, outputDim, logMel, clipSeconds, crop, pad, batchSize };
  if (cropSeed !== undefined) out.cropSeed = cropSeed;
  if (config.baseWidth !== undefined) {
    out.baseWidth = integer('INVALID_WIDTH', 'baseWidth', config.baseWidth, 1, MAX_BASE_WIDTH);
  }
  const samples = clipSamples(out);
  const frames = inputFrames(out);
  if (logMel.nMels < MIN_INPUT_SIDE || frames < MIN_INPUT_SIDE) {
    throw new AudioEncoderConfigError(
      'INPUT_TOO_SMALL',
      logMel.nMels < MIN_INPUT_SIDE ? 'logMel.nMels' : 'clipSeconds',
      `the encoder needs a log-mel of at least ${MIN_INPUT_SIDE}x${MIN_INPUT_SIDE}; this config gives ${logMel.nMels} mels x ${frames} frames (${samples} samples)`,
    );
  }
  return out;
}

/** Channels of the four ResNet stages. */
export function stageWidths(config: AudioEncoderConfig): [number, number, number, number] {
  const w = config.baseWidth ?? DEFAULT_BASE_WIDTH;
  return [w, 2 * w, 4 * w, 8 * w];
}

/** Clip length in samples at the front end's rate. */
export function clipSamples(config: AudioEncoderConfig): number {
  return Math.round(config.clipSeconds * config.logMel.sampleRate);
}

/** Time frames of the log-mel the encoder takes. */
export function inputFrames(config: AudioEncoderConfig): number {
  return frameCount(clipSamples(config), config.logMel);
}

/** The encoder's input shape for `batch` clips: [batch, 1, nMels, frames]. */
export function inputShape(config: AudioEncoderConfig, batch: number): [number, number, number, number] {
  return [batch, 1, config.logMel.nMels, inputFrames(config)];
}

/** How `prepareClip` cuts recordings for this encoder. */
export function clipConfigOf(config: AudioEncoderConfig): ClipConfig {
  const c: ClipConfig = {
    sampleRate: config.logMel.sampleRate,
    length: clipSamples(config),
    crop: config.crop,
    pad: config.pad,
  };
  if (config.cropSeed !== undefined) c.seed = config.cropSeed;
  return c;
}

function integer(
  code: AudioEncoderConfigErrorCode,
  field: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new AudioEncoderConfigError(
      code,
      field,
      `expected an integer in [${min}, ${max}], got ${describe(value)}`,
    );
  }
  return value;
}

function oneOf<T extends string>(
  code: AudioEncoderConfigErrorCode,
  field: string,
  value: unknown,
  options: readonly T[],
): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw new AudioEncoderConfigError(
      code,
      field,
      `expected one of ${options.map((o) => `'${o}'`).join(', ')}, got ${describe(value)}`,
    );
  }
  return value as T;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}
