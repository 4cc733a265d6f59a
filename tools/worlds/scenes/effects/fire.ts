import { Rng } from '@soundedit/models';
import { hex, scale, type Rgb } from '../../color.ts';
import { hash1, layerSeed } from '../../noise.ts';
import type { Canvas } from '../../raster.ts';
import { circle, ellipse, polygon, quadPoints, rect, union, type Point, type Shape } from '../../shapes.ts';
import { buildingWindows } from '../buildings.ts';
import type { Lighting } from '../lighting.ts';
import type { SceneParams } from '../params.ts';

const FLAME_OUTER = hex('#e2401a');
const FLAME_MID = hex('#ff8a1c');
const FLAME_CORE = hex('#ffe27a');
const GLOW = hex('#ff7a2a');
const SMOKE = hex('#2e2b2a');

/** Where the fire burns: on a building's roof when the scene has buildings (usually), else on open ground. */
export interface FireSite {
  x: number;
  /** y of the flames' base. */
  y: number;
  width: number;
  building: number | undefined;
}

export function fireSite(params: SceneParams): FireSite {
  const seed = layerSeed(params.seed, 'fire-site');
  const n = params.buildings.length;
  if (n > 0 && hash1(0, seed) < 0.7) {
    const index = Math.floor(hash1(1, seed) * n);
    const b = params.buildings[index]!;
    const top = b.baseY - b.height;
    return {
      x: b.x,
      y: b.roofStyle === 'pitched' ? top - b.width * 0.15 : top,
      width: b.width * 1.1,
      building: index,
    };
  }
  const h = params.horizon;
  return {
    x: 0.2 + 0.6 * hash1(2, seed),
    y: h + 0.12 + 0.12 * hash1(3, seed),
    width: 0.22,
    building: undefined,
  };
}

/** A flame tongue: a pointed teardrop with a round base, its tip swaying by `sway`. */
function tongue(bx: number, by: number, w: number, h: number, sway: number): Shape {
  const left = quadPoints([bx - w / 2, by], [bx - w * 0.55, by - h * 0.5], [bx + sway, by - h], 8);
  const right = quadPoints([bx + sway, by - h], [bx + w * 0.55, by - h * 0.5], [bx + w / 2, by], 8);
  return union(polygon([...left, ...right.slice(1)]), ellipse(bx, by, w / 2, w * 0.3));
}

export function drawFire(
  canvas: Canvas,
  params: SceneParams,
  light: Lighting,
  windBend: number,
  site: FireSite = fireSite(params),
): void {
  const i = params.edits.fire;
  if (i <= 0) return;
  const rng = new Rng(layerSeed(params.seed, 'fire'));
  const height = 0.05 + 0.2 * i;

  // Burning building: windows glow from inside.
  if (site.building !== undefined) {
    const b = params.buildings[site.building]!;
    for (const cell of buildingWindows(b)) {
      canvas.draw(rect(cell.x0, cell.y0, cell.x1, cell.y1), FLAME_MID, { alpha: Math.min(1, 1.6 * i) });
    }
  }

  // Smoke first: it rises behind the flames and drifts downwind.
  const puffs = Math.round(3 + 9 * i);
  for (let k = 0; k < puffs; k++) {
    const t = (k + 0.5) / puffs;
    const rise = height * 0.8 + t * (0.12 + 0.3 * i);
    const x = site.x + windBend * t * 0.45 + (rng.next() - 0.5) * 0.04 + Math.sin(t * 6) * 0.015;
    const r = (0.02 + 0.06 * t) * (0.6 + 0.6 * i);
    const shade = scale(SMOKE, 0.6 + 0.5 * t + 0.3 * light.dayness);
    canvas.draw(circle(x, site.y - rise, r), shade, {
      alpha: 0.6 * (1 - 0.45 * t) * (0.5 + 0.5 * i),
      soft: r * 0.9,
    });
  }

  // Firelight shows most against the dark: full glow at night, a third of it at noon.
  canvas.glow(
    site.x,
    site.y - height * 0.3,
    0.15 + 0.4 * i,
    GLOW,
    (0.3 + 0.5 * i) * (1 - 0.65 * light.dayness),
  );

  const count = 2 + Math.round(7 * i);
  const w = (site.width / count) * 1.7 + 0.012;
  const layers: [Rgb, number][] = [
    [FLAME_OUTER, 1],
    [FLAME_MID, 0.72],
    [FLAME_CORE, 0.42],
  ];
  const tongues = Array.from({ length: count }, (_, k) => {
    const u = count === 1 ? 0.5 : k / (count - 1);
    return {
      x: site.x + (u - 0.5) * site.width * 0.85,
      h: height * (0.55 + 0.45 * Math.sin(Math.PI * u)) * (0.7 + 0.6 * rng.next()),
      sway: (rng.next() - 0.5) * 0.3 + windBend * 0.5,
    };
  });
  for (const [color, s] of layers) {
    for (const t of tongues) {
      canvas.draw(tongue(t.x, site.y, w * s, t.h * s, t.sway * t.h * s), color, { alpha: 0.95 });
    }
  }

  // Embers drifting up.
  const embers = Math.round(14 * i);
  for (let k = 0; k < embers; k++) {
    const p: Point = [
      site.x + (rng.next() - 0.5) * site.width * 1.4 + windBend * 0.1,
      site.y - height * (0.6 + 1.4 * rng.next()),
    ];
    canvas.draw(circle(p[0], p[1], 0.004), FLAME_CORE, { blend: 'add', alpha: 0.9 });
  }
}
