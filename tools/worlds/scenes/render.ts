import type { RgbImage } from '@soundedit/core';
import { checkImageSize } from '../errors.ts';
import { hash1, layerSeed } from '../noise.ts';
import { Canvas } from '../raster.ts';
import { drawBuilding } from './buildings.ts';
import { drawExplosion } from './effects/explosion.ts';
import { drawFire, fireSite } from './effects/fire.ts';
import { drawPuddles, drawRain, rainAmount } from './effects/rain.ts';
import { drawLightning } from './effects/thunderstorm.ts';
import { drawSeaweed, drawUnderwater } from './effects/underwater.ts';
import { drawWindDebris } from './effects/wind.ts';
import { computeLighting } from './lighting.ts';
import { checkSceneParams, type SceneParams } from './params.ts';
import { drawClouds, drawSky } from './sky.ts';
import { drawGround, drawRelief } from './terrain.ts';
import { drawGrass, drawTree, windDirection } from './vegetation.ts';

/**
 * Renders a landscape as a square RGB image of `size` pixels. Back to front: sky, clouds, relief,
 * ground; then buildings, trees and a fire on the ground in depth order; then what happens in
 * front of everything (blast, lightning, rain, flying debris) and, last, the underwater look,
 * which recolours the whole picture. Deterministic: the same parameters give the same pixels.
 */
/**
 * How much of an effect layer shows at a given intensity: effects have a smallest size (a fireball,
 * a bolt, a flame) and would pop in at full strength; fading them in over the first quarter keeps
 * the picture continuous in every intensity, which a generator regressed on it (and an edit that
 * follows its gradient) needs.
 */
function emergence(intensity: number): number {
  return Math.min(1, intensity / 0.25);
}

export function renderScene(params: SceneParams, size: number): RgbImage {
  checkImageSize(size);
  checkSceneParams(params);
  const canvas = new Canvas(size, size);
  const light = computeLighting(params);
  const direction = windDirection(params);
  const wind = params.edits.wind * direction;

  drawSky(canvas, params, light);
  drawClouds(canvas, params, light);
  drawRelief(canvas, params, light);
  drawGround(canvas, params, light);
  drawPuddles(canvas, params, light);

  // Standing things in depth order; a fire sits at its building's depth or at its own spot.
  const site = fireSite(params);
  const bendSeed = layerSeed(params.seed, 'bend');
  const standing: { y: number; draw: () => void }[] = [
    ...params.buildings.map((b, i) => ({
      y: b.baseY,
      draw: () => drawBuilding(canvas, params, light, b, i),
    })),
    ...params.trees.map((t, i) => ({
      y: t.baseY,
      draw: () => drawTree(canvas, params, light, t, wind * (0.55 + 0.35 * hash1(i, bendSeed))),
    })),
  ];
  if (params.edits.fire > 0) {
    const y = site.building === undefined ? site.y : params.buildings[site.building]!.baseY + 1e-6;
    standing.push({
      y,
      draw: () =>
        canvas.fadeIn(emergence(params.edits.fire), () => drawFire(canvas, params, light, wind, site)),
    });
  }
  standing.sort((a, b) => a.y - b.y);
  for (const item of standing) item.draw();

  drawGrass(canvas, params, light, wind);
  canvas.fadeIn(emergence(params.edits.underwater), () => drawSeaweed(canvas, params, light));
  canvas.fadeIn(emergence(params.edits.explosion), () => drawExplosion(canvas, params, light));
  canvas.fadeIn(emergence(params.edits.thunderstorm), () => drawLightning(canvas, params));
  canvas.fadeIn(emergence(rainAmount(params)), () =>
    drawRain(canvas, params, light, direction * (0.12 + 0.6 * params.edits.wind)),
  );
  canvas.fadeIn(emergence(params.edits.wind), () => drawWindDebris(canvas, params, light, direction));
  canvas.fadeIn(emergence(params.edits.underwater), () => drawUnderwater(canvas, params, light));
  return canvas.toImage();
}
