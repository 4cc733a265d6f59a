import { Rng } from '@soundedit/models';
import { describe, expect, it } from 'vitest';
import { sampleFaceParams } from '../worlds/faces/index.ts';
import { sampleSceneParams } from '../worlds/scenes/index.ts';
import { generatorLatents } from './generator-latents.ts';
import { LatentRng } from './latent-rng.ts';
import { FACES, SCENES, sectionLayers } from './world-adapters.ts';

const D = 16;
const LAYERS = 10;
const latent = (seed: number) => new Rng(seed).fillNormal(new Float32Array(D));

describe('style-mixed latents', () => {
  it('read every section of both worlds from the layer that owns it, and one latent everywhere is the plain latent', () => {
    for (const world of [SCENES, FACES]) {
      const z = latent(1);
      const layerOf = sectionLayers(world, LAYERS);
      const plain = world.sample(new LatentRng(z), 0.2, { detailSeed: 1 }).probeTargets();
      const same = world
        .sample(new LatentRng(Array(LAYERS).fill(z), layerOf), 0.2, { detailSeed: 1 })
        .probeTargets();
      expect(same).toEqual(plain);
    }
    expect(() => sectionLayers(SCENES, LAYERS)('nose')).toThrow(/no style section 'nose'/);
  });

  it('take layout from the coarse layers and colour and time from the fine ones', () => {
    const [a, b] = [latent(2), latent(3)];
    const layerOf = sectionLayers(SCENES, LAYERS);
    // Coarse half from a, fine half from b.
    const perLayer = Array.from({ length: LAYERS }, (_, l) => (l < 5 ? a : b));
    const opts = { detailSeed: 1, editSampling: 'independent' } as const;
    const mixed = sampleSceneParams(new LatentRng(perLayer, layerOf), opts);
    const fromA = sampleSceneParams(new LatentRng(a), opts);
    const fromB = sampleSceneParams(new LatentRng(b), opts);
    expect(mixed.horizon).toBe(fromA.horizon);
    expect(mixed.ground).toBe(fromA.ground);
    expect(mixed.buildings.map((x) => x.x)).toEqual(fromA.buildings.map((x) => x.x));
    expect(mixed.edits.fire).toBe(fromA.edits.fire);
    expect(mixed.timeOfDay).toBe(fromB.timeOfDay);
    expect(mixed.edits.underwater).toBe(fromB.edits.underwater);
    expect(mixed.timeOfDay).not.toBe(fromA.timeOfDay);

    const faceLayers = sectionLayers(FACES, LAYERS);
    const face = sampleFaceParams(new LatentRng(perLayer, faceLayers), {
      detailSeed: 1,
      expressionSampling: 'independent',
    });
    const faceA = sampleFaceParams(new LatentRng(a), { detailSeed: 1, expressionSampling: 'independent' });
    const faceB = sampleFaceParams(new LatentRng(b), { detailSeed: 1, expressionSampling: 'independent' });
    expect(face.identity.faceWidth).toBe(faceA.identity.faceWidth);
    expect(face.identity.hair.style).toBe(faceA.identity.hair.style);
    expect(face.expression.giggling).toBe(faceA.expression.giggling);
    expect(face.identity.skinTone).toBe(faceB.identity.skinTone);
    expect(face.background.top).toEqual(faceB.background.top);
  });

  it('are built in the asked-for proportion, deterministically, with a z per layer only when mixed', () => {
    const options = { size: 16, styleDim: D, mixing: 0.5 };
    const a = generatorLatents(SCENES, options, new Rng(4), 40);
    const b = generatorLatents(SCENES, options, new Rng(4), 40);
    expect(b).toEqual(a);
    const mixed = a.filter((e) => e.z.length === 6 * D).length;
    expect(a.every((e) => e.z.length === D || e.z.length === 6 * D)).toBe(true);
    expect(mixed).toBeGreaterThan(8);
    expect(mixed).toBeLessThan(32);
    expect(
      generatorLatents(FACES, { ...options, mixing: 0 }, new Rng(4), 10).every((e) => e.z.length === D),
    ).toBe(true);
  });
});
