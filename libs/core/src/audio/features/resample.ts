import libsamplerate from '@alexanderolsen/libsamplerate-js';
import { FeatureInputError } from './errors.ts';
import { assertFiniteSamples, checkInteger } from './validate.ts';

/** Rates libsamplerate-js accepts; below 1 kHz is not audio we expect, and it bounds the ratio. */
export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 192_000;

/**
 * libsamplerate-js sends any call whose input or output exceeds 1,008,000 samples through its own
 * chunked path, which drops the filter's tail (about 140 samples short at 44.1k -> 16k). We stay
 * under that size and do the blocking ourselves.
 */
const WRAPPER_LIMIT = 1_000_000;
/** Input samples of context each side of a block, before scaling by the decimation factor. */
const BLOCK_MARGIN = 512;

/**
 * Band-limited resampling of a mono signal with libsamplerate's best sinc converter (stopband
 * around -150 dB). Output length is round(n * to / from) exactly, so shapes downstream depend only
 * on the input length; equal rates return a copy.
 */
export async function resample(
  samples: Float32Array,
  fromRate: number,
  toRate: number,
): Promise<Float32Array> {
  return resampleBlocked(samples, fromRate, toRate, WRAPPER_LIMIT);
}

/** `resample` with the per-call size limit exposed so tests can force the blocked path on short input. */
export async function resampleBlocked(
  samples: Float32Array,
  fromRate: number,
  toRate: number,
  callLimit: number,
): Promise<Float32Array> {
  checkInteger('INVALID_SAMPLE_RATE', 'fromRate', fromRate, MIN_SAMPLE_RATE, MAX_SAMPLE_RATE);
  checkInteger('INVALID_SAMPLE_RATE', 'toRate', toRate, MIN_SAMPLE_RATE, MAX_SAMPLE_RATE);
  assertFiniteSamples(samples, 'resample');
  if (fromRate === toRate || samples.length === 0) return samples.slice();

  const ratio = toRate / fromRate;
  const outLength = Math.round(samples.length * ratio);
  const out = new Float32Array(outLength);
  const src = await createConverter(fromRate, toRate);
  try {
    const g = gcd(fromRate, toRate);
    // Block boundaries sit on multiples of `period` input samples, which map to whole output
    // samples, so every block's output grid lines up with the one a single call would use.
    const period = fromRate / g;
    const outPeriod = toRate / g;
    const margin = period * Math.ceil((BLOCK_MARGIN * Math.max(1, 1 / ratio)) / period);
    const fits = (len: number): boolean => Math.ceil(len * Math.max(1, ratio)) + 2 <= callLimit;

    if (fits(samples.length)) {
      copyInto(out, 0, runSimple(src, samples), 0, outLength);
      return out;
    }
    const periods = Math.floor((Math.floor(callLimit / Math.max(1, ratio)) - 2 - 2 * margin) / period);
    if (periods < 1) {
      throw new FeatureInputError(
        'RESAMPLER_FAILED',
        `resample ${fromRate} -> ${toRate} Hz: block limit ${callLimit} too small for the filter margin`,
      );
    }
    const step = periods * period;
    for (let start = 0, block = 0; start < samples.length; start += step, block++) {
      const from = Math.max(0, start - margin);
      const to = Math.min(samples.length, start + step + margin);
      const y = runSimple(src, samples.subarray(from, to));
      const outStart = block * periods * outPeriod;
      const skip = ((start - from) / period) * outPeriod;
      copyInto(out, outStart, y, skip, Math.min(periods * outPeriod, outLength - outStart));
    }
    return out;
  } finally {
    src.destroy();
  }
}

type Converter = Awaited<ReturnType<typeof libsamplerate.create>>;

async function createConverter(fromRate: number, toRate: number): Promise<Converter> {
  try {
    return await libsamplerate.create(1, fromRate, toRate, {
      converterType: libsamplerate.ConverterType.SRC_SINC_BEST_QUALITY,
    });
  } catch (cause) {
    throw new FeatureInputError('RESAMPLER_FAILED', `libsamplerate refused ${fromRate} -> ${toRate} Hz`, {
      cause,
    });
  }
}

function runSimple(src: Converter, x: Float32Array): Float32Array {
  try {
    return src.simple(x);
  } catch (cause) {
    // The wrapper throws strings; keep them as the cause.
    throw new FeatureInputError('RESAMPLER_FAILED', `libsamplerate failed on ${x.length} samples`, { cause });
  }
}

/** Copies up to `count` samples; a converter that returns a sample or two short leaves zeros. */
function copyInto(out: Float32Array, at: number, y: Float32Array, from: number, count: number): void {
  const n = Math.max(0, Math.min(count, y.length - from));
  out.set(y.subarray(from, from + n), at);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
