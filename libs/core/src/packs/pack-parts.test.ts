import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPack, verifyPack } from '@soundedit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import { TextEncoder } from '../encoders/clip-text/text-encoder.ts';
import { exportAudioEncoder } from '../encoders/audio-resnet/encoder-folder.ts';
import { buildAudioEncoder } from '../encoders/audio-resnet/model.ts';
import { smallConfig } from '../encoders/audio-resnet/test-config.ts';
import { Generator } from '../generator/generator.ts';
import { TINY_STYLEGAN2 } from '../generator/test-config.ts';
import { WordLevelTokenizer } from '../text/word-level.ts';
import { installPackPart, openFrozenEncoders, openPackModels, writePack } from './pack-parts.ts';

let dir: string;
const DIM = 16;
const audioConfig = smallConfig({ baseWidth: 4, outputDim: DIM });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-pack-'));
  const tokenizer = WordLevelTokenizer.fromTexts(['the sound of rain', 'rain on a roof'], {
    contextLength: 8,
  });
  const text = await TextEncoder.create(
    { vocabSize: tokenizer.vocabSize, contextLength: 8, width: 16, layers: 1, heads: 2, embedDim: DIM },
    tokenizer,
  );
  const image = await ImageEncoder.create({
    inputResolution: 16,
    patchSize: 8,
    width: 16,
    layers: 1,
    heads: 2,
    outputDim: DIM,
  });
  const generator = await Generator.create(TINY_STYLEGAN2, { wAvgSamples: 64 });
  await exportAudioEncoder(
    buildAudioEncoder(audioConfig, { seed: 1 }).model,
    audioConfig,
    join(dir, 'audio-v1'),
    {
      steps: 0,
      fingerprint: 'untrained',
    },
  );
  await writePack(
    join(dir, 'pack'),
    {
      name: 'test-rain',
      title: 'Test rain',
      embedDim: DIM,
      classes: [{ name: 'rain', prompts: ['the sound of rain'], editPrompt: 'rain' }],
      defaults: { steps: 10, lr: 0.1, lambdaId: 0, lambdaSim: 0.002, truncation: 0.7 },
      provenance: { createdBy: 'pack-parts.test.ts', created: '2026-11-27T12:00:00Z' },
      licence: 'MIT',
    },
    { generator, text, image, audioDir: join(dir, 'audio-v1') },
  );
  await Promise.all([text.release(), image.release(), generator.release()]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('packs of real networks', () => {
  it('writes a pack that verifies, loads every network, and renders a seed the same way each time', async () => {
    const pack = await loadPack(join(dir, 'pack'));
    const v = await verifyPack(pack);
    expect(v.unlisted).toEqual([]);
    const models = await openPackModels(pack);
    expect((await models.text.embed(['the sound of rain'])).length).toBe(DIM);
    const samples = Float32Array.from({ length: 16_000 }, (_, i) => Math.sin(i / 5));
    expect((await models.audio.embedder.embed({ sampleRate: 16_000, channels: [samples] })).length).toBe(DIM);
    const a = await models.generator.sample(42, pack.manifest.defaults.truncation);
    const b = await models.generator.sample(42, pack.manifest.defaults.truncation);
    expect(a.image).toEqual(b.image);
    await models.release();
  });

  it('installs a retrained audio encoder into the pack and re-hashes the manifest', async () => {
    const pack = await loadPack(join(dir, 'pack'));
    const before = pack.manifest.files['audio-encoder/audio-encoder.onnx']!.sha256;
    await exportAudioEncoder(
      buildAudioEncoder(audioConfig, { seed: 2 }).model,
      audioConfig,
      join(dir, 'audio-v2'),
      {
        steps: 5,
        fingerprint: 'retrained',
      },
    );
    const updated = await installPackPart(pack, 'audioEncoder', join(dir, 'audio-v2'));
    expect(updated.manifest.files['audio-encoder/audio-encoder.onnx']!.sha256).not.toBe(before);
    await verifyPack(updated);
    const frozen = await openFrozenEncoders(updated);
    expect(frozen.text.dim).toBe(DIM);
    await frozen.release();
  });
});
