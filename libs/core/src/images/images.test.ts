import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeImage, sniffImage } from './decode-image.ts';
import { centerCrop, resizeBicubic, resizeShorterAndCrop } from './resize.ts';
import type { RgbImage } from './rgb-image.ts';

interface Case {
  kind: 'resize' | 'clip';
  width: number;
  height: number;
  target?: [number, number];
  size?: number;
  input: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/resize.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

/** HWC uint8 (PIL's layout) to planar [0, 1]. */
function fromHwc(values: number[], width: number, height: number): RgbImage {
  const n = width * height;
  const data = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) data[c * n + i] = values[3 * i + c]! / 255;
  return { width, height, data };
}

function rgba(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
) {
  const data = new Uint8Array(4 * width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), 4 * (y * width + x));
  return data;
}

function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
) {
  const image = new PNG({ width, height });
  image.data = Buffer.from(rgba(width, height, pixel));
  return new Uint8Array(PNG.sync.write(image));
}

describe('decodeImage', () => {
  it('decodes PNG (alpha over white) and JPEG to planar RGB in [0, 1]', () => {
    const p = decodeImage(png(3, 2, (x, y) => (x === 0 && y === 0 ? [255, 0, 0, 255] : [0, 0, 255, 0])));
    expect([p.width, p.height]).toEqual([3, 2]);
    expect([p.data[0], p.data[6], p.data[12]]).toEqual([1, 0, 0]);
    expect([p.data[1], p.data[7], p.data[13]]).toEqual([1, 1, 1]);
    const jpg = jpeg.encode({ width: 16, height: 8, data: rgba(16, 8, () => [200, 100, 50, 255]) }, 95).data;
    expect(sniffImage(jpg)).toBe('jpeg');
    const j = decodeImage(new Uint8Array(jpg));
    expect([j.width, j.height]).toEqual([16, 8]);
    expect(j.data[0]! * 255).toBeCloseTo(200, -1);
    expect(j.data[128]! * 255).toBeCloseTo(100, -1);
  });

  it('refuses empty, unknown, truncated and oversized images with typed errors', () => {
    const good = png(8, 8, () => [1, 2, 3, 255]);
    expect(() => decodeImage(new Uint8Array())).toThrow(expect.objectContaining({ code: 'EMPTY' }));
    expect(() => decodeImage(new TextEncoder().encode('not an image at all'))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_FORMAT' }),
    );
    expect(() => decodeImage(good.slice(0, good.length - 20))).toThrow(
      expect.objectContaining({ code: 'CORRUPT' }),
    );
    expect(() => decodeImage(good.slice(0, 20))).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
    // A header claiming 100k x 100k pixels is refused before any pixel is decoded.
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(16, 100_000);
    new DataView(huge.buffer).setUint32(20, 100_000);
    expect(() => decodeImage(huge)).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }));
    expect(() => decodeImage(good, { maxBytes: 10 })).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }));
  });

  it('survives random and cut bytes behind a valid signature without crashing', () => {
    const good = png(8, 8, (x, y) => [x * 30, y * 30, 0, 255]);
    let seed = 3;
    for (let trial = 0; trial < 100; trial++) {
      const bytes = good.slice(0, 8 + (trial % good.length));
      for (let i = 8; i < bytes.length; i++) {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        if (seed % 7 === 0) bytes[i] = seed >>> 24;
      }
      try {
        decodeImage(bytes);
      } catch (e) {
        expect((e as Error).name).toBe('ImageDecodeError');
      }
    }
  });
});

describe('resizing as PIL and torchvision do', () => {
  it.each(fixture.cases.map((c, i) => [i, c] as const))('case %i matches PIL within rounding', (_, c) => {
    const src = fromHwc(c.input, c.width, c.height);
    const [w, h] = c.kind === 'resize' ? c.target! : [c.size!, c.size!];
    const ours = c.kind === 'resize' ? resizeBicubic(src, w, h) : resizeShorterAndCrop(src, c.size!);
    const expected = fromHwc(c.output, w, h);
    expect([ours.width, ours.height]).toEqual([w, h]);
    let worst = 0;
    ours.data.forEach(
      (v, i) => (worst = Math.max(worst, Math.abs(Math.min(1, Math.max(0, v)) - expected.data[i]!))),
    );
    // PIL rounds its intermediate row pass to 8 bits; we keep floats, so allow two levels.
    expect(worst * 255).toBeLessThanOrEqual(2.01);
  });

  it('crops the centre and refuses a crop larger than the image', () => {
    const img = fromHwc(
      Array.from({ length: 5 * 3 * 3 }, (_, i) => i),
      5,
      3,
    );
    const c = centerCrop(img, 3, 1);
    expect(Array.from(c.data, (v) => Math.round(v * 255))).toEqual([18, 21, 24, 19, 22, 25, 20, 23, 26]);
    expect(() => centerCrop(img, 6, 1)).toThrow(RangeError);
  });
});
