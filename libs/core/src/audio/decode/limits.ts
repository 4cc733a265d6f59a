import { AudioDecodeError } from './errors.ts';

export interface DecodeLimits {
  /** Refuse uploads larger than this before looking inside them. */
  maxBytes: number;
  /** Refuse audio longer than this, from the header where it says, else while decoding. */
  maxDurationS: number;
  /** Wall-clock budget for one decode (worker or ffmpeg). */
  timeoutMs: number;
}

export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxBytes: 50 * 1024 * 1024,
  maxDurationS: 600,
  timeoutMs: 30_000,
});

/**
 * Parameters outside these ranges are damaged headers, not recordings; a decoder trusting them
 * allocates per channel (65,535 channels costs seconds of CPU and hundreds of MB before failing).
 */
export const MAX_CHANNELS = 32;
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 384_000;

export function resolveLimits(limits: Partial<DecodeLimits> | undefined): DecodeLimits {
  const out = { ...DEFAULT_DECODE_LIMITS, ...limits };
  for (const [key, value] of Object.entries(out)) {
    if (!(typeof value === 'number' && value > 0))
      throw new RangeError(`decode limit ${key} must be a positive number, got ${String(value)}`);
  }
  return out;
}

export function checkStreamParameters(format: string, sampleRate: number, channels: number): void {
  if (!Number.isFinite(sampleRate) || sampleRate <= 0) {
    throw new AudioDecodeError(
      'CORRUPT',
      `The ${label(format)} header is damaged: it gives a sample rate of ${sampleRate} Hz.`,
      format,
    );
  }
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new AudioDecodeError(
      'CORRUPT',
      `The ${label(format)} header gives a sample rate of ${sampleRate} Hz; recordings are ${MIN_SAMPLE_RATE / 1000}-${MAX_SAMPLE_RATE / 1000} kHz, so the file is damaged or not a recording.`,
      format,
    );
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) {
    throw new AudioDecodeError(
      'CORRUPT',
      `The ${label(format)} header claims ${channels} channels; 1-${MAX_CHANNELS} are accepted, so the file is damaged or not a recording.`,
      format,
    );
  }
}

export function checkDuration(format: string, durationS: number, maxDurationS: number): void {
  if (durationS > maxDurationS) {
    throw new AudioDecodeError(
      'TOO_LONG',
      `The ${label(format)} audio is ${formatSeconds(durationS)} long; the limit is ${formatSeconds(maxDurationS)}. Trim it and try again.`,
      format,
    );
  }
}

const LABELS: Record<string, string> = {
  wav: 'WAV',
  mp3: 'MP3',
  'ogg-vorbis': 'Ogg Vorbis',
  'ogg-opus': 'Ogg Opus',
  flac: 'FLAC',
  webm: 'WebM',
  matroska: 'Matroska',
  mp4: 'MP4',
  m4a: 'M4A',
  aac: 'AAC',
};

/** The name a user knows the format by. */
export function label(format: string): string {
  return LABELS[format] ?? format;
}

export function formatSeconds(s: number): string {
  return s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`;
}
