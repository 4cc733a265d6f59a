import { hex, mix, scale, type Rgb } from '../color.ts';
import { radialGradient, type Canvas } from '../raster.ts';
import { circle, ellipse, intersect, polygon, quadPoints, type Point, type Shape } from '../shapes.ts';
import { hairColor } from './hair.ts';
import { skinOf } from './head.ts';
import type { FaceLayout } from './layout.ts';
import { EYE_COLORS } from './palette.ts';
import type { FaceIdentity } from './params.ts';
import type { FeaturePose } from './pose.ts';

const LINE = hex('#2a1a14');
const SCLERA = hex('#f4f1ec');
const PUPIL = hex('#0d0a0a');
const MOUTH_INSIDE = hex('#4a1216');
const TEETH = hex('#f6f2ea');
const TONGUE = hex('#d86070');
const TEAR = hex('#c8e6ff');
const BLUSH = hex('#f06a6a');

const SIDES = [-1, 1] as const;

function rotateAbout(points: Point[], cx: number, cy: number, angle: number): Point[] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return points.map(([x, y]) => [cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c]);
}

/**
 * Open eyes are almonds (two lid curves) with iris, pupil and a catch-light; shut eyes are a
 * single lid line whose bow says why they are shut: arched up when laughing, sagging when crying,
 * flat and creased when squeezed. Exaggerated on purpose so they read at 64 pixels.
 */
export function drawEyes(canvas: Canvas, id: FaceIdentity, l: FaceLayout, pose: FeaturePose): void {
  const skin = skinOf(id);
  const fem = id.presentation === 'feminine';
  const iris = EYE_COLORS[id.eyes.color];
  for (const side of SIDES) {
    const ex = l.cx + side * l.eyeDx;
    const ey = l.eyeY;
    const ew = l.eyeHalfWidth;
    const angle = side * pose.eyeTilt;
    // Lid crease shadow above every eye, open or shut.
    canvas.stroke(
      rotateAbout(
        quadPoints([ex - ew, ey - 0.004], [ex, ey - l.eyeHalfHeight * 2.6], [ex + ew, ey - 0.004], 8),
        ex,
        ey,
        angle,
      ),
      0.008,
      scale(skin, 0.75),
      { alpha: 0.5 },
    );
    if (pose.eyeOpen > 0.22) {
      const eh = l.eyeHalfHeight * pose.eyeOpen;
      // Raised cheeks flatten the lower lid: the squint of a real smile.
      const lower = 1.6 * eh * (1 - 0.55 * pose.cheekRaise);
      const upper = rotateAbout(
        quadPoints([ex - ew, ey], [ex, ey - 2 * eh], [ex + ew, ey], 10),
        ex,
        ey,
        angle,
      );
      const lowerLid = rotateAbout(
        quadPoints([ex + ew, ey], [ex, ey + lower], [ex - ew, ey], 10),
        ex,
        ey,
        angle,
      );
      const eye: Shape = polygon([...upper, ...lowerLid.slice(1)]);
      canvas.draw(eye, mix(SCLERA, hex('#f0b0b0'), 0.35 * pose.flush));
      const ir = l.irisRadius;
      const iy = ey - eh * 0.15;
      canvas.draw(
        intersect(circle(ex, iy, ir), eye),
        radialGradient(ex, iy, [
          { at: 0, color: scale(iris, 1.25) },
          { at: ir * 0.9, color: scale(iris, 0.7) },
          { at: ir, color: scale(iris, 0.45) },
        ]),
      );
      canvas.draw(intersect(circle(ex, iy, ir * 0.45), eye), PUPIL);
      canvas.draw(circle(ex - ir * 0.35, iy - ir * 0.35, ir * 0.25), hex('#ffffff'), { alpha: 0.9 });
      canvas.stroke(upper, fem ? 0.011 : 0.008, LINE);
      if (fem) {
        // A flick of lashes at the outer corner.
        const o = upper[upper.length - 1]!;
        const oo = side > 0 ? o : upper[0]!;
        canvas.line(oo, [oo[0] + side * 0.012, oo[1] - 0.008], 0.006, LINE);
      }
      canvas.stroke(lowerLid, 0.005, mix(scale(skin, 0.55), hex('#d04040'), 0.6 * pose.flush), {
        alpha: 0.6,
      });
    } else {
      const bow = -pose.closedArc * 0.05;
      const lid = rotateAbout(quadPoints([ex - ew, ey], [ex, ey + bow], [ex + ew, ey], 10), ex, ey, angle);
      canvas.stroke(lid, 0.012, LINE);
      if (pose.closedArc < 0.3) {
        // Squeezed shut: creases fanning out from the outer corner.
        const o: Point = [ex + side * ew, ey];
        canvas.line([o[0] + side * 0.006, o[1] - 0.006], [o[0] + side * 0.02, o[1] - 0.014], 0.005, LINE, {
          alpha: 0.6,
        });
        canvas.line([o[0] + side * 0.006, o[1] + 0.004], [o[0] + side * 0.02, o[1] + 0.01], 0.005, LINE, {
          alpha: 0.6,
        });
      }
      if (pose.cheekRaise > 0.3) {
        // The little bulge under a laughing eye.
        canvas.stroke(
          quadPoints([ex - ew * 0.7, ey + 0.02], [ex, ey + 0.03], [ex + ew * 0.7, ey + 0.02], 6),
          0.005,
          scale(skin, 0.7),
          {
            alpha: 0.6 * pose.cheekRaise,
          },
        );
      }
    }
  }
}

