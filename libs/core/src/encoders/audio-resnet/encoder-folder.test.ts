import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportAudioEncoder,
  EXPORTED_DESCRIPTION,
  EXPORTED_MODEL,
  loadAudioEncoderFolder,
} from './encoder-folder.ts';
import { buildAudioEncoder } from './model.ts';
import { smallConfig } from './test-config.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-encoder-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('audio encoder folders', () => {
  const config = smallConfig({ baseWidth: 4, outputDim: 8 });

  it('exports a folder that loads into a working embedder with its description', async () => {
    const folder = join(dir, 'ok');
    const written = await exportAudioEncoder(buildAudioEncoder(config).model, config, folder, {
      steps: 5,
      fingerprint: 'f',
    });
    const loaded = await loadAudioEncoderFolder(folder);
    expect(loaded.description).toEqual(written);
    const samples = Float32Array.from({ length: 16_000 }, (_, i) => Math.sin(i / 7));
    const row = await loaded.embedder.embed({ sampleRate: 16_000, channels: [samples] });
    expect(Math.hypot(...row)).toBeCloseTo(1, 4);
    await loaded.release();
  });

  it('refuses a folder whose model does not match its hash, or whose description is not one', async () => {
    const folder = join(dir, 'damaged');
    await exportAudioEncoder(buildAudioEncoder(config).model, config, folder, { steps: 1, fingerprint: 'f' });
    const bytes = await readFile(join(folder, EXPORTED_MODEL));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    await writeFile(join(folder, EXPORTED_MODEL), bytes);
    await expect(loadAudioEncoderFolder(folder)).rejects.toMatchObject({ code: 'BAD_FOLDER' });
    await writeFile(join(folder, EXPORTED_DESCRIPTION), 'not json');
    await expect(loadAudioEncoderFolder(folder)).rejects.toMatchObject({ code: 'BAD_FOLDER' });
  });
});
