import { Rng } from '@soundedit/models';
import { hex, mix, scale } from '../../color.ts';
import { fbm, layerSeed, valueNoise } from '../../noise.ts';
import type { Canvas } from '../../raster.ts';
import { smoothstep } from '../../scalar.ts';
import { circle, quadPoints, subtract } from '../../shapes.ts';
import { lit, type Lighting } from '../lighting.ts';
import type { SceneParams } from '../params.ts';

const WATER = hex('#0a5c6e');
const CAUSTIC = hex('#9af0e4');
const KELP = hex('#3f6a2a');
const BUBBLE = hex('#d8f6ff');

/** Kelp swaying up from the ground; drawn with the scene so the water tints it like everything else. */
export function drawSeaweed(canvas: Canvas, params: SceneParams, light: Lighting): void {
  const u = params.edits.underwater;
  if (u <= 0) return;
  const rng = new Rng(layerSeed(params.seed, 'kelp'));
  const h = params.horizon;
  const count = Math.round(10 * u);
  for (let k = 0; k < count; k++) {
    const x = rng.next();
    const y = h + 0.1 + (0.99 - h - 0.1) * rng.next();
    const len = (0.1 + 0.25 * rng.next()) * (0.5 + (y - h));
    const sway = (rng.next() - 0.5) * len;
    const color = lit(light, scale(KELP, 0.7 + 0.6 * rng.next()));
    canvas.stroke(
      quadPoints([x, y], [x + sway, y - len * 0.5], [x - sway * 0.5, y - len], 8),
      0.018,
      color,
      {},
      0.004,
    );
  }
}

/**
 * Turns the finished landscape into an underwater view: red absorbed first, a teal fog over the
 * distance, light shafts from the surface, caustic ripples on surfaces, and bubbles rising.
 */
export function drawUnderwater(canvas: Canvas, params: SceneParams, light: Lighting): void {
  const u = params.edits.underwater;
  if (u <= 0) return;
  const seed = layerSeed(params.seed, 'water');
  const h = params.horizon;
  const water = scale(WATER, 0.35 + 0.65 * light.dayness);
  const bright = 0.3 + 0.7 * light.dayness;
  canvas.apply((c, x, y) => {
    const fog = u * (0.3 + 0.4 * smoothstep(0.45, 0, Math.abs(y - h)));
    const r = c[0] * (1 - 0.75 * u);
    const g = c[1] * (1 - 0.15 * u);
    const b = c[2] * (1 - 0.05 * u);
    c[0] = r + (water[0] - r) * fog;
    c[1] = g + (water[1] - g) * fog;
    c[2] = b + (water[2] - b) * fog;
    // Caustics: the thin bright web where ridged noise peaks, warped so it wobbles.
    const warp = fbm(x * 4, y * 4, seed, 2) * 2;
    const n = valueNoise(x * 16 + warp, y * 22 + warp, seed + 1);
    const web = (1 - Math.abs(2 * n - 1)) ** 8;
    const onSurface = y > h - 0.02 ? 1 : 0.35;
    const shaft = smoothstep(0.55, 0.85, valueNoise((x + y * 0.35) * 7, 0.5, seed + 2)) * (1 - y);
    const ripple = smoothstep(0.08, 0, y) * (0.5 + 0.5 * fbm(x * 12, y * 30, seed + 3, 2));
    const add = u * bright * (0.45 * web * onSurface + 0.2 * shaft + 0.5 * ripple);
    c[0] += CAUSTIC[0] * add;
    c[1] += CAUSTIC[1] * add;
    c[2] += CAUSTIC[2] * add;
  });

  // Bubbles rise in a few streams, growing as they go up.
  const rng = new Rng(layerSeed(params.seed, 'bubbles'));
  const streams = 3;
  const perStream = Math.round(4 + 10 * u);
  const rim = mix(BUBBLE, water, 0.2);
  for (let s = 0; s < streams; s++) {
    const sx = 0.1 + 0.8 * rng.next();
    const sy = h + 0.1 + 0.3 * rng.next();
    for (let k = 0; k < perStream; k++) {
      const t = rng.next();
      const y = sy - t * sy * 0.95;
      const x = sx + Math.sin(t * 12 + s) * 0.03 + (rng.next() - 0.5) * 0.03;
      const r = 0.006 + 0.014 * t * (0.6 + 0.4 * rng.next());
      canvas.draw(circle(x, y, r), BUBBLE, { alpha: 0.15 * u + 0.1 });
      canvas.draw(subtract(circle(x, y, r), circle(x, y, r * 0.72)), rim, {
        alpha: 0.85 * Math.min(1, 2 * u),
      });
      canvas.draw(circle(x - r * 0.35, y - r * 0.35, r * 0.28), hex('#ffffff'), {
        alpha: 0.9 * Math.min(1, 2 * u),
      });
    }
  }
}
