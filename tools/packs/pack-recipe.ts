import type { AudioEncoderConfig } from '@soundedit/core';
import { librosaLogMelDefaults } from '@soundedit/core';
import type { StyleGan2Config, VisionTransformerConfig } from '@soundedit/models';

/**
 * Everything that sizes a pack build: how many pictures and sounds, network widths, steps. `full`
 * is what the committed packs are built with; `smoke` runs every stage in seconds for tests.
 */
export interface PackRecipe {
  size: number;
  embedDim: number;
  pictures: number;
  validationPictures: number;
  captionsPerPicture: number;
  clip: {
    vit: VisionTransformerConfig;
    text: { width: number; layers: number; heads: number; contextLength: number };
    batch: number;
    steps: number;
    lr: number;
  };
  generator: {
    config: StyleGan2Config;
    latents: number;
    /** Fraction of style-mixed latents (see generatorLatents). */
    mixing: number;
    batch: number;
    steps: number;
    lr: number;
  };
  identity: { vit: VisionTransformerConfig; pairs: number; batch: number; steps: number };
  probe: { vit: Omit<VisionTransformerConfig, 'outputDim'>; batch: number; steps: number };
  audio: {
    encoder: AudioEncoderConfig;
    clipsPerClass: number;
    heldOutPerClass: number;
    /** Most real recordings per class taken from ../shared (all of them when absent). */
    realPerClass?: number;
    batch: number;
    steps: number;
    lr: number;
  };
  checkpointEvery: number;
}

export const RECIPE_NAMES = ['full', 'smoke'] as const;
export type RecipeName = (typeof RECIPE_NAMES)[number];

function audioEncoder(baseWidth: number, embedDim: number, nMels: number): AudioEncoderConfig {
  return {
    arch: 'resnet18',
    baseWidth,
    outputDim: embedDim,
    logMel: {
      ...librosaLogMelDefaults(16_000),
      nFft: 1024,
      winLength: 1024,
      hop: 256,
      nMels,
      ref: 'max',
      normalise: true,
    },
    clipSeconds: 2,
    crop: 'center',
    pad: 'end',
    batchSize: 16,
  };
}

export function packRecipe(name: RecipeName): PackRecipe {
  if (name === 'smoke') {
    const embedDim = 16;
    return {
      size: 16,
      embedDim,
      pictures: 64,
      validationPictures: 16,
      captionsPerPicture: 2,
      clip: {
        vit: { inputResolution: 16, patchSize: 8, width: 16, layers: 1, heads: 2, outputDim: embedDim },
        text: { width: 16, layers: 1, heads: 2, contextLength: 24 },
        batch: 16,
        steps: 4,
        lr: 1e-3,
      },
      generator: {
        config: {
          size: 16,
          styleDim: 16,
          nMlp: 2,
          lrMlp: 0.01,
          blurKernel: [1, 3, 3, 1],
          channels: { 4: 16, 8: 16, 16: 8 },
        },
        latents: 32,
        mixing: 0.5,
        batch: 8,
        steps: 4,
        lr: 2e-3,
      },
      identity: {
        vit: { inputResolution: 16, patchSize: 8, width: 16, layers: 1, heads: 2, outputDim: 8 },
        pairs: 32,
        batch: 8,
        steps: 4,
      },
      probe: {
        vit: { inputResolution: 16, patchSize: 8, width: 16, layers: 1, heads: 2 },
        batch: 8,
        steps: 4,
      },
      audio: {
        encoder: audioEncoder(4, embedDim, 16),
        clipsPerClass: 3,
        heldOutPerClass: 1,
        realPerClass: 3,
        batch: 4,
        steps: 3,
        lr: 1e-3,
      },
      checkpointEvery: 2,
    };
  }
  const embedDim = 64;
  // Sized to build on a 2-core CPU in about an hour per pack (see MODEL_CARD.md for the times).
  return {
    size: 64,
    embedDim,
    pictures: 10_000,
    validationPictures: 512,
    captionsPerPicture: 3,
    clip: {
      vit: { inputResolution: 64, patchSize: 8, width: 96, layers: 4, heads: 4, outputDim: embedDim },
      text: { width: 96, layers: 3, heads: 4, contextLength: 32 },
      batch: 64,
      steps: 2500,
      lr: 1e-3,
    },
    generator: {
      config: {
        size: 64,
        styleDim: 64,
        nMlp: 4,
        // StyleGAN2's 0.01 keeps the mapping nearly frozen under regression (measured: 12.6 dB PSNR
        // after 500 steps, the mean image's 12.8); at 1 it learns the latent-to-scene map.
        lrMlp: 1,
        blurKernel: [1, 3, 3, 1],
        channels: { 4: 96, 8: 96, 16: 64, 32: 48, 64: 24 },
      },
      latents: 16_000,
      mixing: 0.5,
      batch: 16,
      steps: 4000,
      lr: 1e-2,
    },
    identity: {
      vit: { inputResolution: 64, patchSize: 8, width: 64, layers: 3, heads: 4, outputDim: 64 },
      pairs: 4000,
      batch: 64,
      steps: 1500,
    },
    probe: {
      vit: { inputResolution: 64, patchSize: 8, width: 64, layers: 3, heads: 4 },
      batch: 64,
      steps: 800,
    },
    audio: {
      encoder: audioEncoder(16, embedDim, 64),
      clipsPerClass: 200,
      heldOutPerClass: 30,
      batch: 32,
      steps: 1000,
      lr: 1e-3,
    },
    checkpointEvery: 250,
  };
}
