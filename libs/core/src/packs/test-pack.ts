// Test-only: a complete pack of seeded tiny networks (16 px generator, 16-d space), in seconds.
import { join } from 'node:path';
import { loadPack, type Pack, type PackDefaults } from '@soundedit/models';
import { ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import { TextEncoder } from '../encoders/clip-text/text-encoder.ts';
import { exportAudioEncoder } from '../encoders/audio-resnet/encoder-folder.ts';
import { buildAudioEncoder } from '../encoders/audio-resnet/model.ts';
import { smallConfig } from '../encoders/audio-resnet/test-config.ts';
import { Generator } from '../generator/generator.ts';
import { TINY_STYLEGAN2 } from '../generator/test-config.ts';
import { WordLevelTokenizer } from '../text/word-level.ts';
import { writePack } from './pack-parts.ts';

export const TINY_PACK_DIM = 16;
export const tinyAudioConfig = smallConfig({ baseWidth: 4, outputDim: TINY_PACK_DIM });

/** Writes `dir/pack` (and `dir/audio-v1`, its audio encoder's export) and returns the loaded pack. */
export async function writeTinyPack(dir: string, defaults: Partial<PackDefaults> = {}): Promise<Pack> {
  const tokenizer = WordLevelTokenizer.fromTexts(['the sound of rain', 'rain on a roof'], {
    contextLength: 8,
  });
  const text = await TextEncoder.create(
    {
      vocabSize: tokenizer.vocabSize,
      contextLength: 8,
      width: 16,
      layers: 1,
      heads: 2,
      embedDim: TINY_PACK_DIM,
    },
    tokenizer,
  );
  const image = await ImageEncoder.create({
    inputResolution: 16,
    patchSize: 8,
    width: 16,
    layers: 1,
    heads: 2,
    outputDim: TINY_PACK_DIM,
  });
  const generator = await Generator.create(TINY_STYLEGAN2, { wAvgSamples: 64 });
  await exportAudioEncoder(
    buildAudioEncoder(tinyAudioConfig, { seed: 1 }).model,
    tinyAudioConfig,
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
      embedDim: TINY_PACK_DIM,
      classes: [{ name: 'rain', prompts: ['the sound of rain'], editPrompt: 'rain' }],
      defaults: { steps: 10, lr: 0.1, lambdaId: 0, lambdaSim: 0.002, truncation: 0.7, ...defaults },
      provenance: { createdBy: 'test-pack.ts', created: '2026-11-27T12:00:00Z' },
      licence: 'MIT',
    },
    { generator, text, image, audioDir: join(dir, 'audio-v1') },
  );
  await Promise.all([text.release(), image.release(), generator.release()]);
  return loadPack(join(dir, 'pack'));
}
