import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TextError } from './errors.ts';
import { WordLevelTokenizer } from './word-level.ts';

const VOCAB = [
  '<pad>',
  '<unk>',
  '<sot>',
  '<eot>',
  'the',
  'sound',
  'of',
  'a',
  'dog',
  "don't",
  ',',
  '!',
  'café',
];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TextError);
    return (err as TextError).code;
  }
  return undefined;
}

describe('WordLevelTokenizer', () => {
  const tok = new WordLevelTokenizer(VOCAB, { contextLength: 10 });

  it('lowercases, splits punctuation and maps unknown words to <unk>', () => {
    expect(tok.splitWords('The SOUND of a Dog, barking!!')).toEqual([
      'the',
      'sound',
      'of',
      'a',
      'dog',
      ',',
      'barking',
      '!',
      '!',
    ]);
    expect(tok.tokenize('The SOUND of a Dog, barking!')).toEqual([4, 5, 6, 7, 8, 10, 1, 11]);
    expect(tok.tokenize('Don’t')).toEqual([9]);
    expect(tok.tokenize('cafe\u0301')).toEqual([12]);
    expect(tok.tokenize('')).toEqual([]);
  });

  it('frames with SOT/EOT, pads, and decodes back', () => {
    expect(Array.from(tok.encode('a dog!'))).toEqual([2, 7, 8, 11, 3, 0, 0, 0, 0, 0]);
    expect(tok.decode(tok.encode('A dog!'))).toBe('a dog !');
    expect(tok.decode(tok.encode('a cat'))).toBe('a <unk>');
    expect([tok.vocabSize, tok.padId, tok.unkId, tok.sotId, tok.eotId]).toEqual([13, 0, 1, 2, 3]);
  });

  it('truncates to the context length keeping EOT, or refuses', () => {
    const ids = tok.encode('the dog the dog the dog the dog the dog');
    expect(ids.length).toBe(10);
    expect(Array.from(ids)).toEqual([2, 4, 8, 4, 8, 4, 8, 4, 8, 3]);
    const strict = new WordLevelTokenizer(VOCAB, { contextLength: 4, overflow: 'error' });
    expect(Array.from(strict.encode('a dog'))).toEqual([2, 7, 8, 3]);
    expect(codeOf(() => strict.encode('the dog barks'))).toBe('CONTEXT_OVERFLOW');
  });

  it('builds a vocabulary from texts', () => {
    const built = WordLevelTokenizer.fromTexts(['The sound of rain.', 'the sound of thunder'], {
      contextLength: 8,
    });
    expect(built.vocabSize).toBe(4 + 6);
    expect(built.decode(built.encode('thunder and rain'))).toBe('thunder <unk> rain');
  });

  it('keeps case when asked and honours custom special tokens', () => {
    const cased = new WordLevelTokenizer(['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'Dog', 'dog'], {
      lowercase: false,
      specials: { pad: '[PAD]', unk: '[UNK]', sot: '[CLS]', eot: '[SEP]' },
      contextLength: 5,
    });
    expect(Array.from(cased.encode('Dog dog DOG'))).toEqual([2, 4, 5, 1, 3]);
  });

  it('rejects bad vocabularies with typed errors', () => {
    expect(codeOf(() => new WordLevelTokenizer([...VOCAB, 'dog']))).toBe('DUPLICATE_TOKEN');
    expect(codeOf(() => new WordLevelTokenizer(VOCAB.filter((t) => t !== '<unk>')))).toBe(
      'MISSING_SPECIAL_TOKEN',
    );
    expect(codeOf(() => new WordLevelTokenizer([...VOCAB, 'Rain']))).toBe('MALFORMED_VOCAB');
    expect(codeOf(() => new WordLevelTokenizer([...VOCAB, 'new york']))).toBe('MALFORMED_VOCAB');
    expect(codeOf(() => WordLevelTokenizer.fromVocabText('<pad>\n\n<unk>\n'))).toBe('MALFORMED_VOCAB');
    expect(codeOf(() => new WordLevelTokenizer(VOCAB, { contextLength: 0 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => tok.decode([99]))).toBe('UNKNOWN_ID');
  });

  describe('files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'word-level-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads one token per line, CRLF or LF', async () => {
      writeFileSync(join(dir, 'vocab.txt'), VOCAB.join('\r\n') + '\r\n\r\n');
      const fromFile = await WordLevelTokenizer.fromVocabFile(join(dir, 'vocab.txt'));
      expect(fromFile.vocabSize).toBe(VOCAB.length);
      expect(fromFile.tokenize('the dog')).toEqual([4, 8]);
    });

    it('reports unreadable and non-UTF-8 files', async () => {
      await expect(WordLevelTokenizer.fromVocabFile(join(dir, 'absent.txt'))).rejects.toMatchObject({
        code: 'FILE_UNREADABLE',
      });
      writeFileSync(join(dir, 'bad.txt'), Buffer.from([0xff, 0xfe, 0x0a]));
      await expect(WordLevelTokenizer.fromVocabFile(join(dir, 'bad.txt'))).rejects.toMatchObject({
        code: 'MALFORMED_VOCAB',
      });
    });
  });
});
