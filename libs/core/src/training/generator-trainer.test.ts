import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, styleGan2NumLatents } from '@soundedit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../generator/generator.ts';
import { TINY_STYLEGAN2 } from '../generator/test-config.ts';
import {
  reconstruction,
  trainGenerator,
  type GeneratorEvent,
  type LatentTarget,
} from './generator-trainer.ts';

const SIZE = TINY_STYLEGAN2.size;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

const D = TINY_STYLEGAN2.styleDim;
const LAYERS = styleGan2NumLatents(SIZE);

/**
 * The "renderer": z's first dimensions set a disc's place and colour on a background whose shade
 * is z[5]. With `halves`, the background's left half takes its shade from the first style layer's
 * latent and the right half from a late layer's (all one z unless mixed).
 */
function target(z: Float32Array, halves = false): Uint8Array {
  const layer = (l: number, i: number) => (z.length === D ? z[i]! : z[l * D + i]!);
  const px = new Uint8Array(3 * SIZE * SIZE);
  const cx = 3 + 10 * sigmoid(z[0]!);
  const cy = 3 + 10 * sigmoid(z[1]!);
  const colour = [sigmoid(z[2]!), sigmoid(z[3]!), sigmoid(z[4]!)];
  const left = halves ? 0.1 + 0.8 * sigmoid(2 * layer(0, 5)) : 0.2 + 0.6 * sigmoid(z[5]!);
  const right = halves ? 0.1 + 0.8 * sigmoid(2 * layer(LAYERS - 2, 6)) : left;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < 12;
      const shade = x < SIZE / 2 ? left : right;
      for (let c = 0; c < 3; c++)
        px[c * SIZE * SIZE + y * SIZE + x] = Math.round(255 * (inside ? colour[c]! : shade));
    }
  }
  return px;
}

function examples(n: number, seed: number, halves = false): LatentTarget[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const z = rng.fillNormal(new Float32Array(TINY_STYLEGAN2.styleDim));
    return { z, pixels: target(z, halves) };
  });
}

/** Two latents spread over the layers at random, one per layer. */
function mixedExamples(n: number, seed: number): LatentTarget[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const pair = [rng.fillNormal(new Float32Array(D)), rng.fillNormal(new Float32Array(D))];
    const z = new Float32Array(LAYERS * D);
    for (let l = 0; l < LAYERS; l++) z.set(pair[rng.next() < 0.5 ? 0 : 1]!, l * D);
    return { z, pixels: target(z, true) };
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-gen-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('trainGenerator', () => {
  it('regresses a StyleGAN2 onto a renderer: held-out latents render close to their targets', async () => {
    const validation = examples(16, 2);
    const untrained = await Generator.create(TINY_STYLEGAN2, { wAvgSamples: 64 });
    const before = await reconstruction(untrained, validation);
    await untrained.release();
    const events: GeneratorEvent[] = [];
    const result = await trainGenerator({
      runDir: join(dir, 'run'),
      config: TINY_STYLEGAN2,
      examples: examples(256, 1),
      validation,
      batchSize: 16,
      steps: 300,
      optimizer: { kind: 'adamw', lr: 3e-3, weightDecay: 0 },
      schedule: { kind: 'cosine', warmupSteps: 20 },
      seed: 1,
      validateEvery: 150,
      checkpointEvery: 150,
      session: { threads: 1 },
      onEvent: (e) => events.push(e),
    });
    console.log('generator', before, result.lastValidation);
    expect(result.lastValidation!.psnr).toBeGreaterThan(before.psnr + 6);
    expect(result.lastValidation!.meanAbsError).toBeLessThan(0.5 * before.meanAbsError);
    const exported = await Generator.load(result.exportDir);
    expect(await reconstruction(exported, validation)).toEqual({
      meanAbsError: result.lastValidation!.meanAbsError,
      psnr: result.lastValidation!.psnr,
    });
    await exported.release();
  }, 300_000);

  it('learns style mixing: with mixed latents in training, each layer controls its own part of the picture', async () => {
    const mixedValidation = mixedExamples(16, 6);
    const train = async (name: string, data: LatentTarget[]) => {
      const result = await trainGenerator({
        runDir: join(dir, name),
        config: { ...TINY_STYLEGAN2, lrMlp: 1 },
        examples: data,
        batchSize: 16,
        steps: 1500,
        optimizer: { kind: 'adamw', lr: 3e-3, weightDecay: 0 },
        schedule: { kind: 'cosine', warmupSteps: 20 },
        seed: 1,
        session: { threads: 1 },
      });
      const g = await Generator.load(result.exportDir);
      try {
        return [await reconstruction(g, mixedValidation), await reconstruction(g, examples(16, 2, true))];
      } finally {
        await g.release();
      }
    };
    const plain = await train('plain', examples(256, 1, true));
    const mixed = await train('mixed', [...examples(128, 1, true), ...mixedExamples(128, 5)]);
    console.log('style-mixed validation', { plain, mixed });
    expect(mixed[0]!.psnr).toBeGreaterThan(plain[0]!.psnr + 1.5);
  }, 300_000);

  it('trains with per-layer W+ noise deterministically, and refuses a bad noise scale', async () => {
    const run = async (name: string, wPlusNoise: number) => {
      const result = await trainGenerator({
        runDir: join(dir, name),
        config: TINY_STYLEGAN2,
        examples: examples(32, 3),
        batchSize: 8,
        steps: 6,
        optimizer: { kind: 'adamw', lr: 3e-3, weightDecay: 0 },
        schedule: { kind: 'constant' },
        seed: 4,
        wPlusNoise,
        session: { threads: 1 },
      });
      const g = await Generator.load(result.exportDir);
      const { image } = await g.sample(1, 1);
      await g.release();
      return image;
    };
    const noisy = await run('noisy-a', 0.5);
    expect(await run('noisy-b', 0.5)).toEqual(noisy);
    expect(await run('clean', 0)).not.toEqual(noisy);
    await expect(run('bad', Number.NaN)).rejects.toMatchObject({ subject: 'wPlusNoise' });
  }, 120_000);
});
