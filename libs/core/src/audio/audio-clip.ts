import { Rng } from '@soundedit/models';
import {
  cropOrPad,
  CROP_POLICIES,
  PAD_POLICIES,
  type CropPolicy,
  type PadPolicy,
} from './features/crop-pad.ts';
import { downmix } from './features/downmix.ts';
import { FeatureConfigError, FeatureInputError } from './features/errors.ts';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, resample } from './features/resample.ts';
import { checkInteger, checkOneOf, checkSeed } from './features/validate.ts';

/** What an encoder needs from its input: one mono clip of a fixed length at a fixed rate. */
export interface ClipConfig {
  /** Rate the encoder's front end expects (Hz). */
  sampleRate: number;
  /** Clip length in samples at `sampleRate`. */
  length: number;
  /** Which window of a longer recording to keep. */
  crop: CropPolicy;
  /** Where the zeros go for a shorter one (default 'end'). */
  pad?: PadPolicy;
  /** Required for crop 'random'. */
  seed?: number;
}

/** Planar samples at their own rate: what `decodeAudio` returns, or audio a caller already holds. */
export interface PlanarAudio {
  sampleRate: number;
  channels: readonly Float32Array[];
}

export interface AudioClip {
  /** Mono, exactly `config.length` samples at `config.sampleRate`. */
  samples: Float32Array;
  sampleRate: number;
  /** Where in the source (seconds) output sample 0 comes from; 0 when padded. */
  sourceOffsetS: number;
  /** Index of the first source sample in the output; 0 when cropped. */
  outputOffset: number;
  /** Length of the source recording in seconds. */
  sourceDurationS: number;
}

/**
 * Input samples of context kept each side of a cropped window before resampling (scaled up when
 * decimating), so the resampler's filter sees real signal, not an edge; libsamplerate's best sinc
 * filter is far shorter than this.
 */
const RESAMPLE_MARGIN = 512;

/** Checks a clip config (from a manifest, so every field), filling the default pad policy. */
export function validateClipConfig(config: ClipConfig): ClipConfig & { pad: PadPolicy } {
  if (typeof config !== 'object' || config === null) {
    throw new FeatureConfigError('UNKNOWN_OPTION', 'clip', 'expected a clip config object');
  }
  const sampleRate = checkInteger(
    'INVALID_SAMPLE_RATE',
    'sampleRate',
    config.sampleRate,
    MIN_SAMPLE_RATE,
    MAX_SAMPLE_RATE,
  );
  const length = checkInteger('INVALID_LENGTH', 'length', config.length, 1);
  const crop = checkOneOf('crop', config.crop, CROP_POLICIES);
  const pad = checkOneOf('pad', config.pad ?? 'end', PAD_POLICIES);
  if (crop !== 'random') return { sampleRate, length, crop, pad };
  if (config.seed === undefined) {
    throw new FeatureConfigError(
      'INVALID_SEED',
      'seed',
      "crop 'random' needs a seed so runs are reproducible",
    );
  }
  return { sampleRate, length, crop, pad, seed: checkSeed('seed', config.seed) };
}

/**
 * Downmix, resample and crop/pad one recording to the clip an encoder takes. The result equals
 * cropOrPad(resample(downmix(channels))) (to the resampler's float rounding), but a long recording
 * is only downmixed and resampled around the window that is kept: a 4-minute upload costs about
 * what a 10 s one does.
 */
export async function prepareClip(audio: PlanarAudio, config: ClipConfig): Promise<AudioClip> {
  const c = validateClipConfig(config);
  const from = audio.sampleRate;
  checkInteger('INVALID_SAMPLE_RATE', 'source sampleRate', from, MIN_SAMPLE_RATE, MAX_SAMPLE_RATE);
  const first = audio.channels[0];
  if (first === undefined || first.length === 0) {
    throw new FeatureInputError('EMPTY_INPUT', 'prepareClip: the audio has no samples');
  }
  const n = first.length;
  const sourceDurationS = n / from;
  const to = c.sampleRate;
  const resampledLength = from === to ? n : Math.round((n * to) / from);

  if (resampledLength <= c.length) {
    const mono = await resample(downmix(audio.channels), from, to);
    const r = cropOrPad(mono, c);
    return {
      samples: r.samples,
      sampleRate: to,
      sourceOffsetS: 0,
      outputOffset: r.outputOffset,
      sourceDurationS,
    };
  }

  const start = cropStart(resampledLength - c.length, c.crop, c.seed);
  const sourceOffsetS = start / to;
  if (from === to) {
    const window = downmix(audio.channels.map((ch) => ch.subarray(start, start + c.length)));
    return { samples: window, sampleRate: to, sourceOffsetS, outputOffset: 0, sourceDurationS };
  }

  // Window edges sit on multiples of `period` source samples, which land on whole output samples,
  // so the window's output grid is the full recording's grid shifted by a whole number of samples.
  const g = gcd(from, to);
  const period = from / g;
  const outPeriod = to / g;
  const margin = period * Math.ceil((RESAMPLE_MARGIN * Math.max(1, from / to)) / period);
  const s0 = Math.max(0, Math.floor(start / outPeriod) * period - margin);
  const s1 = Math.min(n, Math.ceil((start + c.length) / outPeriod) * period + margin);
  const window = downmix(audio.channels.map((ch) => ch.subarray(s0, s1)));
  const y = await resample(window, from, to);
  const skip = start - (s0 / period) * outPeriod;
  const samples = y.slice(skip, skip + c.length);
  if (samples.length !== c.length) {
    throw new FeatureInputError(
      'RESAMPLER_FAILED',
      `prepareClip: resampled window holds ${samples.length} of ${c.length} samples`,
    );
  }
  return { samples, sampleRate: to, sourceOffsetS, outputOffset: 0, sourceDurationS };
}

/** The window start cropOrPad picks for `slack` spare samples (its tests pin the two together). */
function cropStart(slack: number, crop: CropPolicy, seed: number | undefined): number {
  if (crop === 'center') return Math.floor(slack / 2);
  if (crop === 'random') return Math.floor(new Rng(seed ?? 0).next() * (slack + 1));
  return 0;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
