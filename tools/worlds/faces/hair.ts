import { scale, type Rgb } from '../color.ts';
import { fbm, hash1 } from '../noise.ts';
import type { Canvas, PaintFn } from '../raster.ts';
import { belowRidge, circle, ellipse, intersect, rect, subtract, union, type Shape } from '../shapes.ts';
import type { FaceLayout } from './layout.ts';
import { HAIR_COLORS } from './palette.ts';
import type { FaceIdentity } from './params.ts';

/** The hair colour with the identity's own shade, so two blondes are not identical. */
export function hairColor(id: FaceIdentity): Rgb {
  return scale(HAIR_COLORS[id.hair.color], 1 + 0.12 * id.hair.shade);
}

/** The skull, grown by `pad` all round: what hair (or a hat) covers. */
function dome(l: FaceLayout, pad: number, lift = 0): Shape {
  return ellipse(l.cx, l.cy - lift, l.halfWidth + pad, l.cy - l.top + pad);
}

/**
 * The part of the face hair never covers: below the hairline and inside the temples. A side part
 * tilts the hairline; a fringe (bangs) lowers and flattens it.
 */
function faceWindow(l: FaceLayout, id: FaceIdentity, side: number, fringe: boolean): Shape {
  const part = 0.025 * id.hair.part;
  const w = l.halfWidth;
  const line = fringe
    ? (x: number) => l.hairline + 0.04 + 0.01 * ((x - l.cx) / w) ** 2
    : (x: number) => l.hairline + 0.04 * ((x - l.cx) / w) ** 2 + part * ((x - l.cx) / w);
  return belowRidge(l.cx - w + side, l.cx + w - side, line, 2);
}

function above(y: number): Shape {
  return rect(-1, -1, 2, y);
}

function hairPaint(id: FaceIdentity, l: FaceLayout): PaintFn {
  const base = hairColor(id);
  const curly = id.hair.style === 'curly';
  const seed = id.seed;
  const crown = l.top + 0.05;
  return (x, y, out) => {
    // Strands run downwards (noise stretched vertically); curls are isotropic and bumpier.
    const n = curly ? fbm(x * 45, y * 45, seed, 3) : fbm(x * 70, y * 7, seed, 3);
    const k = (curly ? 0.65 : 0.78) + (curly ? 0.6 : 0.4) * n;
    const sheen =
      0.18 * Math.exp(-(((y - crown) / 0.03) ** 2)) * Math.max(0, 1 - Math.abs(x - l.cx + 0.05) / 0.15);
    out[0] = base[0] * k + sheen;
    out[1] = base[1] * k + sheen;
    out[2] = base[2] * k + sheen;
  };
}

/** A ring of overlapping circles: the bumpy outline of curly hair. */
function curls(l: FaceLayout, radius: number, from: number, to: number, size: number, seed: number): Shape {
  const parts: Shape[] = [];
  const count = 16;
  for (let i = 0; i <= count; i++) {
    const a = from + ((to - from) * i) / count;
    const r = size * (0.8 + 0.4 * hash1(i, seed));
    parts.push(
      circle(
        l.cx + Math.cos(a) * (l.halfWidth + radius),
        l.cy - 0.02 + Math.sin(a) * (l.cy - l.top + radius),
        r,
      ),
    );
  }
  return union(...parts);
}

/** Hair behind the head and neck (long hair, a bob, curls, a bun). */
export function drawHairBack(canvas: Canvas, id: FaceIdentity, l: FaceLayout): void {
  const w = l.halfWidth;
  const v = id.hair.volume;
  const paint = hairPaint(id, l);
  let shape: Shape | undefined;
  switch (id.hair.style) {
    case 'long':
      shape = union(
        dome(l, 0.035 + 0.02 * v),
        rect(l.cx - w - 0.045 - 0.02 * v, l.cy - 0.1, l.cx + w + 0.045 + 0.02 * v, 0.97, 0.06),
      );
      break;
    case 'bob':
      shape = union(
        dome(l, 0.035 + 0.015 * v),
        rect(l.cx - w - 0.04, l.cy - 0.1, l.cx + w + 0.04, l.chin - 0.05, 0.04),
      );
      break;
    case 'curly':
      shape = union(
        dome(l, 0.05),
        curls(l, 0.035 + 0.03 * v, Math.PI * 0.92, Math.PI * 2.08, 0.06 + 0.02 * v, id.seed),
      );
      break;
    case 'bun':
      if (id.hat !== 'none') return;
      shape = circle(l.cx, l.top - 0.035, 0.055 + 0.015 * v);
      break;
    default:
      return;
  }
  // Under a hat only the hair below its band shows; the crown would poke through otherwise.
  if (id.hat !== 'none') shape = intersect(shape, rect(-1, l.hairline - 0.02, 2, 2));
  canvas.draw(shape, (x, y, out) => {
    paint(x, y, out);
    // The back layer sits in the head's shadow.
    out[0] *= 0.8;
    out[1] *= 0.8;
    out[2] *= 0.8;
  });
}

/** Hair over the skull and forehead, drawn after the face. */
export function drawHairFront(canvas: Canvas, id: FaceIdentity, l: FaceLayout): void {
  const v = id.hair.volume;
  const paint = hairPaint(id, l);
  let shape: Shape | undefined;
  switch (id.hair.style) {
    case 'short':
      shape = intersect(
        subtract(dome(l, 0.016 + 0.016 * v, 0.004), faceWindow(l, id, 0.02, false)),
        above(l.earY - 0.015),
      );
      break;
    case 'long':
      shape = intersect(subtract(dome(l, 0.022, 0.004), faceWindow(l, id, 0.03, false)), above(l.cy + 0.1));
      break;
    case 'bob':
      shape = intersect(
        subtract(dome(l, 0.024, 0.004), faceWindow(l, id, 0.028, true)),
        above(l.chin - 0.05),
      );
      break;
    case 'curly':
      shape = subtract(
        union(dome(l, 0.03, 0.004), curls(l, 0.012, Math.PI * 1.05, Math.PI * 1.95, 0.045, id.seed + 1)),
        faceWindow(l, id, 0.025, false),
      );
      shape = intersect(shape, above(l.cy + 0.04));
      break;
    case 'bun':
      shape = intersect(
        subtract(dome(l, 0.012, 0.004), faceWindow(l, id, 0.02, false)),
        above(l.earY - 0.02),
      );
      break;
    case 'bald':
      // A fringe of hair around the sides (masculine pattern baldness), or a clean scalp.
      if (id.presentation === 'masculine' && v > 0.4) {
        const sides = subtract(
          dome(l, 0.014),
          rect(l.cx - l.halfWidth + 0.02, -1, l.cx + l.halfWidth - 0.02, 2),
        );
        shape = intersect(sides, rect(-1, l.eyeY - 0.09, 2, l.earY - 0.01));
      } else {
        return;
      }
      break;
  }
  canvas.draw(shape, paint);
}
