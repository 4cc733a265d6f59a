import { describe, expect, it } from 'vitest';
import { fbm, hash2, layerSeed, valueNoise } from './noise.ts';
import { Canvas, verticalGradient } from './raster.ts';
import { circle, ellipse, polygon, rect, roughen, subtract, union } from './shapes.ts';

const WHITE = [1, 1, 1] as const;

/** Total ink in channel 0: the area covered, in pixels, for a white shape on black. */
function ink(canvas: Canvas): number {
  let sum = 0;
  for (let i = 0; i < canvas.width * canvas.height; i++) sum += canvas.data[i]!;
  return sum;
}

describe('shapes', () => {
  it('give negative distances inside, positive outside, zero on the outline', () => {
    const c = circle(0.5, 0.5, 0.2);
    expect(c.distance(0.5, 0.5)).toBeCloseTo(-0.2);
    expect(c.distance(0.8, 0.5)).toBeCloseTo(0.1);
    const e = ellipse(0.5, 0.5, 0.3, 0.1);
    expect(e.distance(0.8, 0.5)).toBeCloseTo(0, 6);
    expect(e.distance(0.5, 0.65)).toBeCloseTo(0.05, 6);
    const tri = polygon([
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(tri.distance(0.2, 0.2)).toBeLessThan(0);
    expect(tri.distance(0.8, 0.8)).toBeCloseTo(Math.SQRT2 * 0.3, 6);
  });

  it('combine by min and max', () => {
    const a = circle(0.3, 0.5, 0.1);
    const b = circle(0.7, 0.5, 0.1);
    expect(union(a, b).distance(0.7, 0.5)).toBeCloseTo(-0.1);
    const ring = subtract(circle(0.5, 0.5, 0.2), circle(0.5, 0.5, 0.1));
    expect(ring.distance(0.5, 0.5)).toBeGreaterThan(0);
    expect(ring.distance(0.65, 0.5)).toBeLessThan(0);
  });
});

describe('Canvas', () => {
  it('antialiases: a disc covers its area to within a fraction of a pixel row', () => {
    const canvas = new Canvas(64, 64);
    canvas.draw(circle(0.5, 0.5, 0.3), WHITE);
    const exact = Math.PI * (0.3 * 64) ** 2;
    expect(Math.abs(ink(canvas) - exact) / exact).toBeLessThan(0.005);
    // Edge pixels are partially covered, not just 0 or 1.
    const partial = Array.from(canvas.data.subarray(0, 64 * 64)).filter((v) => v > 0.05 && v < 0.95).length;
    expect(partial).toBeGreaterThan(40);
  });

  it('fades a layer in: a share of what the layer changed, nothing at 0, all of it at 1', () => {
    const inkOf = (amount: number) => {
      const canvas = new Canvas(32, 32);
      canvas.fadeIn(amount, () => canvas.draw(circle(0.5, 0.5, 0.3), WHITE));
      return ink(canvas);
    };
    expect(inkOf(0)).toBe(0);
    expect(inkOf(0.25) / inkOf(1)).toBeCloseTo(0.25, 5);
    expect(inkOf(2)).toBe(inkOf(1));
  });

  it('keeps the ink of sub-pixel strokes', () => {
    const thin = new Canvas(64, 64);
    thin.line([0.1, 0.5], [0.9, 0.5], 0.25 / 64, WHITE);
    const thick = new Canvas(64, 64);
    thick.line([0.1, 0.5], [0.9, 0.5], 2 / 64, WHITE);
    // 0.25 px wide vs 2 px wide: an eighth of the ink (the round caps add a little to the thick one).
    expect(ink(thin) / ink(thick)).toBeGreaterThan(0.11);
    expect(ink(thin) / ink(thick)).toBeLessThan(0.135);
  });

  it('skips settled pixels without changing the picture', () => {
    // A large roughened shape exercises the distance-based skipping with a non-exact distance.
    const shape = roughen(rect(0.1, 0.1, 0.9, 0.9, 0.1), 0.08, (x, y) => fbm(x * 30, y * 30, 3, 3), 60);
    const canvas = new Canvas(96, 96);
    canvas.draw(shape, WHITE);
    for (let py = 0; py < 96; py++) {
      for (let px = 0; px < 96; px++) {
        const d = shape.distance((px + 0.5) / 96, (py + 0.5) / 96) * 96;
        const expected = Math.min(1, Math.max(0, 0.5 - d));
        expect(canvas.data[py * 96 + px]).toBeCloseTo(expected, 5);
      }
    }
  });

  it('blends over and adds light', () => {
    const canvas = new Canvas(8, 8);
    canvas.fill([0.2, 0.2, 0.2]);
    canvas.draw(rect(0, 0, 1, 1), [1, 0, 0], { alpha: 0.5 });
    expect(canvas.data[0]).toBeCloseTo(0.6);
    expect(canvas.data[64]).toBeCloseTo(0.1);
    canvas.draw(rect(0, 0, 1, 1), [1, 1, 1], { blend: 'add', alpha: 0.5 });
    expect(canvas.data[64]).toBeCloseTo(0.6);
  });

  it('paints gradients by position', () => {
    const canvas = new Canvas(4, 64);
    canvas.fill(
      verticalGradient([
        { at: 0, color: [0, 0, 0] },
        { at: 64 / 4, color: [1, 1, 1] },
      ]),
    );
    expect(canvas.data[0]).toBeLessThan(0.02);
    expect(canvas.data[63 * 4]).toBeGreaterThan(0.98);
  });

  it('zooms about a centre point', () => {
    const canvas = new Canvas(64, 64, { zoom: 2, centerX: 0.5, centerY: 0.5 });
    canvas.draw(circle(0.5, 0.5, 0.1), WHITE);
    expect(ink(canvas)).toBeCloseTo(Math.PI * (0.1 * 128) ** 2, -1);
  });

  it('clamps to [0, 1] and turns NaN into 0 in the finished image', () => {
    const canvas = new Canvas(2, 2);
    canvas.data.set([2, -1, Number.NaN, 0.5]);
    expect(Array.from(canvas.toImage().data.subarray(0, 4))).toEqual([1, 0, 0, 0.5]);
  });
});

describe('noise', () => {
  it('is deterministic, seeded and in [0, 1]', () => {
    expect(valueNoise(1.3, 2.7, 5)).toBe(valueNoise(1.3, 2.7, 5));
    expect(valueNoise(1.3, 2.7, 5)).not.toBe(valueNoise(1.3, 2.7, 6));
    for (let i = 0; i < 500; i++) {
      const v = fbm(i * 0.37, i * 0.11, 9, 4);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      expect(hash2(i, -i, 3)).toBeLessThan(1);
    }
    expect(layerSeed(1, 'rain')).not.toBe(layerSeed(1, 'fire'));
  });
});
