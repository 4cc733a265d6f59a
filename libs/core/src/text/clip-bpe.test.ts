import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CLIP_CONTEXT_LENGTH, ClipBpeTokenizer } from './clip-bpe.ts';
import { TextError, type TextErrorCode } from './errors.ts';

interface Fixture {
  contextLength: number;
  header: string;
  merges: string[];
  shortMerges: number;
  vocabSize: number;
  shortVocabSize: number;
  sot: number;
  eot: number;
  vocab: Record<string, number>;
  cases: { text: string; ids: number[]; decoded: string; shortIds: number[] }[];
  partialDecode: { ids: number[]; decoded: string }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/clip-bpe-reference.json', import.meta.url), 'utf8'),
) as Fixture;
const mergesText = [fixture.header, ...fixture.merges].join('\n') + '\n';
const tok = ClipBpeTokenizer.fromClipMerges(mergesText);
const dir = mkdtempSync(join(tmpdir(), 'clip-bpe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** clip.tokenize(text, truncate=True) for one text, from the reference's unpadded ids. */
function framed(ids: number[], eot: number): number[] {
  const row = ids.length > CLIP_CONTEXT_LENGTH ? [...ids.slice(0, CLIP_CONTEXT_LENGTH - 1), eot] : [...ids];
  while (row.length < CLIP_CONTEXT_LENGTH) row.push(0);
  return row;
}

function expectTextError(fn: () => unknown, code: TextErrorCode, message?: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TextError);
    expect((err as TextError).code).toBe(code);
    if (message) expect((err as TextError).message).toMatch(message);
    return;
  }
  throw new Error(`expected a TextError ${code}`);
}

async function expectTextErrorAsync(promise: Promise<unknown>, code: TextErrorCode): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(TextError);
  await expect(promise).rejects.toMatchObject({ code });
}

