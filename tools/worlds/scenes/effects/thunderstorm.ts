import { Rng } from '@soundedit/models';
import { hex } from '../../color.ts';
import { hash1, layerSeed } from '../../noise.ts';
import type { Canvas } from '../../raster.ts';
import { smoothstep } from '../../scalar.ts';
import type { Point } from '../../shapes.ts';
import type { SceneParams } from '../params.ts';

const BOLT_GLOW = hex('#8fa0ff');
const BOLT_CORE = hex('#f4f6ff');

/** A jagged path from (x, y0) to y1 in `steps` kinks. */
function jagged(rng: Rng, x: number, y0: number, y1: number, steps: number, swing: number): Point[] {
  const pts: Point[] = [[x, y0]];
  for (let k = 1; k <= steps; k++) {
    x += (rng.next() - 0.5) * swing;
    pts.push([x, y0 + ((y1 - y0) * k) / steps]);
  }
  return pts;
}

/**
 * Lightning under the storm clouds (the darkening itself is in lighting.ts): a forked bolt with a
 * blue halo, fading in over the lower intensities so a faint storm is just dark and rainy.
 */
export function drawLightning(canvas: Canvas, params: SceneParams): void {
  const i = params.edits.thunderstorm;
  const visible = smoothstep(0.1, 0.45, i);
  if (visible <= 0) return;
  const seed = layerSeed(params.seed, 'lightning');
  const rng = new Rng(seed);
  const x = 0.15 + 0.7 * hash1(0, seed);
  const y0 = 0.05;
  const y1 = params.horizon + 0.02 + 0.08 * hash1(1, seed);
  const main = jagged(rng, x, y0, y1, 12, 0.08);
  const bolts: Point[][] = [main];
  const forks = Math.round(1 + 3 * i);
  for (let k = 0; k < forks; k++) {
    const from = main[2 + Math.floor(rng.next() * 6)]!;
    const dir = rng.next() < 0.5 ? -1 : 1;
    const len = 0.1 + 0.12 * rng.next();
    const pts: Point[] = [from];
    let [px, py] = from;
    for (let s = 0; s < 4; s++) {
      px += dir * len * 0.25 * (0.5 + rng.next());
      py += len * 0.25;
      pts.push([px, py]);
    }
    bolts.push(pts);
  }
  canvas.glow(x, 0.15, 0.4, BOLT_GLOW, 0.15 * visible);
  bolts.forEach((pts, k) => {
    const w = k === 0 ? 1 : 0.6;
    canvas.stroke(pts, 0.05 * w, BOLT_GLOW, { blend: 'add', alpha: 0.3 * visible, soft: 0.04 });
    canvas.stroke(pts, 0.016 * w, BOLT_GLOW, { blend: 'add', alpha: 0.6 * visible });
    canvas.stroke(pts, 0.007 * w, BOLT_CORE, { alpha: visible });
  });
}
