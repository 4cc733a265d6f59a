import { Rng } from '@soundedit/models';
import { hex, mix, type Rgb } from '../../color.ts';
import { fbm, hash1, layerSeed } from '../../noise.ts';
import { radialGradient, type Canvas } from '../../raster.ts';
import { circle, ellipse, roughen, union } from '../../shapes.ts';
import { lit, type Lighting } from '../lighting.ts';
import type { SceneParams } from '../params.ts';

const WHITE_HOT = hex('#fffbe8');
const YELLOW = hex('#ffd84a');
const ORANGE = hex('#ff7a18');
const RED = hex('#b8300e');
const SMOKE = hex('#3a302c');
const FLASH = hex('#ffd9a0');

/**
 * A blast just above the ground: a light flash over the whole picture, a ragged fireball hot white
 * at the core, a mushroom of smoke above it and debris flying outwards. Size scales with intensity.
 */
export function drawExplosion(canvas: Canvas, params: SceneParams, light: Lighting): void {
  const i = params.edits.explosion;
  if (i <= 0) return;
  const seed = layerSeed(params.seed, 'explosion');
  const rng = new Rng(seed);
  const r = 0.05 + 0.17 * i;
  const cx = 0.3 + 0.4 * hash1(0, seed);
  const ground = params.horizon + 0.05;
  const cy = ground - r * 0.7;

  // The flash lights everything, strongest near the blast.
  canvas.apply((c, x, y) => {
    const d2 = ((x - cx) ** 2 + (y - cy) ** 2) / 0.16;
    const k = (0.06 + 0.26 / (1 + d2)) * i;
    c[0] += FLASH[0] * k;
    c[1] += FLASH[1] * k;
    c[2] += FLASH[2] * k;
  });

  // Mushroom cap and stem of smoke, behind the fireball.
  const smoke = mix(SMOKE, hex('#8a5a3a'), 0.3);
  const capY = cy - r * (1.3 + 0.6 * i);
  for (let k = 0; k < 9; k++) {
    const t = k / 8;
    const x = cx + (t - 0.5) * r * 2.4 + (rng.next() - 0.5) * r * 0.3;
    const y = capY - Math.sin(Math.PI * t) * r * 0.4;
    canvas.draw(circle(x, y, r * (0.45 + 0.25 * rng.next())), smoke, {
      alpha: 0.85 * Math.min(1, 1.5 * i),
      soft: r * 0.3,
    });
  }
  for (let k = 0; k < 4; k++) {
    const y = cy - r * 0.5 - (k / 4) * (cy - capY);
    canvas.draw(circle(cx + (rng.next() - 0.5) * r * 0.2, y, r * 0.4), smoke, {
      alpha: 0.8 * Math.min(1, 1.5 * i),
      soft: r * 0.3,
    });
  }

  canvas.glow(cx, cy, r * 4, hex('#ff9a40'), 0.7 * i);

  // Fireball: one billowing mass with a ragged fBm outline, white-hot at the core.
  const lobes = [circle(cx, cy, r)];
  for (let k = 0; k < 6; k++) {
    const a = -Math.PI * (0.1 + 0.8 * (k / 5)) + (rng.next() - 0.5) * 0.4;
    const d = r * (0.55 + 0.25 * rng.next());
    lobes.push(circle(cx + Math.cos(a) * d * 1.2, cy + Math.sin(a) * d * 0.8, r * (0.4 + 0.2 * rng.next())));
  }
  const freq = 7 / r;
  const ball = roughen(union(...lobes), r * 0.2, (px, py) => fbm(px * freq, py * freq, seed, 3), 2 * freq);
  canvas.draw(
    ball,
    radialGradient(cx, cy + r * 0.15, [
      { at: 0, color: WHITE_HOT },
      { at: r * 0.45, color: YELLOW },
      { at: r * 0.95, color: ORANGE },
      { at: r * 1.5, color: RED },
    ]),
  );

  // Debris and sparks flung outwards.
  const debris = 8 + Math.round(14 * i);
  const dark: Rgb = [0.12, 0.1, 0.09];
  for (let k = 0; k < debris; k++) {
    const a = -Math.PI * rng.next() * 1.1 + 0.05;
    const d0 = r * (1.05 + 0.3 * rng.next());
    const d1 = d0 + r * (0.4 + 0.9 * rng.next());
    const spark = k % 3 === 0;
    canvas.line(
      [cx + Math.cos(a) * d0, cy + Math.sin(a) * d0],
      [cx + Math.cos(a) * d1, cy + Math.sin(a) * d1],
      spark ? 0.005 : 0.007,
      spark ? YELLOW : dark,
      spark ? { blend: 'add' } : {},
    );
  }
  // Dust thrown up where the blast meets the ground, half lit by the day and half by the fire.
  const dust = mix(SMOKE, params.groundColor, 0.4);
  canvas.draw(ellipse(cx, ground, r * 2, r * 0.35), mix(lit(light, dust), dust, 0.5), {
    alpha: 0.7 * i,
    soft: r * 0.4,
  });
}
