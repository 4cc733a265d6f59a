import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPack, verifyPack } from '@soundedit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAudioEncoder } from '../encoders/audio-resnet/encoder-folder.ts';
import { buildAudioEncoder } from '../encoders/audio-resnet/model.ts';
import { installPackPart, openFrozenEncoders, openPackModels } from './pack-parts.ts';
import { TINY_PACK_DIM, tinyAudioConfig, writeTinyPack } from './test-pack.ts';

let dir: string;
const DIM = TINY_PACK_DIM;
const audioConfig = tinyAudioConfig;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-pack-'));
  await writeTinyPack(dir);
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