describe('ClipBpeTokenizer vs the Python reference', () => {
  it('builds the vocabulary the way CLIP does', () => {
    expect(fixture.contextLength).toBe(CLIP_CONTEXT_LENGTH);
    expect(tok.vocabSize).toBe(fixture.vocabSize);
    expect(tok.vocabSize).toBe(512 + fixture.merges.length + 2);
    expect([tok.sotId, tok.eotId, tok.padId]).toEqual([fixture.sot, fixture.eot, 0]);
    expect(tok.contextLength).toBe(77);
  });

  it.each(fixture.cases.map((c, i) => [i, c] as const))('case %i: same ids as the reference', (_i, c) => {
    expect(tok.tokenize(c.text)).toEqual(c.ids.slice(1, -1));
    expect(Array.from(tok.encode(c.text))).toEqual(framed(c.ids, fixture.eot));
  });

  it('decodes to what the reference decodes (less the trailing space)', () => {
    let checked = 0;
    for (const c of fixture.cases) {
      if (c.ids.length > CLIP_CONTEXT_LENGTH) continue;
      expect(tok.decode(tok.encode(c.text))).toBe(c.decoded.replace(/ $/, ''));
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('decodes cut-off multi-byte characters to U+FFFD like Python errors="replace"', () => {
    for (const p of fixture.partialDecode) expect(tok.decode(p.ids)).toBe(p.decoded.replace(/ $/, ''));
  });

  it('keeps only the first maxMerges merges (CLIP slices merges[1:N+1])', () => {
    const short = ClipBpeTokenizer.fromClipMerges(mergesText, { maxMerges: fixture.shortMerges });
    expect(short.vocabSize).toBe(fixture.shortVocabSize);
    for (const c of fixture.cases) expect(short.tokenize(c.text)).toEqual(c.shortIds.slice(1, -1));
  });

  it('reads the merges from a plain or gzipped file', async () => {
    writeFileSync(join(dir, 'merges.txt'), mergesText);
    writeFileSync(join(dir, 'bpe.txt.gz'), gzipSync(Buffer.from(mergesText)));
    const plain = await ClipBpeTokenizer.fromClipMergesFile(join(dir, 'merges.txt'));
    const gz = await ClipBpeTokenizer.fromClipMergesFile(join(dir, 'bpe.txt.gz'));
    for (const c of fixture.cases.slice(0, 10)) {
      expect(plain.tokenize(c.text)).toEqual(c.ids.slice(1, -1));
      expect(gz.tokenize(c.text)).toEqual(c.ids.slice(1, -1));
    }
  });

  it('accepts the Hugging Face vocab.json + merges.txt pair', async () => {
    writeFileSync(join(dir, 'vocab.json'), JSON.stringify(fixture.vocab));
    writeFileSync(join(dir, 'hf-merges.txt'), ['#version: 0.2', ...fixture.merges].join('\n'));
    const hf = await ClipBpeTokenizer.fromHuggingFaceFiles(
      join(dir, 'vocab.json'),
      join(dir, 'hf-merges.txt'),
    );
    expect(hf.vocabSize).toBe(fixture.vocabSize);
    for (const c of fixture.cases) expect(Array.from(hf.encode(c.text))).toEqual(framed(c.ids, fixture.eot));
    // A headerless merges.txt loses no merge.
    const headerless = ClipBpeTokenizer.fromHuggingFace(
      JSON.stringify(fixture.vocab),
      fixture.merges.join('\n'),
    );
    expect(headerless.tokenize('the sound of a dog barking')).toEqual(
      tok.tokenize('the sound of a dog barking'),
    );
  });
});

describe('ClipBpeTokenizer framing', () => {
  it('round-trips plain lowercase text', () => {
    for (const text of ['the sound of a dog barking', 'rain on a window', 'a crying baby', 'thunder']) {
      expect(tok.decode(tok.encode(text))).toBe(text);
    }
  });

  it('frames the empty text as SOT, EOT and padding', () => {
    const ids = tok.encode('');
    expect(ids).toBeInstanceOf(Int32Array);
    expect(ids.length).toBe(77);
    expect([ids[0], ids[1]]).toEqual([tok.sotId, tok.eotId]);
    expect(ids.slice(2).every((id) => id === 0)).toBe(true);
    expect(tok.decode(ids)).toBe('');
  });

  it('truncates long text to the context length and keeps EOT last', () => {
    const long = 'the sound of a dog barking in the distance '.repeat(20);
    const ids = tok.encode(long);
    expect(ids.length).toBe(77);
    expect(ids[0]).toBe(tok.sotId);
    expect(ids[76]).toBe(tok.eotId);
    expect(Array.from(ids.slice(1, 76))).toEqual(tok.tokenize(long).slice(0, 75));
    const small = ClipBpeTokenizer.fromClipMerges(mergesText, { contextLength: 5 });
    expect(Array.from(small.encode('rain on a window at night'))).toEqual([
      tok.sotId,
      ...tok.tokenize('rain on a window').slice(0, 3),
      tok.eotId,
    ]);
  });

  it('can refuse to truncate', () => {
    const strict = ClipBpeTokenizer.fromClipMerges(mergesText, { overflow: 'error', contextLength: 8 });
    expect(strict.encode('a dog').length).toBe(8);
    expectTextError(
      () => strict.encode('the sound of a dog barking in the distance'),
      'CONTEXT_OVERFLOW',
      /needs \d+ tokens/,
    );
  });

  it('maps special tokens typed in the text to their ids', () => {
    expect(tok.tokenize('<|endoftext|>')).toEqual([tok.eotId]);
    expect(tok.tokenize('<|startoftext|>')).toEqual([tok.sotId]);
    // Decoding stops at the last EOT, so padding after it is ignored even though pad (0) is '!'.
    expect(tok.decode([tok.sotId, ...tok.tokenize('rain'), tok.eotId, 0, 0])).toBe('rain');
  });

  it('uses a custom pad id', () => {
    const padded = ClipBpeTokenizer.fromClipMerges(mergesText, { padId: fixture.eot });
    expect(padded.encode('rain')[5]).toBe(fixture.eot);
    expect(padded.decode(padded.encode('rain'))).toBe('rain');
  });
});

describe('ClipBpeTokenizer errors', () => {
  it('rejects malformed merges files', () => {
    expectTextError(
      () => ClipBpeTokenizer.fromClipMerges('i n\nt h\n'),
      'MALFORMED_MERGES',
      /line 1 .*header/,
    );
    expectTextError(
      () => ClipBpeTokenizer.fromClipMerges('#version\ni n\nt h e\n'),
      'MALFORMED_MERGES',
      /line 3/,
    );
    expectTextError(
      () => ClipBpeTokenizer.fromClipMerges('#version\ni n\n\nt h\n'),
      'MALFORMED_MERGES',
      /line 3/,
    );
    expectTextError(
      () => ClipBpeTokenizer.fromClipMerges('#version\n\u4e2d n\n'),
      'MALFORMED_MERGES',
      /line 2/,
    );
    expectTextError(() => ClipBpeTokenizer.fromClipMerges('#version\n</w> n\n'), 'MALFORMED_MERGES');
  });

  it('rejects malformed vocab.json', () => {
    const merges = fixture.merges.join('\n');
    expectTextError(
      () => ClipBpeTokenizer.fromHuggingFace('{not json', merges),
      'MALFORMED_VOCAB',
      /not valid JSON/,
    );
    expectTextError(() => ClipBpeTokenizer.fromHuggingFace('["a"]', merges), 'MALFORMED_VOCAB');
    expectTextError(() => ClipBpeTokenizer.fromHuggingFace('{"a": -1}', merges), 'MALFORMED_VOCAB');
    expectTextError(
      () => ClipBpeTokenizer.fromHuggingFace('{"a": 1, "b": 1}', merges),
      'MALFORMED_VOCAB',
      /both/,
    );
    expectTextError(
      () => ClipBpeTokenizer.fromHuggingFace('{"a": 0}', merges),
      'VOCAB_MERGES_MISMATCH',
      /byte symbol/,
    );
    const noMerged = { ...fixture.vocab };
    delete noMerged['the</w>'];
    expectTextError(
      () => ClipBpeTokenizer.fromHuggingFace(JSON.stringify(noMerged), merges),
      'VOCAB_MERGES_MISMATCH',
      /the<\/w>/,
    );
    const noSot = { ...fixture.vocab };
    delete noSot['<|startoftext|>'];
    expectTextError(
      () => ClipBpeTokenizer.fromHuggingFace(JSON.stringify(noSot), merges),
      'MISSING_SPECIAL_TOKEN',
    );
  });

  it('reports unreadable files', async () => {
    await expectTextErrorAsync(
      ClipBpeTokenizer.fromClipMergesFile(join(dir, 'absent.txt.gz')),
      'FILE_UNREADABLE',
    );
    writeFileSync(join(dir, 'cut.gz'), gzipSync(Buffer.from(mergesText)).subarray(0, 40));
    await expectTextErrorAsync(ClipBpeTokenizer.fromClipMergesFile(join(dir, 'cut.gz')), 'FILE_UNREADABLE');
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x23, 0x0a, 0xff, 0xfe, 0x20, 0x61, 0x0a]));
    await expectTextErrorAsync(
      ClipBpeTokenizer.fromClipMergesFile(join(dir, 'latin1.txt')),
      'MALFORMED_MERGES',
    );
  });

  it('rejects bad options and unknown ids', () => {
    expectTextError(
      () => ClipBpeTokenizer.fromClipMerges(mergesText, { contextLength: 1 }),
      'INVALID_OPTION',
    );
    expectTextError(() => ClipBpeTokenizer.fromClipMerges(mergesText, { padId: 1e6 }), 'INVALID_OPTION');
    expectTextError(() => ClipBpeTokenizer.fromClipMerges(mergesText, { maxMerges: -1 }), 'INVALID_OPTION');
    expectTextError(() => tok.decode([5, tok.vocabSize]), 'UNKNOWN_ID', /not in the vocabulary/);
    expectTextError(() => tok.decode([1.5]), 'UNKNOWN_ID');
  });
});
