import { EditError } from './errors.ts';

export const MASK_MODES = ['adaptive', 'l2', 'off'] as const;
/**
 * How the latent penalty weighs each W+ layer: 'adaptive' learns weights g = sigmoid(m) with the
 * official code's update m_i <- m_i - 0.1 l_i (1 - l_i) from each layer's weighted change l_i;
 * 'l2' weighs every layer 1; 'off' drops the penalty (the paper's ablation).
 */
export type MaskMode = (typeof MASK_MODES)[number];

export const EDIT_SPACES = ['w+', 'w'] as const;
/**
 * Where the edit moves the code: 'w+' (the paper) moves each style layer on its own; 'w' moves all
 * layers by one shared step (the gradient summed over layers), so a code that is one w broadcast
 * stays one. Regressed generators, trained only on broadcast codes, keep valid pictures in 'w'.
 */
export type EditSpace = (typeof EDIT_SPACES)[number];

export interface EditSettings {
  steps: number;
  /** Adam's peak rate; the official cosine ramp-down (0.25) and ramp-up (0.05) shape it. */
  lr: number;
  lambdaSim: number;
  lambdaId: number;
  mask: MaskMode;
  space: EditSpace;
  /** Weight of the guidance term: how hard the edit pulls towards the sound (a louder clip, say). */
  guidance: number;
  /** Keep a preview frame every this many steps for the trajectory (0: none). */
  previewEvery: number;
}

export function defaultEditSettings(patch: Partial<EditSettings> = {}): EditSettings {
  return {
    steps: 300,
    lr: 0.1,
    lambdaSim: 0.002,
    lambdaId: 0,
    mask: 'adaptive',
    space: 'w+',
    guidance: 1,
    previewEvery: 10,
    ...patch,
  };
}

/** Checks every setting before any network runs; returns a clean copy. */
export function validateEditSettings(s: EditSettings): EditSettings {
  const number = (name: keyof EditSettings, v: unknown, min: number, max: number, integer = false) => {
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      v < min ||
      v > max ||
      (integer && !Number.isInteger(v))
    ) {
      throw new EditError(
        'BAD_SETTING',
        `${name} must be ${integer ? 'a whole number' : 'a number'} in [${min}, ${max}], got ${String(v)}`,
        name,
      );
    }
    return v;
  };
  if (!(EDIT_SPACES as readonly string[]).includes(s.space)) {
    throw new EditError(
      'BAD_SETTING',
      `space must be one of ${EDIT_SPACES.join(', ')}, got ${String(s.space)}`,
      'space',
    );
  }
  if (!(MASK_MODES as readonly string[]).includes(s.mask)) {
    throw new EditError(
      'BAD_SETTING',
      `mask must be one of ${MASK_MODES.join(', ')}, got ${String(s.mask)}`,
      'mask',
    );
  }
  return {
    steps: number('steps', s.steps, 1, 5000, true),
    lr: number('lr', s.lr, 1e-6, 10),
    lambdaSim: number('lambdaSim', s.lambdaSim, 0, 100),
    lambdaId: number('lambdaId', s.lambdaId, 0, 100),
    mask: s.mask,
    space: s.space,
    guidance: number('guidance', s.guidance, 0, 10),
    previewEvery: number('previewEvery', s.previewEvery, 0, 5000, true),
  };
}
