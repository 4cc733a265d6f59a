import { createSession, DataType, Rng, type Session } from '@soundedit/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { inputShape } from './config.ts';
import { AudioEncoderConfigError } from './errors.ts';
import {
  AUDIO_ENCODER_INPUT,
  AUDIO_ENCODER_OUTPUT,
  buildAudioEncoder,
  createAudioEncoderSession,
} from './model.ts';
import { smallConfig } from './test-config.ts';

const CONFIG = smallConfig();
const [, , MELS, FRAMES] = inputShape(CONFIG, 1);
const ITEM = MELS * FRAMES;

/** Log-mel-like input in [0, 1], different for each seed. */
function batchOf(n: number, seed: number): Float32Array {
  const x = new Float32Array(n * ITEM);
  const rng = new Rng(seed);
  for (let i = 0; i < x.length; i++) x[i] = rng.next();
  return x;
}

async function run(
  session: Session,
  x: Float32Array,
  n: number,
  fetch = AUDIO_ENCODER_OUTPUT,
): Promise<Float32Array> {
  const out = await session.run({ [AUDIO_ENCODER_INPUT]: { data: x, dims: [n, 1, MELS, FRAMES] } }, [fetch]);
  const y = out[fetch];
  expect(y?.dims).toEqual([n, CONFIG.outputDim]);
  return y!.data as Float32Array;
}

function rowNorm(y: Float32Array, r: number, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) s += (y[r * dim + j] as number) ** 2;
  return Math.sqrt(s);
}

describe('audio encoder graph', () => {
  it('names weights as the official checkpoint: conv (1->3 stem) and feature_extractor (timm ResNet)', () => {
    const g18 = buildAudioEncoder(CONFIG);
    const dims = (name: string): number[] | undefined =>
      g18.model.graph.initializers.find((t) => t.name === name)?.dims;
    expect(dims('conv.weight')).toEqual([3, 1, 3, 3]);
    expect(dims('conv.bias')).toEqual([3]);
    expect(dims('feature_extractor.conv1.weight')).toEqual([64, 3, 7, 7]);
    expect(dims('feature_extractor.fc.weight')).toEqual([32, 512]);
    expect(g18.weights).toContain('feature_extractor.layer4.1.bn2.running_var');
    expect(g18.model.graph.inputs[0]).toMatchObject({ name: 'log_mel', shape: ['batch', 1, 32, 63] });
    expect(g18.model.graph.outputs).toEqual([
      { name: 'embedding', elemType: DataType.FLOAT, shape: ['batch', 32] },
    ]);

    const g50 = buildAudioEncoder(smallConfig({ arch: 'resnet50', outputDim: 512 }));
    expect(g50.weights).toContain('feature_extractor.layer3.5.conv3.weight');
    expect(g50.model.graph.initializers.find((t) => t.name === 'feature_extractor.fc.weight')?.dims).toEqual([
      512, 2048,
    ]);
  });

  it('draws the same weights from the same seed and different ones from another', () => {
    const w = (seed: number): Float32Array =>
      buildAudioEncoder(CONFIG, { seed }).model.graph.initializers.find((t) => t.name === 'conv.weight')!
        .data as Float32Array;
    expect(Array.from(w(4))).toEqual(Array.from(w(4)));
    expect(Array.from(w(4))).not.toEqual(Array.from(w(5)));
  });

  it('refuses a bad config with a typed error', () => {
    expect(() => buildAudioEncoder(smallConfig({ outputDim: -1 }))).toThrow(AudioEncoderConfigError);
  });

  describe('ResNet-18 in onnxruntime', () => {
    let session: Session;
    let withLogits: Session;
    beforeAll(async () => {
      session = await createAudioEncoderSession(CONFIG, { seed: 3, threads: 2 });
      const g = buildAudioEncoder(CONFIG, { seed: 3 });
      g.model.graph.outputs.push({ name: g.logits, elemType: DataType.FLOAT });
      withLogits = await createSession(g.model, { threads: 2, cache: false });
    });

    it('maps [B, 1, nMels, frames] to unit rows [B, outputDim]: the fc output over its L2 norm', async () => {
      const x = batchOf(4, 1);
      const y = await run(session, x, 4);
      const out = await withLogits.run({ log_mel: { data: x, dims: [4, 1, MELS, FRAMES] } });
      const logits = out[buildAudioEncoder(CONFIG, { seed: 3 }).logits]!.data as Float32Array;
      for (let r = 0; r < 4; r++) {
        expect(rowNorm(y, r, 32)).toBeCloseTo(1, 5);
        const n = rowNorm(logits, r, 32);
        expect(n).toBeGreaterThan(1e-3);
        for (let j = 0; j < 32; j++) expect(y[r * 32 + j]).toBeCloseTo((logits[r * 32 + j] as number) / n, 5);
      }
    });

    it('gives each item of a batch the embedding it gets alone, and different inputs different ones', async () => {
      const x = batchOf(3, 2);
      const together = await run(session, x, 3);
      for (let k = 0; k < 3; k++) {
        const alone = await run(session, x.slice(k * ITEM, (k + 1) * ITEM), 1);
        for (let j = 0; j < 32; j++) expect(together[k * 32 + j]).toBeCloseTo(alone[j] as number, 5);
      }
      const diff = Math.max(
        ...Array.from({ length: 32 }, (_, j) => Math.abs(together[j]! - together[32 + j]!)),
      );
      expect(diff).toBeGreaterThan(1e-4);
      expect(Array.from(await run(session, x, 3))).toEqual(Array.from(together));
    });
  });

  it('ResNet-50 runs too: [2, 1, 32, 63] -> [2, 32] unit rows', async () => {
    const s = await createAudioEncoderSession(smallConfig({ arch: 'resnet50' }), {
      threads: 2,
      cache: false,
    });
    const y = await run(s, batchOf(2, 5), 2);
    expect(rowNorm(y, 0, 32)).toBeCloseTo(1, 5);
    expect(rowNorm(y, 1, 32)).toBeCloseTo(1, 5);
    await s.release();
  });
});
