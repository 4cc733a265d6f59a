import { Rng } from '@soundedit/models';
import { FeatureInputError } from './errors.ts';
import type { Spectrogram } from './stft.ts';
import { assertFiniteSamples, checkInteger, checkOneOf, checkSeed } from './validate.ts';

export const MASK_VALUES = ['zero', 'mean'] as const;
export type MaskValue = (typeof MASK_VALUES)[number];

/** SpecAugment's frequency and time masking (Park et al. 2019), without time warping. */
export interface SpecAugmentConfig {
  freqMasks: number;
  /** F: each frequency mask is 0..F rows wide (uniform, inclusive). */
  freqMaskWidth: number;
  timeMasks: number;
  /** T: each time mask is 0..T frames wide (uniform, inclusive). */
  timeMaskWidth: number;
  /** 'zero', or 'mean': the mean of the input spectrogram, so the masked view keeps its level. */
  maskValue: MaskValue;
  seed: number;
}

export interface SpecMask {
  axis: 'freq' | 'time';
  start: number;
  width: number;
}

export interface SpecAugmentResult {
  spectrogram: Spectrogram;
  /** The masks applied, in order: frequency masks first, then time masks. */
  masks: SpecMask[];
}

const MAX_MASKS = 1000;

export function validateSpecAugmentConfig(config: SpecAugmentConfig): SpecAugmentConfig {
  return {
    freqMasks: checkInteger('INVALID_MASK', 'freqMasks', config.freqMasks, 0, MAX_MASKS),
    freqMaskWidth: checkInteger('INVALID_MASK', 'freqMaskWidth', config.freqMaskWidth, 0),
    timeMasks: checkInteger('INVALID_MASK', 'timeMasks', config.timeMasks, 0, MAX_MASKS),
    timeMaskWidth: checkInteger('INVALID_MASK', 'timeMaskWidth', config.timeMaskWidth, 0),
    maskValue: checkOneOf('maskValue', config.maskValue, MASK_VALUES),
    seed: checkSeed('seed', config.seed),
  };
}

/**
 * Returns a masked copy of a (rows = mel bands, cols = frames) spectrogram; the input is never
 * written. A width larger than the axis is clipped to the axis, so short clips still get masked.
 */
export function specAugment(spec: Spectrogram, config: SpecAugmentConfig): SpecAugmentResult {
  const c = validateSpecAugmentConfig(config);
  if (spec.data.length !== spec.rows * spec.cols || spec.rows < 1 || spec.cols < 1) {
    throw new FeatureInputError(
      'SHAPE_MISMATCH',
      `specAugment: ${spec.data.length} values do not make a ${spec.rows} x ${spec.cols} spectrogram`,
    );
  }
  assertFiniteSamples(spec.data, 'specAugment');
  const data = spec.data.slice();
  const rng = new Rng(c.seed);
  const value = c.maskValue === 'mean' ? mean(spec.data) : 0;
  const masks: SpecMask[] = [];

  for (let i = 0; i < c.freqMasks; i++) {
    const mask = draw(rng, 'freq', c.freqMaskWidth, spec.rows);
    masks.push(mask);
    data.fill(value, mask.start * spec.cols, (mask.start + mask.width) * spec.cols);
  }
  for (let i = 0; i < c.timeMasks; i++) {
    const mask = draw(rng, 'time', c.timeMaskWidth, spec.cols);
    masks.push(mask);
    for (let r = 0; r < spec.rows; r++) {
      const row = r * spec.cols;
      data.fill(value, row + mask.start, row + mask.start + mask.width);
    }
  }
  return { spectrogram: { rows: spec.rows, cols: spec.cols, data }, masks };
}

function draw(rng: Rng, axis: SpecMask['axis'], maxWidth: number, size: number): SpecMask {
  const width = Math.min(size, Math.floor(rng.next() * (maxWidth + 1)));
  const start = Math.floor(rng.next() * (size - width + 1));
  return { axis, start, width };
}

function mean(x: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] as number;
  return sum / x.length;
}