function browColor(id: FaceIdentity): Rgb {
  if (id.hair.style === 'bald') return scale(skinOf(id), 0.35);
  const hair = hairColor(id);
  // Light hair usually comes with brows darker than the hair itself.
  return id.hair.color === 'platinum' || id.hair.color === 'blonde' ? scale(hair, 0.6) : scale(hair, 0.85);
}

export function drawBrows(canvas: Canvas, id: FaceIdentity, l: FaceLayout, pose: FeaturePose): void {
  const color = browColor(id);
  const width = 0.012 + 0.012 * id.brows.thickness;
  for (const side of SIDES) {
    const ex = l.cx + side * l.eyeDx;
    const base = l.browY - pose.browRaise;
    const inner: Point = [ex - side * (l.eyeHalfWidth * 0.85 + pose.browPinch), base - pose.browInner];
    const outer: Point = [ex + side * l.eyeHalfWidth * 1.2, base + 0.006 + 0.35 * pose.browInner];
    let points: Point[];
    if (id.brows.shape === 'angled') {
      const peak: Point = [inner[0] + (outer[0] - inner[0]) * 0.65, Math.min(inner[1], outer[1]) - 0.016];
      points = [inner, peak, outer];
    } else {
      const lift = id.brows.shape === 'arched' ? 0.03 : 0.012;
      const mid: Point = [(inner[0] + outer[0]) / 2, (inner[1] + outer[1]) / 2 - lift];
      points = quadPoints(inner, mid, outer, 8);
    }
    canvas.stroke(points, width, color, {}, width * 0.55);
  }
  if (pose.browPinch > 0.006) {
    // Furrow lines between pinched brows.
    const skin = skinOf(id);
    for (const side of SIDES) {
      const x = l.cx + side * 0.012;
      canvas.line([x, l.browY - 0.012], [x + side * 0.003, l.browY + 0.012], 0.005, scale(skin, 0.6), {
        alpha: Math.min(1, (pose.browPinch - 0.006) * 120),
      });
    }
  }
}

export function drawNose(canvas: Canvas, id: FaceIdentity, l: FaceLayout, pose: FeaturePose): void {
  const skin = skinOf(id);
  const nw = l.noseHalfWidth;
  const ny = l.noseY;
  const shade = scale(skin, 0.68);
  // The bridge's shadow on the side away from the light.
  canvas.stroke(
    quadPoints([l.cx + 0.014, l.eyeY + 0.02], [l.cx + 0.02, ny - 0.03], [l.cx + nw * 0.8, ny - 0.006], 6),
    0.01,
    shade,
    {
      alpha: 0.35,
    },
  );
  if (pose.noseRed > 0) {
    canvas.draw(ellipse(l.cx, ny - 0.014, nw * 1.15, 0.034), hex('#e0404a'), {
      alpha: 0.7 * pose.noseRed,
      soft: 0.018,
    });
  }
  canvas.stroke(
    quadPoints([l.cx - nw, ny - 0.01], [l.cx, ny + 0.024], [l.cx + nw, ny - 0.01], 8),
    0.01,
    scale(skin, 0.6),
    {
      alpha: 0.85,
    },
  );
  for (const side of SIDES) {
    canvas.draw(ellipse(l.cx + side * nw * 0.45, ny + 0.002, 0.011, 0.006), scale(skin, 0.3), { alpha: 0.8 });
  }
  canvas.draw(ellipse(l.cx - 0.004, ny - 0.014, 0.01, 0.007), scale(skin, 1.15), { alpha: 0.5 });
}

function lipColor(id: FaceIdentity): Rgb {
  return mix(skinOf(id), id.mouth.color, id.presentation === 'feminine' ? 0.75 : 0.45);
}

/**
 * The mouth from two curves between the corners. Smiling lifts the corners and, open, gives the
 * laughing D shape with teeth and tongue; crying drops them and arches the upper edge into a wail.
 */
