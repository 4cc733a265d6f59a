import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATOR_DESCRIPTION, Generator } from './generator.ts';
import { TINY_STYLEGAN2 } from './test-config.ts';

let dir: string;
let g: Generator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-generator-'));
  g = await Generator.create(TINY_STYLEGAN2, { seed: 3, wAvgSamples: 256 });
});
afterAll(async () => {
  await g.release();
  await rm(dir, { recursive: true, force: true });
});

describe('Generator', () => {
  it('describes its W+ space: L = 2 log2(R) - 2 styles of styleDim values', () => {
    expect([g.resolution, g.styleLayers, g.styleDim]).toEqual([16, 6, 16]);
    expect(g.description.wAvg).toHaveLength(16);
    expect(g.description.wAvg.some((v) => v !== 0)).toBe(true);
  });

  it('renders the same image for the same seed, different ones for different seeds, also after a save and load', async () => {
    const a = await g.sample(5, 0.7);
    const b = await g.sample(5, 0.7);
    const c = await g.sample(6, 0.7);
    expect(a.image).toEqual(b.image);
    expect(a.image).not.toEqual(c.image);
    expect(a.image.length).toBe(3 * 16 * 16);
    expect(a.image.every(Number.isFinite)).toBe(true);
    await g.save(join(dir, 'g'));
    const loaded = await Generator.load(join(dir, 'g'));
    expect((await loaded.sample(5, 0.7)).image).toEqual(a.image);
    await loaded.release();
  });

  it('truncates towards w_avg: psi 0 renders the average image for every seed', async () => {
    const a = await g.sample(1, 0);
    const b = await g.sample(2, 0);
    expect(Array.from(a.w)).toEqual(g.description.wAvg.map((v) => Math.fround(v)));
    expect(a.image).toEqual(b.image);
  });

  it('refuses latents of the wrong size, NaN, and truncation outside [0, 1]', async () => {
    await expect(g.synthesize(new Float32Array(5))).rejects.toMatchObject({ code: 'BAD_LATENT' });
    await expect(g.map(new Float32Array(16).fill(Number.NaN))).rejects.toMatchObject({ code: 'BAD_LATENT' });
    expect(() => g.truncate(new Float32Array(16), 1.5)).toThrow(
      expect.objectContaining({ code: 'BAD_LATENT' }),
    );
    await writeFile(join(dir, 'g', GENERATOR_DESCRIPTION), JSON.stringify({ ...g.description, wAvg: [1] }));
    await expect(Generator.load(join(dir, 'g'))).rejects.toMatchObject({ code: 'BAD_FOLDER' });
  });
});
