import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ImageDecodeError } from './errors.ts';
import { rgbaToPlanar, type RgbImage } from './rgb-image.ts';

export interface ImageLimits {
  /** Refuse files larger than this before looking inside. */
  maxBytes: number;
  /** Refuse images with more pixels than this, read from the header before any pixel is decoded. */
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = Object.freeze({
  maxBytes: 25 * 1024 * 1024,
  maxPixels: 40_000_000,
});

export type ImageFormat = 'png' | 'jpeg';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffImage(bytes: Uint8Array): ImageFormat | undefined {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/** PNG: width and height from IHDR, the first chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** JPEG: width and height from the first start-of-frame marker. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1]!;
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame)
      return { height: (bytes[i + 5]! << 8) | bytes[i + 6]!, width: (bytes[i + 7]! << 8) | bytes[i + 8]! };
    i += 2 + length;
  }
  return undefined;
}

/**
 * PNG or JPEG bytes to a planar RGB image. The header's size is checked against the limits before
 * decoding, so a small file that claims a gigapixel image costs nothing.
 */
export function decodeImage(bytes: Uint8Array, limits: Partial<ImageLimits> = {}): RgbImage {
  const lim = { ...DEFAULT_IMAGE_LIMITS, ...limits };
  if (bytes.length === 0) throw new ImageDecodeError('EMPTY', 'The image file is empty (0 bytes).');
  if (bytes.length > lim.maxBytes) {
    throw new ImageDecodeError(
      'TOO_LARGE',
      `The image is ${(bytes.length / 1048576).toFixed(1)} MiB; the limit is ${(lim.maxBytes / 1048576).toFixed(0)} MiB.`,
    );
  }
  const format = sniffImage(bytes);
  if (!format) {
    throw new ImageDecodeError(
      'UNSUPPORTED_FORMAT',
      'This is not a PNG or JPEG image. Save it as PNG or JPEG and try again.',
    );
  }
  const size = format === 'png' ? pngSize(bytes) : jpegSize(bytes);
  if (!size || size.width < 1 || size.height < 1) {
    throw new ImageDecodeError(
      'CORRUPT',
      `The ${format.toUpperCase()} header is damaged: no image size in it.`,
    );
  }
  if (size.width * size.height > lim.maxPixels) {
    throw new ImageDecodeError(
      'TOO_LARGE',
      `The image is ${size.width} x ${size.height} pixels; the limit is ${(lim.maxPixels / 1e6).toFixed(0)} megapixels.`,
    );
  }
  try {
    if (format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return rgbaToPlanar(png.data, png.width, png.height);
    }
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: lim.maxPixels / 1e6,
      maxMemoryUsageInMB: 1024,
    });
    return rgbaToPlanar(img.data, img.width, img.height);
  } catch (cause) {
    throw new ImageDecodeError(
      'CORRUPT',
      `The ${format.toUpperCase()} image could not be decoded: ${(cause as Error).message}`,
      { cause },
    );
  }
}
