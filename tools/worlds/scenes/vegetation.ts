import { Rng } from '@soundedit/models';
import { hex, mix, scale, type Rgb } from '../color.ts';
import { hash1, layerSeed } from '../noise.ts';
import { verticalGradient, type Canvas } from '../raster.ts';
import { ellipse, polygon, quadPoints, rect, union, type Point, type Shape } from '../shapes.ts';
import { lit, type Lighting } from './lighting.ts';
import type { SceneParams, Tree } from './params.ts';

const BARK = hex('#5a3e2b');
const PALM_BARK = hex('#8a6a48');
const SNOW = hex('#f4f7fb');

/** Wind blows left or right per scene (from its seed), the same way for every layer. */
export function windDirection(params: SceneParams): number {
  return hash1(7, layerSeed(params.seed, 'wind')) < 0.5 ? -1 : 1;
}

/**
 * A tree leaning with the wind: `bend` is how far the crown moves sideways, as a fraction of the
 * tree's height (signed). Canopies also stretch downwind so a strong gale reads at 64 pixels.
 */
export function drawTree(
  canvas: Canvas,
  params: SceneParams,
  light: Lighting,
  tree: Tree,
  bend: number,
): void {
  if (tree.kind === 'conifer') drawConifer(canvas, params, light, tree, bend);
  else if (tree.kind === 'palm') drawPalm(canvas, light, tree, bend);
  else drawBroadleaf(canvas, light, tree, bend);
}

function drawBroadleaf(canvas: Canvas, light: Lighting, t: Tree, bend: number): void {
  const s = t.size;
  const top: Point = [t.x + bend * s * 0.35, t.baseY - s * 0.55];
  canvas.stroke(
    quadPoints([t.x, t.baseY], [t.x, t.baseY - s * 0.35], top, 6),
    s * 0.1,
    lit(light, BARK),
    {},
    s * 0.05,
  );
  const cx = t.x + bend * s * 0.5;
  const cy = t.baseY - s * 0.68;
  const r = s * 0.3;
  const stretch = 1 + 0.8 * Math.abs(bend);
  const lobes: Shape[] = [];
  for (let i = 0; i < 5; i++) {
    const a = (i / 5) * 2 * Math.PI + t.x * 10;
    const lx = cx + Math.cos(a) * r * 0.45 * stretch + bend * r * 0.4 * (0.5 - Math.sin(a) * 0.5);
    lobes.push(ellipse(lx, cy + Math.sin(a) * r * 0.35, r * 0.62 * stretch, r * 0.6));
  }
  lobes.push(ellipse(cx + bend * r * 0.3, cy, r * 0.8 * stretch, r * 0.75));
  const leaf = lit(light, t.foliage);
  canvas.draw(
    union(...lobes),
    verticalGradient([
      { at: cy - r, color: scale(leaf, 1.2) },
      { at: cy + r, color: scale(leaf, 0.7) },
    ]),
  );
}

function drawConifer(canvas: Canvas, params: SceneParams, light: Lighting, t: Tree, bend: number): void {
  const s = t.size;
  const trunkTop = t.baseY - s * 0.15;
  canvas.draw(rect(t.x - s * 0.04, trunkTop, t.x + s * 0.04, t.baseY), lit(light, BARK));
  const leaf = lit(light, scale(t.foliage, 0.8));
  const snowy = params.ground === 'snow';
  for (let k = 0; k < 3; k++) {
    const base = t.baseY - s * (0.1 + 0.24 * k);
    const half = s * (0.26 - 0.06 * k);
    const apexY = base - s * 0.42;
    const apexX = t.x + bend * s * (0.35 + 0.2 * k);
    const lean = bend * s * 0.12 * k;
    const tier = polygon([
      [t.x - half + lean, base],
      [apexX, apexY],
      [t.x + half + lean, base],
    ]);
    canvas.draw(
      tier,
      verticalGradient([
        { at: apexY, color: scale(leaf, 1.15) },
        { at: base, color: scale(leaf, 0.75) },
      ]),
    );
    if (snowy) {
      const u = 0.45;
      canvas.draw(
        polygon([
          [apexX + (t.x - half + lean - apexX) * u, apexY + (base - apexY) * u],
          [apexX, apexY],
          [apexX + (t.x + half + lean - apexX) * u, apexY + (base - apexY) * u],
        ]),
        lit(light, SNOW),
        { alpha: 0.9 },
      );
    }
  }
}

function drawPalm(canvas: Canvas, light: Lighting, t: Tree, bend: number): void {
  const s = t.size;
  const lean = (hash1(3, Math.round(t.x * 1e4)) - 0.5) * 0.3 * s;
  const top: Point = [t.x + lean + bend * s * 0.3, t.baseY - s];
  canvas.stroke(
    quadPoints([t.x, t.baseY], [t.x + lean * 0.2, t.baseY - s * 0.5], top, 8),
    s * 0.07,
    lit(light, PALM_BARK),
    {},
    s * 0.04,
  );
  const leaf = lit(light, t.foliage);
  for (let i = 0; i < 7; i++) {
    const a = Math.PI * (0.05 + (0.9 * i) / 6);
    const dx = -Math.cos(a);
    const len = s * 0.45;
    // Fronds droop at the tips; the wind sweeps them all to one side.
    const sweep = bend * len * 1.2;
    const tip: Point = [top[0] + dx * len + sweep, top[1] + len * 0.25 - Math.sin(a) * len * 0.2];
    const mid: Point = [top[0] + dx * len * 0.5 + sweep * 0.4, top[1] - Math.sin(a) * len * 0.45];
    canvas.stroke(quadPoints(top, mid, tip, 8), s * 0.07, mix(leaf, scale(leaf, 0.7), i % 2), {}, s * 0.01);
  }
}

/** Foreground grass tufts; blades bend with the wind. */
export function drawGrass(canvas: Canvas, params: SceneParams, light: Lighting, bendAmount: number): void {
  const count = Math.round(params.vegetation * 90);
  if (count === 0) return;
  const rng = new Rng(layerSeed(params.seed, 'grass'));
  const h = params.horizon;
  const dry = params.ground !== 'grass';
  const base: Rgb = dry ? hex('#9a8a52') : scale(params.groundColor, 0.9);
  const blades: { y: number; draw: () => void }[] = [];
  for (let i = 0; i < count; i++) {
    const depth = Math.sqrt(rng.next());
    const y = h + 0.06 + depth * (1.02 - h - 0.06);
    const x = rng.next();
    const size = 0.015 + 0.05 * depth;
    const tone = 0.7 + 0.55 * rng.next();
    const color = lit(light, scale(base, tone));
    const lean = (rng.next() - 0.5) * 0.6;
    const n = 3;
    blades.push({
      y,
      draw: () => {
        for (let k = 0; k < n; k++) {
          const bx = x + (k - 1) * size * 0.15;
          const tipX = bx + (lean + (k - 1) * 0.4) * size * 0.5 + bendAmount * size * 1.1;
          const tipY = y - size * (1 - 0.35 * Math.abs(bendAmount));
          const blade = quadPoints([bx, y], [bx + bendAmount * size * 0.2, y - size * 0.6], [tipX, tipY], 3);
          canvas.stroke(blade, size * 0.14, color, {}, size * 0.02);
        }
      },
    });
  }
  blades.sort((a, b) => a.y - b.y);
  for (const b of blades) b.draw();
}
