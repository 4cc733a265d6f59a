import { hex, mix, scale, type Rgb } from '../color.ts';
import { hash1, layerSeed } from '../noise.ts';
import { verticalGradient, type Canvas, type PaintFn } from '../raster.ts';
import { polygon, rect } from '../shapes.ts';
import { lit, type Lighting } from './lighting.ts';
import type { Building, SceneParams } from './params.ts';

const GLASS = hex('#2c3a4a');
const WINDOW_LIGHT = hex('#ffd27a');

/** Where each building's windows are, so fire can light some of them from inside. */
export interface WindowCell {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function buildingWindows(b: Building): WindowCell[] {
  const top = b.baseY - b.height;
  const cells: WindowCell[] = [];
  if (b.roofStyle === 'pitched') {
    // A house: two windows either side of the door.
    const s = Math.min(b.width * 0.2, b.height * 0.3);
    const wy = top + b.height * 0.25;
    for (const dx of [-0.28, 0.28]) {
      const cx = b.x + dx * b.width;
      cells.push({ x0: cx - s / 2, y0: wy, x1: cx + s / 2, y1: wy + s });
    }
    return cells;
  }
  const cols = Math.max(2, Math.round(b.width / 0.026));
  const rows = Math.max(2, Math.round((b.height - 0.02) / 0.032));
  const cw = b.width / cols;
  const ch = (b.height - 0.02) / rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x0 = b.x - b.width / 2 + c * cw + cw * 0.25;
      const y0 = top + 0.015 + r * ch + ch * 0.2;
      cells.push({ x0, y0, x1: x0 + cw * 0.5, y1: y0 + ch * 0.5 });
    }
  }
  return cells;
}

export function drawBuilding(
  canvas: Canvas,
  params: SceneParams,
  light: Lighting,
  b: Building,
  index: number,
): void {
  const left = b.x - b.width / 2;
  const right = b.x + b.width / 2;
  const top = b.baseY - b.height;
  const sunLeft = light.sun.x < b.x;
  const wall = lit(light, scale(b.wall, 1 - 0.3 * light.wetness));
  // Facade shaded across its width, brighter on the sun's side.
  const facade: PaintFn = (x, _y, out) => {
    const u = (x - left) / b.width;
    const k = 0.85 + 0.2 * (sunLeft ? 1 - u : u);
    out[0] = wall[0] * k;
    out[1] = wall[1] * k;
    out[2] = wall[2] * k;
  };
  canvas.draw(rect(left, top, right, b.baseY + 0.01), facade);

  const roof = lit(light, b.roof);
  if (b.roofStyle === 'pitched') {
    const over = b.width * 0.08;
    const peak = top - b.width * 0.42;
    canvas.draw(
      polygon([
        [left - over, top + 0.004],
        [b.x, peak],
        [right + over, top + 0.004],
      ]),
      verticalGradient([
        { at: peak, color: scale(roof, 1.1) },
        { at: top, color: scale(roof, 0.8) },
      ]),
    );
    const door = b.width * 0.18;
    canvas.draw(
      rect(b.x - door / 2, b.baseY - b.height * 0.45, b.x + door / 2, b.baseY + 0.004),
      scale(roof, 0.6),
    );
  } else {
    canvas.draw(rect(left - 0.003, top - 0.008, right + 0.003, top + 0.004), scale(roof, 0.85));
  }

  const seed = layerSeed(params.seed, `windows${index}`);
  const night = 1 - light.dayness;
  const glass = lit(light, GLASS);
  buildingWindows(b).forEach((cell, i) => {
    const on = hash1(i, seed) < b.litWindows ? night : 0;
    const color: Rgb = mix(glass, WINDOW_LIGHT, on);
    canvas.draw(rect(cell.x0, cell.y0, cell.x1, cell.y1), color);
    if (on > 0.3) {
      canvas.glow((cell.x0 + cell.x1) / 2, (cell.y0 + cell.y1) / 2, 0.03, WINDOW_LIGHT, 0.15 * on);
    }
  });
}
