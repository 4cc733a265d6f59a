import { Rng } from '@soundedit/models';
import { FeatureConfigError } from './errors.ts';
import { checkInteger, checkOneOf, checkSeed } from './validate.ts';

export const CROP_POLICIES = ['start', 'center', 'random'] as const;
export type CropPolicy = (typeof CROP_POLICIES)[number];
export const PAD_POLICIES = ['end', 'center'] as const;
export type PadPolicy = (typeof PAD_POLICIES)[number];

/** How a pack's manifest fixes the clip length the encoder sees. */
export interface CropPadConfig {
  /** Target length in samples. */
  length: number;
  /** Which window of a longer clip to keep. */
  crop: CropPolicy;
  /** Where the zeros go for a shorter clip (default 'end'). */
  pad?: PadPolicy;
  /** Required for crop 'random', so every run picks the same windows. */
  seed?: number;
}

export interface CropPadResult {
  samples: Float32Array;
  /** Index in the input of output sample 0 (crop), or 0 when padded. */
  inputOffset: number;
  /** Index in the output of input sample 0 (pad), or 0 when cropped. */
  outputOffset: number;
}

/** Crops or zero-pads to exactly `config.length` samples; the input is never modified. */
export function cropOrPad(samples: Float32Array, config: CropPadConfig): CropPadResult {
  const length = checkInteger('INVALID_LENGTH', 'length', config.length, 1);
  const crop = checkOneOf('crop', config.crop, CROP_POLICIES);
  const pad = checkOneOf('pad', config.pad ?? 'end', PAD_POLICIES);
  let seed: number | undefined;
  if (crop === 'random') {
    if (config.seed === undefined) {
      throw new FeatureConfigError(
        'INVALID_SEED',
        'seed',
        "crop 'random' needs a seed so runs are reproducible",
      );
    }
    seed = checkSeed('seed', config.seed);
  }

  const n = samples.length;
  if (n >= length) {
    const slack = n - length;
    let start = 0;
    if (crop === 'center') start = Math.floor(slack / 2);
    else if (crop === 'random') start = Math.floor(new Rng(seed ?? 0).next() * (slack + 1));
    return { samples: samples.slice(start, start + length), inputOffset: start, outputOffset: 0 };
  }
  const out = new Float32Array(length);
  const at = pad === 'center' ? Math.floor((length - n) / 2) : 0;
  out.set(samples, at);
  return { samples: out, inputOffset: 0, outputOffset: at };
}
