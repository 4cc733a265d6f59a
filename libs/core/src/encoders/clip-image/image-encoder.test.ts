import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IMAGE_ENCODER_DESCRIPTION,
  ImageEncoder,
  preprocessImage,
  CLIP_MEAN,
  CLIP_STD,
} from './image-encoder.ts';

const VIT = { inputResolution: 32, patchSize: 8, width: 32, layers: 1, heads: 2, outputDim: 16 };
let dir: string;

function pixels(w: number, h: number, rgb: [number, number, number]): Uint8Array {
  const data = new Uint8Array(4 * w * h);
  for (let i = 0; i < w * h; i++) data.set([...rgb, 255], 4 * i);
  return data;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-image-'));
  const png = new PNG({ width: 40, height: 30 });
  png.data = Buffer.from(pixels(40, 30, [250, 20, 20]));
  await writeFile(join(dir, 'red.png'), PNG.sync.write(png));
  await writeFile(
    join(dir, 'red.jpg'),
    jpeg.encode({ width: 40, height: 30, data: pixels(40, 30, [250, 20, 20]) }, 100).data,
  );
  const blue = new PNG({ width: 30, height: 50 });
  blue.data = Buffer.from(pixels(30, 50, [20, 20, 250]));
  await writeFile(join(dir, 'blue.png'), PNG.sync.write(blue));
  await writeFile(join(dir, 'fake.png'), 'this is text');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ImageEncoder', () => {
  it("normalises with CLIP's mean and std after resizing and cropping", () => {
    const out = preprocessImage(
      { width: 4, height: 2, data: new Float32Array(24).fill(1) },
      { size: 2, mean: CLIP_MEAN, std: CLIP_STD },
    );
    expect(out.length).toBe(12);
    expect(out[0]).toBeCloseTo((1 - CLIP_MEAN[0]) / CLIP_STD[0], 5);
    expect(out[11]).toBeCloseTo((1 - CLIP_MEAN[2]) / CLIP_STD[2], 5);
  });

  it('embeds PNG and JPEG files to unit rows; the same picture in both formats lands in the same place', async () => {
    const encoder = await ImageEncoder.create(VIT, { seed: 1 });
    const rows = await encoder.embed([join(dir, 'red.png'), join(dir, 'red.jpg'), join(dir, 'blue.png')]);
    const row = (i: number) => rows.subarray(i * 16, (i + 1) * 16);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
    expect(Math.hypot(...row(0))).toBeCloseTo(1, 5);
    expect(dot(row(0), row(1))).toBeGreaterThan(0.999);
    expect(dot(row(0), row(2))).toBeLessThan(dot(row(0), row(1)));
    await expect(encoder.embed([join(dir, 'fake.png')])).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
    });

    await encoder.save(join(dir, 'folder'));
    const loaded = await ImageEncoder.load(join(dir, 'folder'));
    expect(await loaded.embed([join(dir, 'blue.png')])).toEqual(row(2));
    await Promise.all([encoder.release(), loaded.release()]);
  });

  it('refuses damaged folders and unusable preprocessing', async () => {
    await expect(ImageEncoder.load(join(dir, 'nowhere'))).rejects.toMatchObject({ code: 'BAD_FOLDER' });
    await writeFile(
      join(dir, 'folder', IMAGE_ENCODER_DESCRIPTION),
      JSON.stringify({ format: 'other', version: 1 }),
    );
    await expect(ImageEncoder.load(join(dir, 'folder'))).rejects.toMatchObject({ code: 'BAD_FOLDER' });
    await expect(ImageEncoder.create(VIT, { std: [1, 0, 1] })).rejects.toMatchObject({ code: 'BAD_CONFIG' });
  });
});
