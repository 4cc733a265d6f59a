import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@soundedit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import {
  trainAttributeProbe,
  trainIdentityEncoder,
  type IdentityPair,
  type ProbeExample,
} from './picture-tower-trainer.ts';

const SIZE = 16;
const VIT = { inputResolution: SIZE, patchSize: 4, width: 32, layers: 2, heads: 4 };

/** A "person": two background colours and a blob place; an "expression": a bar whose colour and height vary. */
function face(identity: number[], expression: number): Uint8Array {
  const px = new Uint8Array(3 * SIZE * SIZE);
  const barTop = 11 + Math.floor(expression * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const blob = (x - 4 - identity[6]! * 8) ** 2 + (y - 5) ** 2 < 8;
      const bar = y >= barTop && x > 3 && x < 12;
      for (let c = 0; c < 3; c++) {
        const v = bar
          ? expression * (c === 0 ? 1 : 0.3)
          : blob
            ? identity[3 + c]!
            : identity[c]! * (y / SIZE);
        px[c * SIZE * SIZE + y * SIZE + x] = Math.round(255 * v);
      }
    }
  }
  return px;
}

function pairs(n: number, seed: number): IdentityPair[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const id = Array.from({ length: 7 }, () => rng.next());
    return { a: face(id, rng.next()), b: face(id, rng.next()) };
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-towers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('picture towers', () => {
  it('trains an identity encoder that verifies held-out identities across expressions', async () => {
    const result = await trainIdentityEncoder({
      runDir: join(dir, 'identity'),
      vit: { ...VIT, outputDim: 16 },
      pairs: pairs(192, 1),
      validation: pairs(64, 2),
      batchSize: 32,
      steps: 200,
      optimizer: { kind: 'adamw', lr: 2e-3, weightDecay: 1e-4 },
      schedule: { kind: 'cosine', warmupSteps: 10 },
      seed: 1,
      validateEvery: 200,
      checkpointEvery: 200,
      session: { threads: 1 },
    });
    console.log('identity', result.lastValidation);
    expect(result.lastValidation!.verificationAccuracy).toBeGreaterThan(0.85);
    const loaded = await ImageEncoder.load(result.exportDir, { kind: 'identity' });
    expect(loaded.dim).toBe(16);
    await loaded.release();
  }, 300_000);

  it('trains an attribute probe that reads parameters back from pictures', async () => {
    const rng = new Rng(3);
    const make = (n: number): ProbeExample[] =>
      Array.from({ length: n }, () => {
        const t = Float32Array.from([rng.next(), rng.next(), rng.next()]);
        const px = new Uint8Array(3 * SIZE * SIZE);
        for (let y = 0; y < SIZE; y++)
          for (let x = 0; x < SIZE; x++) {
            const inside = (x - 2 - 12 * t[0]!) ** 2 + (y - 2 - 12 * t[1]!) ** 2 < 6;
            for (let c = 0; c < 3; c++)
              px[c * SIZE * SIZE + y * SIZE + x] = inside ? Math.round(255 * t[2]!) : 40;
          }
        return { pixels: px, target: t };
      });
    const outputs = ['x', 'y', 'brightness'];
    const validation = make(32);
    const result = await trainAttributeProbe({
      runDir: join(dir, 'probe'),
      vit: { ...VIT, outputDim: 3 },
      examples: make(256),
      validation,
      outputs,
      batchSize: 32,
      steps: 600,
      optimizer: { kind: 'adamw', lr: 3e-3, weightDecay: 0 },
      schedule: { kind: 'cosine', warmupSteps: 10 },
      seed: 2,
      validateEvery: 600,
      checkpointEvery: 600,
      session: { threads: 1 },
    });
    console.log('probe', result.lastValidation);
    // Against always answering 0.5 (about 0.25 for uniform targets): the probe must do far better.
    outputs.forEach((name, j) => {
      const baseline = validation.reduce((s, e) => s + Math.abs(e.target[j]! - 0.5), 0) / validation.length;
      expect(result.lastValidation!.meanAbsError[name]).toBeLessThan(0.6 * baseline);
    });
    const probe = await ImageEncoder.load(result.exportDir, { kind: 'probe' });
    expect(probe.description.outputs).toEqual(outputs);
    await probe.release();
  }, 300_000);
});
