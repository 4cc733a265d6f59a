import { writeFile } from 'node:fs/promises';
import type { RgbImage } from '@soundedit/core';
import { PNG } from 'pngjs';

/** Planar float RGB in [0, 1] to an 8-bit PNG file. */
export async function writePng(image: RgbImage, file: string): Promise<void> {
  const { width, height, data } = image;
  const png = new PNG({ width, height });
  const n = width * height;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++)
      png.data[4 * i + c] = Math.round(Math.min(1, Math.max(0, data[c * n + i]!)) * 255);
    png.data[4 * i + 3] = 255;
  }
  await writeFile(file, PNG.sync.write(png));
}

/**
 * Tiles equally sized images into a grid (row-major, `columns` wide) with a `gap`-pixel border,
 * each tile upscaled `zoom` times by nearest neighbour so small renders are easy to inspect.
 */
export function tileImages(images: readonly RgbImage[], columns: number, zoom = 1, gap = 2): RgbImage {
  const tile = images[0]!;
  const tw = tile.width * zoom;
  const th = tile.height * zoom;
  const rows = Math.ceil(images.length / columns);
  const width = columns * tw + (columns + 1) * gap;
  const height = rows * th + (rows + 1) * gap;
  const data = new Float32Array(3 * width * height).fill(1);
  const plane = width * height;
  images.forEach((img, k) => {
    const ox = gap + (k % columns) * (tw + gap);
    const oy = gap + Math.floor(k / columns) * (th + gap);
    const n = img.width * img.height;
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        const src = Math.floor(y / zoom) * img.width + Math.floor(x / zoom);
        const dst = (oy + y) * width + ox + x;
        for (let c = 0; c < 3; c++) data[c * plane + dst] = img.data[c * n + src]!;
      }
    }
  });
  return { width, height, data };
}
