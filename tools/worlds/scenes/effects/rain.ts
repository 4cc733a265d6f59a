import { Rng } from '@soundedit/models';
import { hex, mix, scale } from '../../color.ts';
import { layerSeed } from '../../noise.ts';
import type { Canvas } from '../../raster.ts';
import { smoothstep } from '../../scalar.ts';
import { ellipse } from '../../shapes.ts';
import type { Lighting } from '../lighting.ts';
import type { SceneParams } from '../params.ts';

const DROP = hex('#c8d2e0');

/** Density of falling rain: the rain edit, plus the rain that comes with a thunderstorm. */
export function rainAmount(params: SceneParams): number {
  return Math.min(1, params.edits.rain + 0.5 * params.edits.thunderstorm);
}

/** Puddles reflecting the sky on wet ground; drawn right after the ground, under everything standing on it. */
export function drawPuddles(canvas: Canvas, params: SceneParams, light: Lighting): void {
  const wet = light.wetness;
  if (wet <= 0) return;
  const rng = new Rng(layerSeed(params.seed, 'puddles'));
  const h = params.horizon;
  const count = Math.round(10 * wet);
  for (let k = 0; k < count; k++) {
    const depth = 0.25 + 0.75 * rng.next();
    const y = h + depth * (1 - h);
    const w = 0.04 + 0.1 * depth * rng.next();
    canvas.draw(ellipse(rng.next(), y, w, w * 0.18), mix(light.skyHorizon, light.skyTop, 0.3), {
      alpha: 0.55 * wet,
    });
  }
}

/** Slanted streaks over everything, a mist veiling the distance, and splashes on the ground. */
export function drawRain(canvas: Canvas, params: SceneParams, light: Lighting, slant: number): void {
  const amount = rainAmount(params);
  if (amount <= 0) return;
  const h = params.horizon;
  const mist = light.skyMid;
  canvas.apply((c, _x, y) => {
    const a = 0.4 * amount * smoothstep(0.25, 0, Math.abs(y - h));
    c[0] += (mist[0] - c[0]) * a;
    c[1] += (mist[1] - c[1]) * a;
    c[2] += (mist[2] - c[2]) * a;
  });
  const rng = new Rng(layerSeed(params.seed, 'rain'));
  const color = scale(DROP, 0.4 + 0.6 * light.dayness);
  const streaks = Math.round(420 * amount);
  for (let k = 0; k < streaks; k++) {
    const x = -0.15 + 1.3 * rng.next();
    const y = -0.05 + 1.1 * rng.next();
    const len = 0.04 + 0.05 * rng.next();
    const near = rng.next();
    canvas.line([x, y], [x + slant * len, y + len], 0.004 + 0.004 * near, color, {
      alpha: 0.35 + 0.35 * near,
    });
  }
  const splashes = Math.round(40 * amount);
  for (let k = 0; k < splashes; k++) {
    const y = h + 0.1 + (0.98 - h - 0.1) * rng.next();
    canvas.draw(ellipse(rng.next(), y, 0.008, 0.003), color, { alpha: 0.6 });
  }
}
