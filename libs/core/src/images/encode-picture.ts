// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the untyped package's declarations travel with this source to every package that compiles it
/// <reference path="./gifenc.d.ts" />
import * as gifencModule from 'gifenc';
import type { GifencApi } from 'gifenc';
import { PNG } from 'pngjs';

// Node loads gifenc's CommonJS build (all of it on `default`); Vite-based runners its ES build,
// whose default is GIFEncoder alone and whose functions are named exports.
const gifenc: GifencApi =
  typeof gifencModule.GIFEncoder === 'function'
    ? (gifencModule as unknown as GifencApi)
    : gifencModule.default;

/** A generator picture ([3, size, size] in [-1, 1]) as 8-bit RGBA, upscaled `scale` times (nearest). */
export function pictureToRgba(
  image: Float32Array,
  size: number,
  scale = 1,
): { rgba: Uint8Array; side: number } {
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

/** A generator picture as a PNG file's bytes, upscaled `scale` times. */
export function encodePicturePng(image: Float32Array, size: number, scale = 4): Uint8Array {
  const { rgba, side } = pictureToRgba(image, size, scale);
  const png = new PNG({ width: side, height: side });
  png.data = Buffer.from(rgba);
  return new Uint8Array(PNG.sync.write(png));
}

/** Pictures next to each other with a 4-pixel white gutter, as PNG bytes. */
export function encodeSideBySidePng(images: readonly Float32Array[], size: number, scale = 4): Uint8Array {
  const tiles = images.map((im) => pictureToRgba(im, size, scale));
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
  return new Uint8Array(PNG.sync.write(png));
}

/**
 * The optimisation trajectory as an animated GIF (gifenc: pure JS, MIT; one palette per frame),
 * looping, holding on the last frame.
 */
export function encodeTrajectoryGif(frames: readonly Float32Array[], size: number, scale = 4): Uint8Array {
  const gif = gifenc.GIFEncoder();
  frames.forEach((frame, k) => {
    const { rgba, side } = pictureToRgba(frame, size, scale);
    const palette = gifenc.quantize(rgba, 256);
    gif.writeFrame(gifenc.applyPalette(rgba, palette), side, side, {
      palette,
      delay: k === frames.length - 1 ? 1500 : 80,
    });
  });
  gif.finish();
  return gif.bytes();
}
