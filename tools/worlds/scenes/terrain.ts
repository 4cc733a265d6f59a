import { Rng } from '@soundedit/models';
import { hex, mix, scale, type Rgb } from '../color.ts';
import { fbm, layerSeed, valueNoise } from '../noise.ts';
import type { Canvas, PaintFn } from '../raster.ts';
import { clamp01, smoothstep } from '../scalar.ts';
import { belowRidge } from '../shapes.ts';
import { lit, type Lighting } from './lighting.ts';
import type { GroundType, SceneParams } from './params.ts';

const ROCK = hex('#6e6a6c');
const SNOW = hex('#f2f5fa');

/** A ridge line tabulated once over x in [-0.05, 1.05], shared by the shape and its paint. */
class Ridge {
  static readonly N = 256;
  readonly table = new Float64Array(Ridge.N + 1);
  /** Per sample, a value the paint can use (which peak, which face); -1 where unused. */
  readonly tag = new Float64Array(Ridge.N + 1).fill(-1);

  static x(i: number): number {
    return -0.05 + (1.1 * i) / Ridge.N;
  }

  index(x: number): number {
    return Math.min(Ridge.N, Math.max(0, Math.round(((x + 0.05) / 1.1) * Ridge.N)));
  }

  at(x: number): number {
    const f = Math.min(Ridge.N - 1e-9, Math.max(0, ((x + 0.05) / 1.1) * Ridge.N));
    const i = Math.floor(f);
    return this.table[i]! + (this.table[i + 1]! - this.table[i]!) * (f - i);
  }

  shape(bottom: number) {
    return belowRidge(-0.05, 1.05, (x) => this.at(x), bottom);
  }
}

interface Peak {
  x: number;
  height: number;
  halfWidth: number;
}

/**
 * A mountain range as overlapping peaks with straight-ish flanks roughened by noise. Each sample
 * remembers its dominant peak and which side of it it lies on, so a whole flank is lit or shaded
 * as one face instead of flickering column by column.
 */
function mountainRange(
  seed: number,
  base: number,
  height: number,
  count: number,
): { ridge: Ridge; peaks: Peak[] } {
  const rng = new Rng(seed);
  const peaks: Peak[] = [];
  for (let k = 0; k < count; k++) {
    peaks.push({
      x: -0.1 + (1.2 * (k + 0.2 + 0.6 * rng.next())) / count,
      height: height * (0.45 + 0.55 * rng.next()),
      halfWidth: 0.12 + 0.16 * rng.next(),
    });
  }
  const ridge = new Ridge();
  for (let i = 0; i <= Ridge.N; i++) {
    const x = Ridge.x(i);
    let best = 0;
    let tag = -1;
    peaks.forEach((p, k) => {
      const v = p.height * Math.max(0, 1 - Math.abs(x - p.x) / p.halfWidth) ** 1.15;
      if (v > best) {
        best = v;
        tag = 2 * k + (x < p.x ? 0 : 1);
      }
    });
    const rough = (fbm(x * 18, 0.5, seed, 3) - 0.5) * 0.025;
    ridge.table[i] = base - best - rough - 0.01;
    ridge.tag[i] = tag;
  }
  return { ridge, peaks };
}

