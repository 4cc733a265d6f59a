import type { LatentTarget } from '@soundedit/core';
import { styleGan2NumLatents, type Rng } from '@soundedit/models';
import { LatentRng } from './latent-rng.ts';
import { toBytes } from './picture-set.ts';
import { sectionLayers, type World } from './world-adapters.ts';

/**
 * Scattered details (stars, raindrops, freckles) seeded from a latent would be noise the regressed
 * generator can only blur; with one fixed seed they follow the other parameters.
 */
const GENERATOR_DETAIL_SEED = 0x51de;
/**
 * Chance of each edit in a generator latent (at intensity 0.25 or more), drawn independently. One
 * categorical draw for "which edit" made neighbouring latents jump between unrelated edits, and the
 * regressed generator learnt none of them (measured: no edit visible in 64 samples after 5000
 * steps). Intensities follow independentEditIntensity, which has no flat "no edit" region.
 */
const GENERATOR_EDIT_PROBABILITY = 0.2;

export interface GeneratorLatentOptions {
  size: number;
  styleDim: number;
  /**
   * Fraction of latents that are style-mixed: two latents spread over the style layers at random,
   * each layer drawing the sections it owns (World.styleSections) from its own latent. Training on
   * them is what makes a W+ code (a different w per layer) decode to a valid picture whose every
   * part comes from the layer that owns it; a generator regressed on single latents only ever sees
   * one w broadcast to every layer, and W+ edits then leave its manifold.
   */
  mixing: number;
}

/** `count` latents of a world with the renderer's picture of each: the generator's regression data. */
export function generatorLatents(
  world: World,
  o: GeneratorLatentOptions,
  rng: Rng,
  count: number,
): LatentTarget[] {
  const layers = styleGan2NumLatents(o.size);
  const layerOf = sectionLayers(world, layers);
  return Array.from({ length: count }, () => {
    const first = rng.fillNormal(new Float32Array(o.styleDim));
    const mixed = rng.next() < o.mixing;
    const second = rng.fillNormal(new Float32Array(o.styleDim));
    const perLayer = Array.from({ length: layers }, () => (rng.next() < 0.5 ? first : second));
    const sampler = mixed ? new LatentRng(perLayer, layerOf) : new LatentRng(first);
    const sample = world.sample(sampler, GENERATOR_EDIT_PROBABILITY, { detailSeed: GENERATOR_DETAIL_SEED });
    const pixels = toBytes(sample.render(o.size).data);
    if (!mixed) return { z: first, pixels };
    const z = new Float32Array(layers * o.styleDim);
    perLayer.forEach((latent, l) => z.set(latent, l * o.styleDim));
    return { z, pixels };
  });
}