export function drawMouth(canvas: Canvas, id: FaceIdentity, l: FaceLayout, pose: FeaturePose): void {
  const skin = skinOf(id);
  const lips = lipColor(id);
  const mw = l.mouthHalfWidth * (1 + pose.mouthStretch);
  const my = l.mouthY;
  const c = pose.mouthCurve;
  const cornerY = my - c * 0.03;
  const left: Point = [l.cx - mw, cornerY];
  const right: Point = [l.cx + mw, cornerY];
  const fullness = 0.6 + 0.8 * id.mouth.lips;

  if (pose.cheekRaise > 0.1) {
    // Smile lines from the nose wings to the mouth corners.
    for (const side of SIDES) {
      canvas.stroke(
        quadPoints(
          [l.cx + side * (l.noseHalfWidth + 0.018), l.noseY - 0.01],
          [l.cx + side * (mw + 0.03), my - 0.02],
          [l.cx + side * (mw + 0.012), cornerY + 0.02],
          6,
        ),
        0.006,
        scale(skin, 0.65),
        { alpha: 0.55 * pose.cheekRaise },
      );
    }
  }

  const o = pose.mouthOpen;
  if (o < 0.1) {
    const ctrl: Point = [l.cx, my + c * 0.045];
    const line = quadPoints(left, ctrl, right, 10);
    const upperLip = quadPoints(right, [l.cx, ctrl[1] - 0.03 * fullness], left, 10);
    const lowerLip = quadPoints(right, [l.cx, ctrl[1] + 0.038 * fullness], left, 10);
    canvas.draw(polygon([...line, ...lowerLip.slice(1)]), scale(lips, 1.05));
    canvas.draw(polygon([...line, ...upperLip.slice(1)]), scale(lips, 0.9));
    canvas.stroke(line, 0.009, scale(lips, 0.45));
    return;
  }
  const smile = Math.max(0, c);
  const wail = Math.max(0, -c);
  const upperCtrl: Point = [l.cx, my + c * 0.035 - o * (0.012 + 0.11 * wail)];
  const lowerCtrl: Point = [l.cx, my + c * 0.035 + o * (0.05 + 0.1 * smile)];
  const upper = quadPoints(left, upperCtrl, right, 12);
  const lower = quadPoints(right, lowerCtrl, left, 12);
  const mouth = polygon([...upper, ...lower.slice(1)]);
  canvas.draw(mouth, MOUTH_INSIDE);
  const teethDepth = 0.016 + 0.014 * o;
  const teethEdge = quadPoints(right, [upperCtrl[0], upperCtrl[1] + 2 * teethDepth], left, 12);
  canvas.draw(intersect(polygon([...upper, ...teethEdge.slice(1)]), mouth), TEETH);
  if (smile > 0.2) {
    const bottom = (cornerY + lowerCtrl[1]) / 2;
    canvas.draw(intersect(ellipse(l.cx, bottom - 0.004, mw * 0.5, 0.02), mouth), TONGUE);
  }
  canvas.stroke([...upper, ...lower.slice(1)], 0.006 + 0.005 * fullness, lips);
}

export function drawCheeks(canvas: Canvas, l: FaceLayout, pose: FeaturePose): void {
  const a = 0.32 * pose.cheekRaise + 0.2 * pose.flush;
  if (a <= 0) return;
  for (const side of SIDES) {
    const x = l.cx + side * (l.eyeDx + 0.015);
    canvas.draw(ellipse(x, l.eyeY + 0.085 - 0.012 * pose.cheekRaise, 0.05, 0.032), BLUSH, {
      alpha: a,
      soft: 0.035,
    });
  }
}

/** Tears welling on the lower lids and running down both cheeks, ending in a drop. */
export function drawTears(canvas: Canvas, l: FaceLayout, pose: FeaturePose): void {
  const t = pose.tears;
  if (t <= 0) return;
  const alpha = Math.min(1, 1.6 * t);
  for (const side of SIDES) {
    const ex = l.cx + side * l.eyeDx;
    const start: Point = [ex + side * l.eyeHalfWidth * 0.45, l.eyeY + l.eyeHalfHeight * 0.6];
    const end: Point = [start[0] + side * 0.012, start[1] + 0.05 + 0.13 * t];
    const mid: Point = [start[0] + side * 0.016, (start[1] + end[1]) / 2];
    canvas.stroke(
      quadPoints(
        [ex - l.eyeHalfWidth * 0.6, start[1] - 0.004],
        [ex, start[1] + 0.006],
        [ex + l.eyeHalfWidth * 0.6, start[1] - 0.004],
        6,
      ),
      0.006,
      TEAR,
      {
        alpha: 0.8 * alpha,
      },
    );
    canvas.stroke(quadPoints(start, mid, end, 8), 0.012, TEAR, { alpha: 0.9 * alpha }, 0.016);
    canvas.draw(circle(end[0], end[1] + 0.004, 0.013), TEAR, { alpha });
    canvas.draw(circle(end[0] - 0.004, end[1], 0.004), hex('#ffffff'), { alpha });
  }
}
