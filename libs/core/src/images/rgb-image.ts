/** An RGB image as the networks take it: planar [3, height, width], values in [0, 1]. */
export interface RgbImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Interleaved 8-bit RGBA (what PNG and JPEG decoders return) to planar RGB in [0, 1]; alpha is composited on white. */
export function rgbaToPlanar(rgba: Uint8Array, width: number, height: number): RgbImage {
  const n = width * height;
  const data = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3]! / 255;
    for (let c = 0; c < 3; c++) data[c * n + i] = (rgba[4 * i + c]! / 255) * a + (1 - a);
  }
  return { width, height, data };
}