/** Mountains or hills behind the ground plane, hazed towards the sky the farther they are. */
export function drawRelief(canvas: Canvas, params: SceneParams, light: Lighting): void {
  const h = params.horizon;
  const seed = layerSeed(params.seed, 'relief');
  const sunLeft = light.sun.x < 0.5;
  if (params.relief === 'mountains') {
    const height = 0.12 + 0.2 * params.reliefHeight;
    const snowy = params.ground === 'snow' || params.reliefHeight > 0.5;
    const rock = lit(light, mix(ROCK, params.groundColor, params.ground === 'rock' ? 0.5 : 0.15));
    const snow = lit(light, SNOW);
    // A paler, farther range behind the main one gives depth.
    const ranges = [
      { ...mountainRange(seed + 1, h, height * 1.15, 4), haze: 0.6 },
      { ...mountainRange(seed, h, height, 5), haze: 0.3 },
    ];
    for (const { ridge, peaks, haze } of ranges) {
      const paint: PaintFn = (x, y, out) => {
        const tag = ridge.tag[ridge.index(x)]!;
        const peak = peaks[Math.max(0, tag >> 1)]!;
        const litFace = (tag & 1) === (sunLeft ? 0 : 1);
        const gully = 0.08 * (fbm(x * 40, y * 6, seed + 9, 2) - 0.5);
        const shade = (litFace ? 1.08 : 0.72) + gully;
        const peakTop = h - 0.01 - peak.height;
        const capLine = peakTop + peak.height * (0.3 + 0.25 * valueNoise(x * 30, 0, seed + 3));
        const cap =
          snowy && peak.height > height * 0.55 ? smoothstep(capLine + 0.006, capLine - 0.006, y) : 0;
        const fade = haze + 0.3 * smoothstep(peakTop, h, y);
        for (let k = 0; k < 3; k++) {
          const v = (rock[k]! + (snow[k]! - rock[k]!) * cap) * shade;
          out[k] = v + (light.haze[k]! - v) * fade;
        }
      };
      canvas.draw(ridge.shape(h + 0.05), paint);
    }
  }
  if (params.relief !== 'plains') {
    const height = params.relief === 'hills' ? 0.04 + 0.1 * params.reliefHeight : 0.03;
    const ridge = new Ridge();
    for (let i = 0; i <= Ridge.N; i++) {
      ridge.table[i] = h + 0.01 - height * (0.3 + 0.9 * fbm(Ridge.x(i) * 3, 7.7, seed + 11, 3));
    }
    const hill = lit(light, groundTone(params.ground, params.groundColor, 0.88));
    const paint: PaintFn = (x, y, out) => {
      const top = ridge.at(x);
      const shade = 0.9 + 0.15 * fbm(x * 14, y * 20, seed + 5, 2);
      const fade = 0.3 * smoothstep(h, top, y) + 0.12;
      for (let k = 0; k < 3; k++) out[k] = hill[k]! * shade + (light.haze[k]! - hill[k]! * shade) * fade;
    };
    canvas.draw(ridge.shape(h + 0.05), paint);
  }
}

/** Ground type colours: grass a little darker far away, snow slightly blue in shade. */
function groundTone(ground: GroundType, color: Rgb, k: number): Rgb {
  return ground === 'snow' ? mix(color, hex('#c8d4e8'), 1 - k) : scale(color, k);
}

/** The ground plane from the horizon down, textured per ground type and darker when wet. */
export function drawGround(canvas: Canvas, params: SceneParams, light: Lighting): void {
  const h = params.horizon;
  const seed = layerSeed(params.seed, 'ground');
  const wet = light.wetness;
  const base = lit(light, scale(params.groundColor, 1 - 0.38 * wet));
  const ground = params.ground;
  const paint: PaintFn = (x, y, out) => {
    const depth = clamp01((y - h) / (1 - h)); // 0 at the horizon, 1 at the bottom edge
    // Texture frequency grows towards the horizon, a cheap perspective cue.
    const px = x * (6 + 20 * (1 - depth));
    const py = (y - h) * (60 - 30 * depth);
    let k = 1;
    if (ground === 'grass') k = 0.82 + 0.3 * fbm(px, py, seed, 3);
    else if (ground === 'sand') k = 0.9 + 0.1 * Math.sin(py * 3 + 4 * fbm(px, py * 0.3, seed, 2)) + 0.05;
    else if (ground === 'snow') k = 0.9 + 0.12 * fbm(px * 0.6, py * 0.6, seed, 2);
    else
      k =
        0.8 +
        0.3 * fbm(px * 1.2, py * 1.2, seed, 3) -
        0.12 * smoothstep(0.47, 0.5, valueNoise(px * 2, py, seed));
    const far = 0.35 * (1 - depth) ** 3;
    const near = 0.92 + 0.08 * (1 - depth);
    out[0] = base[0] * k * near * (1 - far) + light.haze[0] * far;
    out[1] = base[1] * k * near * (1 - far) + light.haze[1] * far;
    out[2] = base[2] * k * near * (1 - far) + light.haze[2] * far;
  };
  const ridge = (x: number) => h + 0.004 * Math.sin(x * 9 + (seed % 7));
  canvas.draw(belowRidge(-0.05, 1.05, ridge, 1.1), paint);
}
