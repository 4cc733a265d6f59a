import { hex, mix, scale } from '../color.ts';
import { fbm, hash1 } from '../noise.ts';
import { verticalGradient, type Canvas, type PaintFn } from '../raster.ts';
import { smoothstep } from '../scalar.ts';
import {
  circle,
  ellipse,
  intersect,
  polygon,
  quadPoints,
  rect,
  roughen,
  subtract,
  union,
  type Shape,
} from '../shapes.ts';
import { hairColor } from './hair.ts';
import { skinOf } from './head.ts';
import type { FaceLayout } from './layout.ts';
import type { FaceIdentity } from './params.ts';
import type { FeaturePose } from './pose.ts';

const SIDES = [-1, 1] as const;
const GOLD = hex('#e0b040');
const SILVER = hex('#d4d8de');
const TISSUE = hex('#f8f8f6');

function beardPaint(id: FaceIdentity): PaintFn {
  const base =
    id.hair.style === 'bald' && id.hair.color === 'grey' ? hairColor(id) : scale(hairColor(id), 0.9);
  return (x, y, out) => {
    const k = 0.7 + 0.5 * fbm(x * 60, y * 60, id.seed + 5, 2);
    out[0] = base[0] * k;
    out[1] = base[1] * k;
    out[2] = base[2] * k;
  };
}

/** The bare cheeks above a beard line that runs from the sideburns to just over the mouth. */
function cheeks(l: FaceLayout): Shape {
  return ellipse(l.cx, l.eyeY, l.halfWidth * 0.8, l.noseY + 0.03 - l.eyeY);
}

export function drawBeard(canvas: Canvas, id: FaceIdentity, l: FaceLayout): void {
  if (id.beard === 'none') return;
  const face = polygon(l.outline);
  const paint = beardPaint(id);
  const mw = l.mouthHalfWidth;
  const moustache = (): Shape =>
    polygon([
      ...quadPoints(
        [l.cx - mw * 1.05, l.mouthY + 0.008],
        [l.cx, l.mouthY - 0.05],
        [l.cx + mw * 1.05, l.mouthY + 0.008],
        10,
      ),
      ...quadPoints(
        [l.cx + mw * 0.9, l.mouthY - 0.002],
        [l.cx, l.mouthY - 0.028],
        [l.cx - mw * 0.9, l.mouthY - 0.002],
        10,
      ),
    ]);
  switch (id.beard) {
    case 'stubble':
      canvas.draw(subtract(intersect(face, rect(-1, l.earY, 2, 2)), cheeks(l)), paint, {
        alpha: 0.3,
        soft: 0.02,
      });
      break;
    case 'moustache':
      canvas.draw(moustache(), paint);
      break;
    case 'goatee':
      canvas.draw(
        intersect(
          union(face, ellipse(l.cx, l.chin, mw * 0.6, 0.025)),
          ellipse(l.cx, l.chin - 0.025, mw * 0.6, 0.05),
        ),
        paint,
      );
      canvas.draw(moustache(), paint);
      break;
    case 'full': {
      const jaw = union(face, ellipse(l.cx, l.chin + 0.005, l.halfWidth * 0.55, 0.035));
      canvas.draw(subtract(intersect(jaw, rect(-1, l.earY - 0.02, 2, 2)), cheeks(l)), paint);
      canvas.draw(moustache(), paint);
      break;
    }
  }
}

export function drawGlasses(canvas: Canvas, id: FaceIdentity, l: FaceLayout): void {
  if (id.glasses === 'none') return;
  const frame = id.frameColor;
  const t = 0.009;
  const rx = l.eyeHalfWidth * 1.4;
  const ry = l.eyeHalfWidth * (id.glasses === 'round' ? 1.35 : 1.0);
  for (const side of SIDES) {
    const ex = l.cx + side * l.eyeDx;
    const ey = l.eyeY + 0.004;
    const outer =
      id.glasses === 'round' ? ellipse(ex, ey, rx, ry) : rect(ex - rx, ey - ry, ex + rx, ey + ry, 0.014);
    const inner =
      id.glasses === 'round'
        ? ellipse(ex, ey, rx - t, ry - t)
        : rect(ex - rx + t, ey - ry + t, ex + rx - t, ey + ry - t, 0.008);
    canvas.draw(inner, hex('#ffffff'), { alpha: 0.1 });
    canvas.line([ex - rx * 0.5, ey - ry * 0.2], [ex - rx * 0.15, ey - ry * 0.6], 0.005, hex('#ffffff'), {
      alpha: 0.35,
    });
    canvas.draw(subtract(outer, inner), frame);
    canvas.line(
      [ex + side * rx, ey - ry * 0.4],
      [l.cx + side * (l.halfWidth - 0.002), l.earY - 0.02],
      0.008,
      frame,
    );
  }
  const gap = l.eyeDx - rx;
  canvas.stroke(
    quadPoints([l.cx - gap, l.eyeY - 0.004], [l.cx, l.eyeY - 0.02], [l.cx + gap, l.eyeY - 0.004], 6),
    0.008,
    frame,
  );
}

export function drawEarrings(canvas: Canvas, id: FaceIdentity, l: FaceLayout): void {
  if (id.earrings === 'none') return;
  const metal = hash1(1, id.seed) < 0.6 ? GOLD : SILVER;
  for (const side of SIDES) {
    const x = l.cx + side * (l.halfWidth + 0.004);
    const y = l.earY + 0.046;
    if (id.earrings === 'studs') {
      canvas.draw(circle(x, y, 0.011), metal);
      canvas.draw(circle(x - 0.003, y - 0.003, 0.004), hex('#ffffff'), { alpha: 0.8 });
    } else {
      canvas.draw(subtract(circle(x, y + 0.022, 0.024), circle(x, y + 0.022, 0.017)), metal);
    }
  }
}

