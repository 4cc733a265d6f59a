import { Rng } from '@soundedit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import { Generator } from '../generator/generator.ts';
import { TINY_STYLEGAN2 } from '../generator/test-config.ts';
import { defaultEditSettings } from './edit-settings.ts';
import { LatentEditor, toUnitImage } from './latent-edit.ts';

let generator: Generator;
let image: ImageEncoder;
let identity: ImageEncoder;
let editor: LatentEditor;
let source: Float32Array;
let target: Float32Array;

beforeAll(async () => {
  generator = await Generator.create(TINY_STYLEGAN2, { seed: 1, wAvgSamples: 64 });
  image = await ImageEncoder.create(
    { inputResolution: 16, patchSize: 4, width: 16, layers: 1, heads: 2, outputDim: 12 },
    { seed: 2 },
  );
  identity = await ImageEncoder.create(
    { inputResolution: 16, patchSize: 8, width: 16, layers: 1, heads: 2, outputDim: 8 },
    { seed: 3, kind: 'identity' },
  );
  editor = await LatentEditor.create({ generator, image, identity });
  source = (await generator.sample(5, 0.7)).wPlus;
  // A fixed direction of the space: random towers embed every picture almost alike, so another
  // picture's embedding would be too close to the start to show movement.
  target = new Rng(9).fillNormal(new Float32Array(12));
});
afterAll(async () => {
  await editor.release();
  await Promise.all([generator.release(), image.release(), identity.release()]);
});

describe('LatentEditor', () => {
  it('moves the picture towards the target embedding, records every step, and is deterministic', async () => {
    const settings = defaultEditSettings({ steps: 40, lr: 0.1, lambdaSim: 0, mask: 'off', previewEvery: 10 });
    const before = await image.embedImages([
      toUnitImage(await generator.synthesize(source), generator.resolution),
    ]);
    const norm = Math.hypot(...target);
    const startCos = before.reduce((s, v, i) => s + (v * target[i]!) / norm, 0);
    const result = await editor.edit(source, target, settings);
    expect(result.finalCosine).toBeGreaterThan(startCos + 0.05);
    expect(result.steps).toHaveLength(40);
    expect(result.steps.at(-1)!.cosine).toBeLessThan(result.steps[0]!.cosine);
    expect(result.frames).toHaveLength(6);
    expect(result.layerWeights.every((g) => g === 0)).toBe(true);
    const again = await editor.edit(source, target, settings);
    expect(again.wPlus).toEqual(result.wPlus);
  });

  it('keeps the latent closer to the source with the penalty, and learns layer weights in adaptive mode', async () => {
    const free = await editor.edit(
      source,
      target,
      defaultEditSettings({ steps: 30, mask: 'off', previewEvery: 0 }),
    );
    const held = await editor.edit(
      source,
      target,
      defaultEditSettings({ steps: 30, mask: 'l2', lambdaSim: 0.5, previewEvery: 0 }),
    );
    const total = (c: number[]) => c.reduce((s, v) => s + v, 0);
    expect(total(held.layerChange)).toBeLessThan(0.8 * total(free.layerChange));
    const adaptive = await editor.edit(
      source,
      target,
      defaultEditSettings({ steps: 30, mask: 'adaptive', lambdaSim: 0.5, previewEvery: 0 }),
    );
    expect(adaptive.layerWeights).toHaveLength(generator.styleLayers);
    expect(new Set(adaptive.layerWeights.map((g) => g.toFixed(6))).size).toBeGreaterThan(1);
    const withId = await editor.edit(
      source,
      target,
      defaultEditSettings({ steps: 10, lambdaId: 0.5, previewEvery: 0 }),
    );
    expect(withId.identitySimilarity).toBeGreaterThan(0.5);
  });

  it("moves every layer by the same step in 'w' space, and each layer on its own in 'w+'", async () => {
    const L = generator.styleLayers;
    const D = generator.styleDim;
    const moves = async (space: 'w' | 'w+') => {
      const r = await editor.edit(source, target, defaultEditSettings({ steps: 8, lambdaSim: 0.01, space }));
      return Array.from({ length: L }, (_, l) =>
        Array.from({ length: D }, (_, d) => r.wPlus[l * D + d]! - source[l * D + d]!),
      );
    };
    const shared = await moves('w');
    expect(Math.max(...shared[0]!.map(Math.abs))).toBeGreaterThan(1e-3);
    for (const layer of shared.slice(1)) {
      layer.forEach((v, d) => expect(v).toBeCloseTo(shared[0]![d]!, 5));
    }
    const own = await moves('w+');
    const spread = Math.max(...own[0]!.map((v, d) => Math.abs(v - own[L - 1]![d]!)));
    expect(spread).toBeGreaterThan(1e-3);
    await expect(
      editor.edit(source, target, defaultEditSettings({ space: 'z' as 'w' })),
    ).rejects.toMatchObject({ code: 'BAD_SETTING', subject: 'space' });
  });

  it('refuses bad settings and inputs before running anything', async () => {
    await expect(editor.edit(source, target, defaultEditSettings({ steps: 0 }))).rejects.toMatchObject({
      code: 'BAD_SETTING',
      subject: 'steps',
    });
    await expect(
      editor.edit(source, target, defaultEditSettings({ lambdaSim: Number.NaN })),
    ).rejects.toMatchObject({ code: 'BAD_SETTING' });
    await expect(editor.edit(source, new Float32Array(12), defaultEditSettings())).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    await expect(editor.edit(source.subarray(1), target, defaultEditSettings())).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    const noId = await LatentEditor.create({ generator, image });
    await expect(noId.edit(source, target, defaultEditSettings({ lambdaId: 0.1 }))).rejects.toMatchObject({
      code: 'MISSING_PART',
    });
    await noId.release();
  });
});
