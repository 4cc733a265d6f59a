import type { Point } from '../shapes.ts';
import type { FaceIdentity } from './params.ts';

/**
 * Where everything sits on the canvas for one identity. Proportions are exaggerated a little
 * (large eyes, wide mouth) so features stay legible at 64 pixels; nothing here depends on the
 * expression, so an identity's outline, hair and ears never move between expressions.
 */
export interface FaceLayout {
  cx: number;
  /** Vertical centre of the face oval. */
  cy: number;
  /** Half width at the cheekbones. */
  halfWidth: number;
  /** Top of the skull. */
  top: number;
  chin: number;
  outline: Point[];
  eyeY: number;
  /** Horizontal distance of each eye centre from cx. */
  eyeDx: number;
  eyeHalfWidth: number;
  eyeHalfHeight: number;
  irisRadius: number;
  browY: number;
  noseY: number;
  noseHalfWidth: number;
  mouthY: number;
  mouthHalfWidth: number;
  /** Where the hair meets the forehead at the centre line. */
  hairline: number;
  earY: number;
}

export function faceLayout(id: FaceIdentity): FaceLayout {
  const cx = 0.5;
  const cy = 0.53;
  const halfWidth = 0.19 + 0.05 * id.faceWidth;
  const halfHeight = 0.245 + 0.04 * id.faceLength;
  const top = cy - 0.95 * halfHeight;
  const chin = cy + halfHeight;
  const eyeY = cy - 0.02;
  const eyeHalfWidth = 0.043 + 0.012 * id.eyes.size;
  return {
    cx,
    cy,
    halfWidth,
    top,
    chin,
    outline: faceOutline(cx, cy, halfWidth, halfHeight, id.jaw),
    eyeY,
    eyeDx: 0.083 + 0.018 * id.eyes.spacing,
    eyeHalfWidth,
    eyeHalfHeight: eyeHalfWidth * 0.62,
    irisRadius: eyeHalfWidth * 0.55,
    browY: eyeY - 0.058,
    noseY: cy + 0.075 + 0.015 * id.nose.size,
    noseHalfWidth: 0.024 + 0.014 * id.nose.width + 0.006 * id.nose.size,
    mouthY: cy + 0.155 + 0.012 * id.faceLength,
    mouthHalfWidth: 0.058 + 0.024 * id.mouth.width,
    hairline: top + 0.075,
    earY: eyeY + 0.035,
  };
}

/**
 * An egg-shaped outline: an ellipse above the cheekbones, a superellipse below whose exponent
 * grows with `jaw` (rounder chin to squarer jaw), narrowing towards the chin.
 */
function faceOutline(cx: number, cy: number, w: number, h: number, jaw: number): Point[] {
  const pts: Point[] = [];
  const steps = 24;
  const p = 2 + 1.8 * jaw;
  for (let i = 0; i <= steps; i++) {
    const a = Math.PI + (Math.PI * i) / steps; // left, over the top, to the right
    pts.push([cx + w * Math.cos(a), cy + h * 0.95 * Math.sin(a)]);
  }
  for (let i = 1; i < steps; i++) {
    const a = (Math.PI * i) / steps; // right, under the chin, to the left
    const c = Math.cos(a);
    const s = Math.sin(a);
    const t = Math.abs(s) ** (2 / p);
    const narrow = 1 - (0.2 - 0.08 * jaw) * t;
    pts.push([cx + w * narrow * Math.sign(c) * Math.abs(c) ** (2 / p), cy + h * t]);
  }
  return pts;
}
