import { readFile } from 'node:fs/promises';
import type { Rng } from '@soundedit/models';
import { prepareClip } from '../audio/audio-clip.ts';
import { decodeAudio } from '../audio/decode/decode.ts';
import type { DecodeLimits } from '../audio/decode/limits.ts';
import { LogMelExtractor } from '../audio/features/log-mel.ts';
import { specAugment, type SpecAugmentConfig } from '../audio/features/specaugment.ts';
import type { Spectrogram } from '../audio/features/stft.ts';
import { clipSamples, inputFrames, type AudioEncoderConfig } from '../encoders/audio-resnet/config.ts';
import { TrainingError } from './errors.ts';

/** One clip's log-mel over its whole kept length, computed once; steps crop windows out of it. */
export interface TrainingClip {
  /** rows = mel bands, cols = frames (at least the encoder's input frames). */
  logMel: Spectrogram;
  sourceDurationS: number;
}

export interface PrepareClipsOptions {
  /** Longest stretch of a recording kept for random crops (default: 3 clip lengths). */
  maxSeconds?: number;
  decodeLimits?: Partial<DecodeLimits>;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Decodes, resamples and featurises every file once. Random crops are then taken in frames of the
 * stored log-mel rather than in samples, because recomputing a 10 s log-mel per clip per step
 * would cost more than the network's step; the window differs from a sample crop only at its
 * edges (half an FFT window), and per-clip level normalisation sees the longer stretch.
 */
export async function prepareTrainingClips(
  paths: readonly string[],
  config: AudioEncoderConfig,
  options: PrepareClipsOptions = {},
): Promise<TrainingClip[]> {
  const clipLength = clipSamples(config);
  const maxSeconds = options.maxSeconds ?? 3 * config.clipSeconds;
  if (!Number.isFinite(maxSeconds) || maxSeconds < config.clipSeconds) {
    throw new TrainingError(
      'BAD_OPTION',
      `maxSeconds must be at least the clip length (${config.clipSeconds} s), got ${maxSeconds}`,
      { subject: 'maxSeconds' },
    );
  }
  const extractor = new LogMelExtractor(config.logMel);
  const out: TrainingClip[] = [];
  for (const [i, path] of paths.entries()) {
    options.signal?.throwIfAborted();
    const audio = await decodeAudio(new Uint8Array(await readFile(path)), options.decodeLimits);
    const kept = Math.min(Math.round(maxSeconds * config.logMel.sampleRate), resampledLength(audio, config));
    const clip = await prepareClip(audio, {
      sampleRate: config.logMel.sampleRate,
      length: Math.max(clipLength, kept),
      crop: 'center',
      pad: config.pad,
    });
    out.push({ logMel: extractor.compute(clip.samples), sourceDurationS: clip.sourceDurationS });
    options.onProgress?.(i + 1, paths.length);
  }
  return out;
}

function resampledLength(
  audio: { sampleRate: number; channels: readonly Float32Array[] },
  c: AudioEncoderConfig,
) {
  const n = audio.channels[0]?.length ?? 0;
  return Math.round((n * c.logMel.sampleRate) / audio.sampleRate);
}

/** Where a window of `frames` columns starts: uniform under `rng`, or centred without one. */
export function windowStart(clip: TrainingClip, frames: number, rng?: Rng): number {
  const spare = clip.logMel.cols - frames;
  if (spare <= 0) return 0;
  return rng ? Math.floor(rng.next() * (spare + 1)) : Math.floor(spare / 2);
}

/** Copies columns [start, start + frames) of a clip's log-mel into `out` at `offset`, zero beyond its end. */
export function copyWindow(
  clip: TrainingClip,
  start: number,
  frames: number,
  out: Float32Array,
  offset: number,
): void {
  const { rows, cols, data } = clip.logMel;
  const width = Math.min(frames, cols - start);
  for (let r = 0; r < rows; r++) {
    const from = r * cols + start;
    out.set(data.subarray(from, from + width), offset + r * frames);
    if (width < frames) out.fill(0, offset + r * frames + width, offset + (r + 1) * frames);
  }
}

/** A batch of windows [count, 1, nMels, frames], and optionally SpecAugment views of the same windows. */
export function assembleBatch(
  clips: readonly TrainingClip[],
  indices: readonly number[],
  config: AudioEncoderConfig,
  rng: Rng | undefined,
  augment?: Omit<SpecAugmentConfig, 'seed'>,
): { logMel: Float32Array; logMelAug?: Float32Array } {
  const frames = inputFrames(config);
  const rows = config.logMel.nMels;
  const item = rows * frames;
  const logMel = new Float32Array(indices.length * item);
  const logMelAug = augment ? new Float32Array(indices.length * item) : undefined;
  indices.forEach((index, k) => {
    const clip = clips[index]!;
    copyWindow(clip, windowStart(clip, frames, rng), frames, logMel, k * item);
    if (logMelAug && augment) {
      const window: Spectrogram = { rows, cols: frames, data: logMel.subarray(k * item, (k + 1) * item) };
      const seed = rng ? Math.floor(rng.next() * 0x100000000) : index;
      logMelAug.set(specAugment(window, { ...augment, seed }).spectrogram.data, k * item);
    }
  });
  return logMelAug ? { logMel, logMelAug } : { logMel };
}