export function drawHat(canvas: Canvas, id: FaceIdentity, l: FaceLayout): void {
  if (id.hat === 'none') return;
  const color = id.hatColor;
  const w = l.halfWidth;
  const crownTop = l.top - 0.03;
  const band = l.hairline + 0.005;
  const shaded = verticalGradient([
    { at: crownTop, color: scale(color, 1.15) },
    { at: band, color: scale(color, 0.85) },
  ]);
  if (id.hat === 'beanie') {
    const knit: PaintFn = (x, y, out) => {
      shaded(x, y, out);
      const rib = 0.9 + 0.1 * Math.sin(x * 220);
      out[0] *= rib;
      out[1] *= rib;
      out[2] *= rib;
    };
    const cuff = band + 0.015;
    canvas.draw(
      intersect(ellipse(l.cx, l.cy - 0.01, w + 0.035, l.cy - l.top + 0.05), rect(-1, -1, 2, cuff)),
      knit,
    );
    canvas.draw(rect(l.cx - w - 0.04, cuff - 0.045, l.cx + w + 0.04, cuff + 0.01, 0.012), scale(color, 0.8));
    canvas.draw(circle(l.cx, crownTop - 0.035, 0.04), scale(color, 1.1), { soft: 0.012 });
  } else if (id.hat === 'cap') {
    const crown = intersect(
      ellipse(l.cx, l.cy - 0.005, w + 0.028, l.cy - l.top + 0.035),
      rect(-1, -1, 2, band),
    );
    canvas.draw(crown, shaded);
    canvas.draw(circle(l.cx, crownTop + 0.008, 0.012), scale(color, 0.8));
    // Seen from the front, the visor is a curved band dipping over the middle of the forehead.
    const visor = intersect(ellipse(l.cx, band - 0.01, w * 0.95, 0.05), rect(-1, band - 0.012, 2, 2));
    canvas.draw(
      visor,
      verticalGradient([
        { at: band - 0.012, color: scale(color, 0.55) },
        { at: band + 0.04, color: scale(color, 0.85) },
      ]),
    );
  } else {
    const crown = polygon([
      [l.cx - w * 0.85, band],
      [l.cx - w * 0.7, crownTop - 0.02],
      [l.cx, crownTop + 0.005],
      [l.cx + w * 0.7, crownTop - 0.02],
      [l.cx + w * 0.85, band],
    ]);
    canvas.draw(crown, shaded);
    canvas.draw(rect(l.cx - w * 0.84, band - 0.035, l.cx + w * 0.84, band - 0.012), scale(color, 0.45));
    canvas.draw(ellipse(l.cx, band, w + 0.13, 0.028), scale(color, 0.8));
  }
}

/**
 * Nose blowing: a crumpled white tissue held to the nose with both hands, fingers over its edges.
 * It fades in over the first quarter of the intensity and rises to cover the nose as it grows.
 */
export function drawTissue(canvas: Canvas, id: FaceIdentity, l: FaceLayout, pose: FeaturePose): void {
  const n = pose.tissue;
  if (n <= 0) return;
  const alpha = smoothstep(0, 0.25, n);
  const k = 0.8 + 0.2 * n;
  const cx = l.cx;
  const cy = l.noseY + 0.03 + (1 - n) * 0.03;
  const skin = skinOf(id);
  // Hands a shade darker than the face and outlined, so they separate from it on any skin tone.
  const hand = scale(skin, 0.88);
  for (const side of SIDES) {
    const palm = ellipse(cx + side * 0.12 * k, cy + 0.1, 0.07, 0.1, side * 0.35);
    canvas.draw(palm, scale(skin, 0.6), { alpha, soft: 0.012 });
    canvas.draw(palm, hand, { alpha });
  }
  const body = roughen(
    rect(cx - 0.13 * k, cy - 0.075 * k, cx + 0.13 * k, cy + 0.085 * k, 0.04),
    0.014,
    (x, y) => fbm(x * 40, y * 40, id.seed + 9, 2),
    80,
  );
  const crumple: PaintFn = (x, y, out) => {
    const f = 0.86 + 0.16 * fbm(x * 55, y * 55, id.seed + 10, 3);
    out[0] = TISSUE[0] * f;
    out[1] = TISSUE[1] * f;
    out[2] = TISSUE[2] * f;
  };
  canvas.draw(body, crumple, { alpha });
  const fold = mix(TISSUE, hex('#9098a0'), 0.6);
  canvas.line([cx - 0.06 * k, cy - 0.04 * k], [cx - 0.015 * k, cy + 0.06 * k], 0.006, fold, {
    alpha: 0.6 * alpha,
  });
  canvas.line([cx + 0.05 * k, cy - 0.045 * k], [cx + 0.025 * k, cy + 0.05 * k], 0.006, fold, {
    alpha: 0.6 * alpha,
  });
  for (const side of SIDES) {
    for (let f = 0; f < 3; f++) {
      canvas.draw(
        ellipse(cx + side * (0.12 * k - 0.005 * f), cy - 0.02 + f * 0.032, 0.03, 0.014, -side * 0.35),
        scale(skin, 1 - 0.04 * f),
        { alpha },
      );
    }
  }
}
