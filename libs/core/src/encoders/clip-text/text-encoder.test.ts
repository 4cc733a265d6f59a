import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WordLevelTokenizer } from '../../text/word-level.ts';
import { buildTextEncoder, TEXT_ENCODER_DESCRIPTION, TextEncoder } from './text-encoder.ts';

let dir: string;
const texts = ['the sound of rain', 'the sound of a dog barking', 'thunder and rain'];
const tokenizer = WordLevelTokenizer.fromTexts(texts, { contextLength: 10 });
const config = {
  vocabSize: tokenizer.vocabSize,
  contextLength: 10,
  width: 16,
  layers: 1,
  heads: 2,
  embedDim: 8,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-text-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('TextEncoder', () => {
  it('embeds texts to unit rows that tell them apart, and reads them at the end token', async () => {
    const encoder = await TextEncoder.create(config, tokenizer, { seed: 3 });
    const rows = await encoder.embed([...texts, 'the sound of rain']);
    const row = (i: number) => rows.subarray(i * 8, (i + 1) * 8);
    for (let i = 0; i < 4; i++) expect(Math.hypot(...row(i))).toBeCloseTo(1, 5);
    expect(row(3)).toEqual(row(0));
    expect(row(1)).not.toEqual(row(0));
    await encoder.release();
  });

  it('saves a folder that loads back to the same embeddings', async () => {
    const encoder = await TextEncoder.create(config, tokenizer, { seed: 3 });
    const folder = join(dir, 'saved');
    await encoder.save(folder);
    const loaded = await TextEncoder.load(folder);
    expect(loaded.dim).toBe(8);
    expect(await loaded.embed(texts)).toEqual(await encoder.embed(texts));
    await Promise.all([encoder.release(), loaded.release()]);
  });

  it('refuses a tokenizer that does not fit the tower, and damaged folders', async () => {
    expect(() => buildTextEncoder({ ...config, contextLength: 12 }, tokenizer)).toThrow(
      expect.objectContaining({ code: 'TOKENIZER_MISMATCH' }),
    );
    await expect(TextEncoder.load(join(dir, 'nowhere'))).rejects.toMatchObject({ code: 'BAD_FOLDER' });
    const folder = join(dir, 'saved');
    const description = JSON.parse(await readFile(join(folder, TEXT_ENCODER_DESCRIPTION), 'utf8'));
    await writeFile(join(folder, TEXT_ENCODER_DESCRIPTION), JSON.stringify({ ...description, version: 7 }));
    await expect(TextEncoder.load(folder)).rejects.toMatchObject({ code: 'BAD_FOLDER' });
  });
});
