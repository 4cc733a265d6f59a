import { writeFile } from 'node:fs/promises';
import gifenc from 'gifenc';
import { PNG } from 'pngjs';

/** A generator picture ([3, size, size] in [-1, 1]) as 8-bit RGBA, upscaled `scale` times (nearest). */
export function toRgba(image: Float32Array, size: number, scale = 1): { rgba: Uint8Array; side: number } {
  const side = size * scale;
  const rgba = new Uint8Array(4 * side * side);
  const n = size * size;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = Math.floor(y / scale) * size + Math.floor(x / scale);
      const at = 4 * (y * side + x);
      for (let c = 0; c < 3; c++)
        rgba[at + c] = Math.round(255 * Math.min(1, Math.max(0, (image[c * n + i]! + 1) / 2)));
      rgba[at + 3] = 255;
    }
  }
  return { rgba, side };
}

export async function writePicture(
  file: string,
  image: Float32Array,
  size: number,
  scale = 4,
): Promise<void> {
  const { rgba, side } = toRgba(image, size, scale);
  const png = new PNG({ width: side, height: side });
  png.data = Buffer.from(rgba);
  await writeFile(file, PNG.sync.write(png));
}

/** Pictures next to each other with a 4-pixel white gutter. */
export async function writeSideBySide(
  file: string,
  images: Float32Array[],
  size: number,
  scale = 4,
): Promise<void> {
  const tiles = images.map((im) => toRgba(im, size, scale));
  const side = size * scale;
  const gutter = 4;
  const width = tiles.length * side + (tiles.length - 1) * gutter;
  const png = new PNG({ width, height: side });
  png.data.fill(255);
  tiles.forEach((t, k) => {
    for (let y = 0; y < side; y++) {
      const from = 4 * y * side;
      png.data.set(t.rgba.subarray(from, from + 4 * side), 4 * (y * width + k * (side + gutter)));
    }
  });
  await writeFile(file, PNG.sync.write(png));
}

/** The optimisation trajectory as an animated GIF (one palette per frame), holding on the last frame. */
export async function writeTrajectoryGif(
  file: string,
  frames: Float32Array[],
  size: number,
  scale = 4,
): Promise<void> {
  const gif = gifenc.GIFEncoder();
  frames.forEach((frame, k) => {
    const { rgba, side } = toRgba(frame, size, scale);
    const palette = gifenc.quantize(rgba, 256);
    gif.writeFrame(gifenc.applyPalette(rgba, palette), side, side, {
      palette,
      delay: k === frames.length - 1 ? 1500 : 80,
    });
  });
  gif.finish();
  await writeFile(file, gif.bytes());
}
