import { Rng } from '@soundedit/models';
import { mix, scale, type Rgb } from '../color.ts';
import { verticalGradient, type Canvas, type PaintFn } from '../raster.ts';
import { smoothstep } from '../scalar.ts';
import { ellipse, polygon, rect } from '../shapes.ts';
import type { FaceLayout } from './layout.ts';
import { skinColor } from './palette.ts';
import type { FaceIdentity, FaceParams } from './params.ts';

export function skinOf(id: FaceIdentity): Rgb {
  return skinColor(id.skinTone, id.skinWarmth);
}

/** A studio-like backdrop: a gradient plus a few large out-of-focus blobs. */
export function drawBackground(canvas: Canvas, params: FaceParams): void {
  const { top, bottom, seed } = params.background;
  canvas.fill(
    verticalGradient([
      { at: 0, color: top },
      { at: 1, color: bottom },
    ]),
  );
  const rng = new Rng(seed);
  const blobs = Math.floor(rng.next() * 4);
  for (let i = 0; i < blobs; i++) {
    const c = scale(mix(top, bottom, rng.next()), 0.75 + 0.5 * rng.next());
    const r = 0.1 + 0.2 * rng.next();
    canvas.draw(ellipse(rng.next(), rng.next() * 0.8, r, r * (0.6 + 0.8 * rng.next())), c, {
      alpha: 0.5,
      soft: r,
    });
  }
}

export function drawBody(canvas: Canvas, id: FaceIdentity, l: FaceLayout): void {
  const skin = skinOf(id);
  const shoulders = 0.87;
  canvas.draw(
    rect(l.cx - 0.075, l.cy + 0.05, l.cx + 0.075, shoulders + 0.05),
    verticalGradient([
      { at: l.chin - 0.02, color: scale(skin, 0.62) },
      { at: l.chin + 0.05, color: scale(skin, 0.8) },
      { at: shoulders, color: scale(skin, 0.88) },
    ]),
  );
  const cloth = id.clothing;
  canvas.draw(
    rect(l.cx - 0.43, shoulders, l.cx + 0.43, 1.3, 0.14),
    verticalGradient([
      { at: shoulders, color: scale(cloth, 1.08) },
      { at: 1, color: scale(cloth, 0.8) },
    ]),
  );
  // Round neckline showing a little skin.
  canvas.draw(
    polygon([
      [l.cx - 0.075, shoulders - 0.01],
      [l.cx + 0.075, shoulders - 0.01],
      [l.cx, shoulders + 0.06],
    ]),
    scale(skin, 0.85),
  );
}

export function drawEars(canvas: Canvas, id: FaceIdentity, l: FaceLayout): void {
  const skin = skinOf(id);
  for (const side of [-1, 1]) {
    const x = l.cx + side * (l.halfWidth - 0.004);
    canvas.draw(ellipse(x, l.earY, 0.03, 0.052), scale(skin, 0.9));
    canvas.draw(ellipse(x + side * 0.008, l.earY, 0.013, 0.03), scale(skin, 0.72));
  }
}

/** The face itself: skin shaded darker towards the outline and lit slightly from the upper left. */
export function drawFaceSkin(canvas: Canvas, id: FaceIdentity, l: FaceLayout, flush: number): void {
  const skin = skinOf(id);
  const w = l.halfWidth;
  const h = l.chin - l.cy;
  const paint: PaintFn = (x, y, out) => {
    const dx = (x - l.cx) / w;
    const dy = (y - l.cy + 0.03) / h;
    const e = dx * dx + dy * dy;
    const k = 1.05 - 0.24 * smoothstep(0.35, 1.05, e) - 0.05 * dx;
    // Crying flushes the cheeks and nose; the pink sits in the middle of the face.
    const red = flush * 0.12 * Math.max(0, 1 - e * 1.6);
    out[0] = skin[0] * k + red;
    out[1] = skin[1] * k - red * 0.4;
    out[2] = skin[2] * k - red * 0.3;
  };
  canvas.draw(polygon(l.outline), paint);
}
