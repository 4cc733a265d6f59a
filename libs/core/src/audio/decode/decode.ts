import { decodeInWorker } from './decode-thread.ts';
import { AudioDecodeError } from './errors.ts';
import { decodeWithFfmpeg, FFMPEG_DEMUXERS, type FfmpegFormat } from './ffmpeg.ts';
import { inspectContainer, type ContainerFacts } from './inspect.ts';
import {
  checkDuration,
  checkStreamParameters,
  formatSeconds,
  label,
  MAX_SAMPLE_RATE,
  resolveLimits,
  type DecodeLimits,
} from './limits.ts';
import { sniffAudio, type AudioFormat } from './sniff.ts';
import { rebuildWav } from './wav-header.ts';
import type { WorkerFormat } from './worker-protocol.ts';

export interface DecodedAudio {
  sampleRate: number;
  /** One array per channel, equal lengths, samples in [-1, 1] for integer sources. */
  channels: Float32Array[];
  durationS: number;
  format: AudioFormat;
}

const SUPPORTED_LIST = 'WAV, MP3, Ogg Vorbis, Ogg Opus, FLAC, WebM, M4A/AAC or MP4';

function isFfmpegFormat(format: AudioFormat): format is FfmpegFormat {
  return format in FFMPEG_DEMUXERS;
}

/**
 * Decode an uploaded audio file of any supported format to planar float samples at its own rate.
 * Every failure caused by the file is an AudioDecodeError; the caller's buffer is not modified.
 */
export async function decodeAudio(bytes: Uint8Array, limits?: Partial<DecodeLimits>): Promise<DecodedAudio> {
  const lim = resolveLimits(limits);
  if (bytes.length === 0)
    throw new AudioDecodeError('EMPTY', 'The file is empty (0 bytes). Record or choose the file again.');
  if (bytes.length > lim.maxBytes) {
    throw new AudioDecodeError(
      'TOO_LARGE',
      `The file is ${megabytes(bytes.length)}; the limit is ${megabytes(lim.maxBytes)}. Send a shorter or more compressed recording.`,
    );
  }
  const sniffed = sniffAudio(bytes);
  if (!sniffed.supported && sniffed.truncated) {
    throw new AudioDecodeError(
      'TRUNCATED',
      `The file stops after ${bytes.length} bytes, too early to hold audio (${sniffed.looksLike}). The upload looks incomplete.`,
    );
  }
  if (!sniffed.supported) {
    throw new AudioDecodeError(
      'UNSUPPORTED_FORMAT',
      `This file looks like ${sniffed.looksLike}, not audio this service can read. Send ${SUPPORTED_LIST}.`,
    );
  }
  const { format, offset } = sniffed;
  const facts = inspectContainer(bytes, format, offset, lim.maxDurationS);
  const decoded = isFfmpegFormat(format)
    ? await decodeWithFfmpeg(bytes, { format, maxDurationS: lim.maxDurationS, timeoutMs: lim.timeoutMs })
    : await decodeWithWorker(bytes.subarray(offset), format, facts, lim);
  return checkOutput(format, decoded.sampleRate, decoded.channels, facts, lim);
}

async function decodeWithWorker(
  bytes: Uint8Array,
  format: WorkerFormat,
  facts: ContainerFacts,
  lim: DecodeLimits,
): Promise<{ sampleRate: number; channels: Float32Array[] }> {
  // Bound the decoder's output by the limit: one frame more is already too long.
  const maxFrames = Math.floor(lim.maxDurationS * (facts.sampleRate ?? MAX_SAMPLE_RATE));
  // The worker gets a private copy (its buffer is transferred). Not bytes.slice(): on a Node Buffer that is a view.
  let payload: Uint8Array;
  if (facts.wav) payload = rebuildWav(bytes, facts.wav);
  else {
    payload = new Uint8Array(bytes.length);
    payload.set(bytes);
  }
  const res = await decodeInWorker({ format, bytes: payload, maxFrames }, lim.timeoutMs);
  if (res.ok) return res;
  if (res.reason === 'too_long') {
    throw new AudioDecodeError(
      'TOO_LONG',
      `The ${label(format)} audio is longer than the limit of ${formatSeconds(lim.maxDurationS)}. Trim it and try again.`,
      format,
    );
  }
  throw new AudioDecodeError(
    'CORRUPT',
    `The ${label(format)} file could not be decoded; it is probably damaged (${res.message}).`,
    format,
  );
}

function checkOutput(
  format: AudioFormat,
  sampleRate: number,
  channels: Float32Array[],
  facts: ContainerFacts,
  lim: DecodeLimits,
): DecodedAudio {
  const frames = channels[0]?.length ?? 0;
  if (frames === 0) {
    throw new AudioDecodeError(
      'CORRUPT',
      `The ${label(format)} file decoded to no audio; it is probably damaged.`,
      format,
    );
  }
  checkStreamParameters(format, sampleRate, channels.length);
  if (channels.some((c) => c.length !== frames))
    throw new Error(`decoder returned channels of unequal length for ${format}`);
  if (facts.expectedFrames !== undefined && frames < facts.expectedFrames) {
    throw new AudioDecodeError(
      'TRUNCATED',
      `The ${label(format)} file stops early: ${frames} of the ${facts.expectedFrames} samples its header announces could be decoded. The upload looks incomplete.`,
      format,
    );
  }
  for (const c of channels) {
    for (let i = 0; i < c.length; i++) {
      if (!Number.isFinite(c[i])) {
        throw new AudioDecodeError(
          'CORRUPT',
          `The ${label(format)} file holds invalid sample values (NaN or infinity); it is damaged.`,
          format,
        );
      }
    }
  }
  const durationS = frames / sampleRate;
  checkDuration(format, durationS, lim.maxDurationS);
  return { sampleRate, channels, durationS, format };
}

function megabytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
