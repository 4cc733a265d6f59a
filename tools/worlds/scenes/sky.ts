import { Rng } from '@soundedit/models';
import { hex, mix, scale, type Rgb } from '../color.ts';
import { fbm, layerSeed } from '../noise.ts';
import { verticalGradient, type Canvas } from '../raster.ts';
import { smoothstep } from '../scalar.ts';
import { circle, ellipse, intersect, rect, subtract, union, type Shape } from '../shapes.ts';
import type { Lighting } from './lighting.ts';
import type { SceneParams } from './params.ts';

export function drawSky(canvas: Canvas, params: SceneParams, light: Lighting): void {
  const h = params.horizon;
  canvas.fill(
    verticalGradient([
      { at: 0, color: light.skyTop },
      { at: h * 0.62, color: light.skyMid },
      { at: h + 0.02, color: light.skyHorizon },
    ]),
  );
  drawStars(canvas, params, light);
  drawMoon(canvas, params, light);
  drawSun(canvas, params, light);
}

function drawStars(canvas: Canvas, params: SceneParams, light: Lighting): void {
  const visible = (1 - light.dayness) ** 2 * (1 - light.overcast) * (1 - 0.6 * light.cloudAmount);
  if (visible < 0.02) return;
  const rng = new Rng(layerSeed(params.seed, 'stars'));
  for (let i = 0; i < 70; i++) {
    const x = rng.next();
    const y = rng.next() * params.horizon * 0.9;
    const b = 0.4 + 0.6 * rng.next() ** 3;
    canvas.draw(circle(x, y, 0.0035 + 0.003 * b), hex('#fff8e8'), { alpha: visible * b, blend: 'add' });
  }
}

function drawMoon(canvas: Canvas, params: SceneParams, light: Lighting): void {
  const { moon } = light;
  const visible =
    smoothstep(0.02, 0.15, moon.elevation) * (1 - light.dayness * 0.85) * (1 - 0.8 * light.overcast);
  if (visible < 0.02) return;
  const rng = new Rng(layerSeed(params.seed, 'moon'));
  const r = 0.035;
  const full = rng.next() < 0.45;
  const disc = circle(moon.x, moon.y, r);
  const shape: Shape = full ? disc : subtract(disc, circle(moon.x + r * 0.55, moon.y - r * 0.2, r * 0.9));
  canvas.glow(moon.x, moon.y, 0.16, hex('#8090b0'), 0.25 * visible);
  canvas.draw(shape, hex('#f4f0dc'), { alpha: visible });
}

function drawSun(canvas: Canvas, params: SceneParams, light: Lighting): void {
  const { sun } = light;
  const visible = smoothstep(-0.08, 0.04, sun.elevation) * (1 - 0.9 * light.overcast);
  if (visible < 0.02) return;
  const r = 0.045 + 0.015 * light.golden;
  canvas.glow(sun.x, sun.y, 0.22, scale(sun.color, 0.7), 0.3 * visible);
  canvas.draw(circle(sun.x, sun.y, r), mix(sun.color, hex('#ffffff'), 0.5), { alpha: visible });
}

interface CloudPuff {
  shape: Shape;
  top: number;
  base: number;
}

/**
 * Cumulus clusters: overlapping puffs with a flattened base, shaded lighter on top. Cloud
 * positions come from their own stream, and more cover means more of the same list is drawn, so
 * raising rain or storm intensity adds clouds around the ones already there.
 */
function cloudPuffs(params: SceneParams, stretch: number): CloudPuff[] {
  const rng = new Rng(layerSeed(params.seed, 'clouds'));
  const out: CloudPuff[] = [];
  for (let k = 0; k < 12; k++) {
    const cx = -0.05 + 1.1 * rng.next();
    const base = 0.08 + (params.horizon - 0.2) * rng.next();
    const width = (0.12 + 0.2 * rng.next()) * stretch;
    const height = 0.04 + 0.05 * rng.next();
    const lobes: Shape[] = [];
    const n = 4 + Math.floor(rng.next() * 4);
    for (let i = 0; i < n; i++) {
      const u = n === 1 ? 0.5 : i / (n - 1);
      const lx = cx + width * (u - 0.5);
      const r = height * (0.55 + 0.6 * Math.sin(Math.PI * u) * (0.6 + 0.4 * rng.next()));
      lobes.push(ellipse(lx, base - r * 0.55, r * Math.sqrt(stretch), r));
    }
    const body = intersect(union(...lobes), rect(cx - width, base - 3 * height, cx + width, base));
    out.push({ shape: body, top: base - 2 * height, base });
  }
  return out;
}

export function drawClouds(canvas: Canvas, params: SceneParams, light: Lighting): void {
  const stretch = 1 + 0.7 * params.edits.wind;
  const count = Math.round(12 * light.cloudAmount);
  const lit = mix(hex('#ffffff'), light.sun.color, 0.35 * light.golden);
  // Night clouds are dim silhouettes, a little lighter than the sky near the horizon.
  const top = scale(mix(lit, hex('#707884'), light.cloudDarkness * 0.8), 0.16 + 0.84 * light.dayness);
  const bottom = scale(mix(hex('#c4cad4'), hex('#33373f'), light.cloudDarkness), 0.12 + 0.8 * light.dayness);
  const puffs = cloudPuffs(params, stretch);
  for (const puff of puffs.slice(0, count)) {
    canvas.draw(
      puff.shape,
      verticalGradient([
        { at: puff.top, color: top },
        { at: puff.base, color: mix(top, bottom, 0.85) },
      ]),
      { soft: 0.012, alpha: 0.95 },
    );
  }
  drawCloudDeck(canvas, params, light, top, bottom);
}

/** A continuous layer of cloud for overcast weather, from fBm thresholded by how overcast it is. */
function drawCloudDeck(canvas: Canvas, params: SceneParams, light: Lighting, top: Rgb, bottom: Rgb): void {
  if (light.overcast < 0.05) return;
  const seed = layerSeed(params.seed, 'deck');
  const stretch = 1 + 1.5 * params.edits.wind;
  const horizon = params.horizon;
  const threshold = 0.62 - 0.4 * light.overcast;
  const out = [0, 0, 0];
  canvas.apply((c, x, y) => {
    if (y > horizon) return;
    const n = fbm((x * 5) / stretch, y * 9, seed, 4);
    const density = smoothstep(threshold, threshold + 0.18, n) * light.overcast;
    if (density <= 0) return;
    const shade = smoothstep(0.4, 0.8, n);
    out[0] = bottom[0] + (top[0] - bottom[0]) * shade;
    out[1] = bottom[1] + (top[1] - bottom[1]) * shade;
    out[2] = bottom[2] + (top[2] - bottom[2]) * shade;
    const a = density * 0.9 * smoothstep(horizon + 0.02, horizon - 0.08, y);
    c[0] += (out[0] - c[0]) * a;
    c[1] += (out[1] - c[1]) * a;
    c[2] += (out[2] - c[2]) * a;
  });
}
