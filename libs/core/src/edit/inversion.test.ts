import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import { Generator } from '../generator/generator.ts';
import { TINY_STYLEGAN2 } from '../generator/test-config.ts';
import { Inverter } from './inversion.ts';

let generator: Generator;
let image: ImageEncoder;
beforeAll(async () => {
  generator = await Generator.create(TINY_STYLEGAN2, { seed: 1, wAvgSamples: 64 });
  image = await ImageEncoder.create({
    inputResolution: 16,
    patchSize: 8,
    width: 16,
    layers: 1,
    heads: 2,
    outputDim: 8,
  });
});
afterAll(async () => {
  await Promise.all([generator.release(), image.release()]);
});

describe('Inverter', () => {
  it("reconstructs a picture the generator can make far better than w_avg's picture does", async () => {
    const made = await generator.sample(11, 1);
    // A picture twice the generator's size, as a user's upload would be: the inverter crops and resizes it.
    const big = { width: 32, height: 32, data: new Float32Array(3 * 32 * 32) };
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++)
          big.data[c * 1024 + y * 32 + x] = Math.min(
            1,
            Math.max(0, (made.image[c * 256 + (y >> 1) * 16 + (x >> 1)]! + 1) / 2),
          );
    for (const space of ['w+', 'w'] as const) {
      const inverter = await Inverter.create(generator, image, space);
      const start = await inverter.invert(big, { steps: 1 });
      const result = await inverter.invert(big, { steps: 120, lr: 0.1 });
      expect(result.losses.at(-1)!).toBeLessThan(0.7 * result.losses[0]!);
      expect(result.psnr).toBeGreaterThan(start.psnr + 3);
      expect(result.wPlus).toHaveLength(generator.styleLayers * generator.styleDim);
      await expect(inverter.invert(big, { steps: 0 })).rejects.toMatchObject({ code: 'BAD_SETTING' });
      await inverter.release();
    }
  }, 120_000);
});
