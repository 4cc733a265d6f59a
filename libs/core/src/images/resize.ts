import type { RgbImage } from './rgb-image.ts';

/** Keys' cubic convolution kernel with a = -0.5, as PIL's BICUBIC filter. */
function cubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

interface Taps {
  first: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  stride: number;
}

/**
 * Per output position, the input taps and normalised weights of PIL's resampling: when shrinking
 * the kernel is widened by the scale, so every input pixel contributes (antialiasing) rather than
 * the few nearest the sample point, which is what makes a downscaled photo look like PIL's.
 */
function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const stride = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * stride);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const lo = Math.max(Math.trunc(center - support + 0.5), 0);
    const hi = Math.min(Math.trunc(center + support + 0.5), inSize);
    let total = 0;
    for (let i = lo; i < hi; i++) {
      const w = cubic((i - center + 0.5) / filterScale);
      weights[o * stride + i - lo] = w;
      total += w;
    }
    if (total !== 0)
      for (let i = 0; i < hi - lo; i++) weights[o * stride + i] = weights[o * stride + i]! / total;
    first[o] = lo;
    count[o] = hi - lo;
  }
  return { first, count, weights, stride };
}

/** Bicubic resize (PIL's BICUBIC with antialiasing), horizontal pass then vertical, in float, kept in [0, 1]. */
export function resizeBicubic(image: RgbImage, width: number, height: number): RgbImage {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`resize target must be positive whole pixels, got ${width} x ${height}`);
  }
  const { width: w0, height: h0, data } = image;
  const across = taps(w0, width);
  const down = taps(h0, height);
  const mid = new Float32Array(3 * h0 * width);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < h0; y++) {
      const row = c * h0 * w0 + y * w0;
      for (let x = 0; x < width; x++) {
        let s = 0;
        const lo = across.first[x]!;
        for (let k = 0; k < across.count[x]!; k++)
          s += data[row + lo + k]! * across.weights[x * across.stride + k]!;
        // Clipped between passes as PIL's 8-bit images are: cubic overshoot must not feed the next pass.
        mid[c * h0 * width + y * width + x] = Math.min(1, Math.max(0, s));
      }
    }
  }
  const out = new Float32Array(3 * height * width);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < height; y++) {
      const lo = down.first[y]!;
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let k = 0; k < down.count[y]!; k++) {
          s += mid[c * h0 * width + (lo + k) * width + x]! * down.weights[y * down.stride + k]!;
        }
        out[c * height * width + y * width + x] = Math.min(1, Math.max(0, s));
      }
    }
  }
  return { width, height, data: out };
}

/** Python's round(): halves go to the even neighbour, as torchvision's CenterCrop computes its offsets. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The central width x height window, at torchvision's CenterCrop offsets. */
export function centerCrop(image: RgbImage, width: number, height: number): RgbImage {
  if (width > image.width || height > image.height) {
    throw new RangeError(`cannot crop ${width} x ${height} out of ${image.width} x ${image.height}`);
  }
  const left = roundHalfEven((image.width - width) / 2);
  const top = roundHalfEven((image.height - height) / 2);
  const out = new Float32Array(3 * width * height);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < height; y++) {
      const from = c * image.width * image.height + (top + y) * image.width + left;
      out.set(image.data.subarray(from, from + width), c * width * height + y * width);
    }
  }
  return { width, height, data: out };
}

/** CLIP's preprocessing geometry: shorter side to `size` (bicubic), then the central size x size square. */
export function resizeShorterAndCrop(image: RgbImage, size: number): RgbImage {
  const short = Math.min(image.width, image.height);
  // torchvision's Resize(int): the longer side is truncated, not rounded.
  const width = image.width === short ? size : Math.trunc((size * image.width) / short);
  const height = image.height === short ? size : Math.trunc((size * image.height) / short);
  return centerCrop(resizeBicubic(image, width, height), size, size);
}
