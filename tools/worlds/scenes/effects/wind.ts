import { Rng } from '@soundedit/models';
import { hex, mix } from '../../color.ts';
import { fbm, layerSeed } from '../../noise.ts';
import type { Canvas } from '../../raster.ts';
import { smoothstep } from '../../scalar.ts';
import { ellipse, quadPoints } from '../../shapes.ts';
import { lit, type Lighting } from '../lighting.ts';
import type { SceneParams } from '../params.ts';

const LEAVES = ['#5f8f2a', '#c9a227', '#d9722a', '#8a5a2a', '#a53a1f'].map(hex);
const STREAK = hex('#f2f6ff');

/**
 * What wind adds on top of the bent trees and grass (done by the vegetation layer): leaves and
 * grit flying downwind, pale gust lines, and dust or spindrift blowing low over bare ground.
 */
export function drawWindDebris(
  canvas: Canvas,
  params: SceneParams,
  light: Lighting,
  direction: number,
): void {
  const w = params.edits.wind;
  if (w <= 0) return;
  const seed = layerSeed(params.seed, 'wind-debris');
  const rng = new Rng(seed);
  const h = params.horizon;

  if (params.ground !== 'grass') {
    // Drifting sand, snow or dust: a streaky band hugging the ground.
    const dust = mix(lit(light, params.groundColor), light.skyHorizon, 0.3);
    canvas.apply((c, x, y) => {
      if (y < h - 0.12) return;
      const n = fbm(x * 3 - direction * y * 2, y * 40, seed, 3);
      const a = 0.75 * w * smoothstep(0.4, 0.75, n) * smoothstep(h - 0.12, h + 0.05, y);
      c[0] += (dust[0] - c[0]) * a;
      c[1] += (dust[1] - c[1]) * a;
      c[2] += (dust[2] - c[2]) * a;
    });
  }

  const gusts = Math.round(4 + 10 * w);
  for (let k = 0; k < gusts; k++) {
    const x = rng.next() * 1.2 - 0.1;
    const y = 0.1 + 0.85 * rng.next();
    const len = (0.15 + 0.25 * rng.next()) * direction;
    const arc = (rng.next() - 0.5) * 0.06;
    canvas.stroke(
      quadPoints([x, y], [x + len / 2, y + arc], [x + len, y], 8),
      0.009,
      STREAK,
      { alpha: 0.65 * w },
      0.002,
    );
  }

  const leaves = Math.round(40 * w);
  for (let k = 0; k < leaves; k++) {
    const x = rng.next();
    const y = 0.12 + 0.85 * rng.next();
    const color = lit(light, LEAVES[Math.floor(rng.next() * LEAVES.length)]!);
    canvas.draw(ellipse(x, y, 0.016, 0.007, rng.next() * Math.PI), color);
  }
}
