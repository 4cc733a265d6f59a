import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode-image.ts';
import { encodePicturePng, encodeSideBySidePng, encodeTrajectoryGif } from './encode-picture.ts';

/** A 4x4 picture in [-1, 1] whose pixels all differ. */
function picture(shift = 0): Float32Array {
  return Float32Array.from({ length: 3 * 16 }, (_, i) => ((i * 7 + shift) % 17) / 8 - 1);
}

describe('picture encoders', () => {
  it('write a PNG that decodes back to the same 8-bit pixels, upscaled by nearest neighbour', () => {
    const image = picture();
    const decoded = decodeImage(encodePicturePng(image, 4, 2));
    expect([decoded.width, decoded.height]).toEqual([8, 8]);
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) {
          const want = Math.round(255 * ((image[c * 16 + (y >> 1) * 4 + (x >> 1)]! + 1) / 2)) / 255;
          expect(decoded.data[c * 64 + y * 8 + x]).toBeCloseTo(want, 5);
        }
  });

  it('put pictures side by side with a white gutter', () => {
    const decoded = decodeImage(encodeSideBySidePng([picture(), picture(3)], 4, 1));
    expect([decoded.width, decoded.height]).toEqual([4 + 4 + 4, 4]);
    expect(decoded.data[5]).toBe(1);
  });

  it('write a looping GIF with one frame per trajectory step', () => {
    const gif = encodeTrajectoryGif([picture(), picture(1), picture(2)], 4, 1);
    expect(new TextDecoder().decode(gif.subarray(0, 6))).toBe('GIF89a');
    // One image descriptor (0x2c after a graphic control extension) per frame.
    let frames = 0;
    for (let i = 0; i + 8 < gif.length; i++)
      if (gif[i] === 0x21 && gif[i + 1] === 0xf9 && gif[i + 8] === 0x2c) frames++;
    expect(frames).toBe(3);
  });
});
