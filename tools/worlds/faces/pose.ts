import { clamp, clamp01 } from '../scalar.ts';
import type { FaceExpression } from './expressions.ts';

/**
 * How the features move, as a mix of the expression intensities. Every control is a sum of
 * per-expression contributions, so blends (a tearful laugh) come out as something in between
 * and any intensity between 0 and 1 is a smooth step from neutral.
 */
export interface FeaturePose {
  /** 1 wide open .. 0 shut. */
  eyeOpen: number;
  /** Shape of a shut eye: +1 a happy upward arc, -1 a sad downward one, 0 a squeezed line. */
  closedArc: number;
  /** Outer corners dropping (sad), radians. */
  eyeTilt: number;
  /** Whole brows up (positive, canvas units). */
  browRaise: number;
  /** Inner ends up (sad) or down (frown), canvas units. */
  browInner: number;
  /** Inner ends pulled together. */
  browPinch: number;
  /** -1 frown .. +1 smile. */
  mouthCurve: number;
  /** 0 closed .. 1 wide open. */
  mouthOpen: number;
  /** Mouth wider (laugh) or narrower (sob), relative. */
  mouthStretch: number;
  cheekRaise: number;
  tears: number;
  /** Redness of nose and eyelids. */
  flush: number;
  noseRed: number;
  tissue: number;
}

export function featurePose(e: FaceExpression): FeaturePose {
  const g = e.giggling;
  const s = e.sobbing;
  const n = e.nose_blowing;
  const closing = 0.9 * g + 0.55 * s + 0.95 * n;
  const arcWeight = g + 0.6 * s + n + 1e-6;
  return {
    eyeOpen: clamp01(1 - closing),
    closedArc: clamp((g - 0.6 * s) / arcWeight, -1, 1),
    eyeTilt: 0.28 * s,
    browRaise: 0.012 * g - 0.008 * n,
    browInner: 0.03 * s - 0.012 * n,
    browPinch: 0.012 * s + 0.012 * n,
    mouthCurve: clamp(g - s, -1, 1),
    mouthOpen: clamp01(0.95 * g + 0.6 * s),
    mouthStretch: 0.25 * g + 0.05 * s,
    cheekRaise: g,
    tears: s,
    flush: 0.6 * s + 0.3 * n,
    noseRed: n,
    tissue: n,
  };
}
