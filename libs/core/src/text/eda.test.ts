import { describe, expect, it } from 'vitest';
import {
  EdaAugmenter,
  randomDeletion,
  randomInsertion,
  randomSwap,
  synonymReplacement,
  type EdaContext,
  type EdaOptions,
} from './eda.ts';
import { TextError } from './errors.ts';
import { ENGLISH_STOP_WORDS } from './stop-words.ts';
import { MapThesaurus, bundledThesaurus } from './thesaurus.ts';
import { Rng } from '@soundedit/models';

const SYNONYMS: Record<string, string[]> = {
  dog: ['hound', 'pup'],
  barking: ['yapping', 'woofing'],
  loud: ['noisy', 'deafening'],
  rain: ['rainfall', 'shower'],
  sound: ['noise'],
  // Stop words with "synonyms" must still never be replaced.
  the: ['angstrom'],
  of: ['belonging'],
};
const thesaurus = new MapThesaurus(SYNONYMS);

function ctx(seed: number): EdaContext {
  const rng = new Rng(seed);
  return { thesaurus, stopWords: ENGLISH_STOP_WORDS, random: () => rng.next() };
}

function isSubsequence(sub: readonly string[], full: readonly string[]): boolean {
  let j = 0;
  for (const w of full) if (j < sub.length && w === sub[j]) j++;
  return j === sub.length;
}

const SENTENCE = 'the sound of a dog barking in the loud rain'.split(' ');

describe('EDA operations', () => {
  it('synonym replacement changes up to n distinct non-stop words, in place', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { words, changes } = synonymReplacement(SENTENCE, 2, ctx(seed));
      expect(changes).toBe(2);
      expect(words.length).toBe(SENTENCE.length);
      const changed = words.map((w, i) => [SENTENCE[i] as string, w] as const).filter(([a, b]) => a !== b);
      expect(changed.length).toBe(2);
      for (const [from, to] of changed) expect(SYNONYMS[from]).toContain(to);
      for (const [i, w] of SENTENCE.entries()) if (ENGLISH_STOP_WORDS.has(w)) expect(words[i]).toBe(w);
    }
  });

  it('synonym replacement replaces every occurrence and stops when words run out', () => {
    const { words, changes } = synonymReplacement(['dog', 'chases', 'dog'], 5, ctx(3));
    expect(changes).toBe(1);
    expect(words[0]).toBe(words[2]);
    expect(SYNONYMS.dog).toContain(words[0]);
  });

  it('never touches stop words, even when they are the only words with synonyms', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const sr = synonymReplacement(['the', 'of', 'the'], 3, ctx(seed));
      expect(sr).toEqual({ words: ['the', 'of', 'the'], changes: 0 });
      expect(randomInsertion(['the', 'of'], 2, ctx(seed))).toEqual({ words: ['the', 'of'], changes: 0 });
    }
  });

  it('keeps punctuation and a leading capital around a replaced word', () => {
    const { words } = synonymReplacement(['Dog,', 'rain!'], 2, ctx(7));
    expect(words[0]).toMatch(/^(Hound|Pup),$/);
    expect(words[1]).toMatch(/^(rainfall|shower)!$/);
  });

  it('random insertion adds n synonyms of words in the sentence, keeping the rest in order', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { words, changes } = randomInsertion(SENTENCE, 3, ctx(seed));
      expect(changes).toBe(3);
      expect(words.length).toBe(SENTENCE.length + 3);
      expect(isSubsequence(SENTENCE, words)).toBe(true);
      const pool = new Set(['dog', 'barking', 'loud', 'rain', 'sound'].flatMap((w) => SYNONYMS[w] ?? []));
      const extra = [...words];
      for (const w of SENTENCE) extra.splice(extra.indexOf(w), 1);
      for (const w of extra) expect(pool.has(w)).toBe(true);
    }
  });

  it('random swap exchanges n pairs and keeps the words', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const one = randomSwap(SENTENCE, 1, ctx(seed));
      expect(one.changes).toBe(1);
      expect([...one.words].sort()).toEqual([...SENTENCE].sort());
      const moved = one.words.filter((w, i) => w !== SENTENCE[i]).length;
      // "the" appears twice, so swapping the two of them moves nothing.
      expect([0, 2]).toContain(moved);
    }
    const distinct = ['a1', 'b2', 'c3', 'd4', 'e5'];
    for (let seed = 1; seed <= 30; seed++) {
      expect(randomSwap(distinct, 1, ctx(seed)).words.filter((w, i) => w !== distinct[i]).length).toBe(2);
    }
    expect(randomSwap(['solo'], 3, ctx(1))).toEqual({ words: ['solo'], changes: 0 });
  });

  it('random deletion drops words with probability p and never empties the sentence', () => {
    let deleted = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const { words, changes } = randomDeletion(SENTENCE, 0.3, ctx(seed));
      expect(isSubsequence(words, SENTENCE)).toBe(true);
      expect(words.length).toBe(SENTENCE.length - changes);
      expect(words.length).toBeGreaterThan(0);
      deleted += changes;
    }
    const rate = deleted / (200 * SENTENCE.length);
    expect(rate).toBeGreaterThan(0.25);
    expect(rate).toBeLessThan(0.35);
    const all = randomDeletion(SENTENCE, 1, ctx(9));
    expect(all.words.length).toBe(1);
    expect(SENTENCE).toContain(all.words[0]);
    expect(randomDeletion(['dog'], 1, ctx(1))).toEqual({ words: ['dog'], changes: 0 });
    expect(randomDeletion(SENTENCE, 0, ctx(1))).toEqual({ words: SENTENCE, changes: 0 });
  });
});

describe('EdaAugmenter', () => {
  const base: EdaOptions = { thesaurus, seed: 42, randomDeletion: { p: 0.1 } };
  const text = SENTENCE.join(' ');

  it('is deterministic under a seed', () => {
    const a = new EdaAugmenter(base).augmentMany(text, 25);
    const b = new EdaAugmenter(base).augmentMany(text, 25);
    const c = new EdaAugmenter({ ...base, seed: 43 }).augmentMany(text, 25);
    expect(a).toEqual(b);
    expect(a.map((r) => r.text)).not.toEqual(c.map((r) => r.text));
    expect(new Set(a.map((r) => r.text)).size).toBeGreaterThan(10);
  });

  it("'one' applies one operation per call and uses all of them over many calls", () => {
    const results = new EdaAugmenter(base).augmentMany(text, 80);
    for (const r of results) expect(r.applied.length).toBe(1);
    expect(new Set(results.map((r) => r.applied[0]?.operation)).size).toBe(4);
  });

  it("'all' applies each enabled operation with EDA's counts (max(1, floor(alpha * words)))", () => {
    const aug = new EdaAugmenter({
      thesaurus,
      seed: 5,
      strategy: 'all',
      synonymReplacement: { alpha: 0.2 },
      randomInsertion: { count: 3 },
      randomSwap: { alpha: 0.05 },
      randomDeletion: false,
    });
    const r = aug.augment(text);
    expect(r.applied).toEqual([
      { operation: 'synonymReplacement', changes: 2 },
      { operation: 'randomInsertion', changes: 3 },
      { operation: 'randomSwap', changes: 1 },
    ]);
    expect(r.text.split(' ').length).toBe(SENTENCE.length + 3);
  });

  it('can switch operations off', () => {
    const swapOnly = new EdaAugmenter({
      thesaurus,
      seed: 1,
      synonymReplacement: false,
      randomInsertion: false,
    });
    for (const r of swapOnly.augmentMany(text, 10)) {
      expect(r.applied.map((a) => a.operation)).toEqual(['randomSwap']);
      expect(r.text.split(' ').sort()).toEqual([...SENTENCE].sort());
    }
    const none = new EdaAugmenter({
      thesaurus,
      seed: 1,
      synonymReplacement: { alpha: 0 },
      randomInsertion: false,
      randomSwap: { count: 0 },
    });
    expect(none.augment(text)).toEqual({ text, applied: [] });
  });

  it('handles empty and one-word inputs', () => {
    const aug = new EdaAugmenter({ ...base, strategy: 'all' });
    const empty = aug.augment('   ');
    expect(empty.text).toBe('');
    expect(empty.applied.every((a) => a.changes === 0)).toBe(true);
    const moveOnly = new EdaAugmenter({
      ...base,
      strategy: 'all',
      synonymReplacement: false,
      randomInsertion: false,
    });
    expect(moveOnly.augment('dog')).toEqual({
      text: 'dog',
      applied: [
        { operation: 'randomSwap', changes: 0 },
        { operation: 'randomDeletion', changes: 0 },
      ],
    });
    const grow = new EdaAugmenter({
      ...base,
      synonymReplacement: false,
      randomSwap: false,
      randomDeletion: false,
    });
    const grown = grow.augment('dog');
    expect(grown.applied).toEqual([{ operation: 'randomInsertion', changes: 1 }]);
    expect(grown.text.split(' ')).toContain('dog');
    expect(grown.text.split(' ').length).toBe(2);
    const replaced = new EdaAugmenter({
      ...base,
      randomInsertion: false,
      randomSwap: false,
      randomDeletion: false,
    });
    expect(SYNONYMS.dog).toContain(replaced.augment('dog').text);
    expect(aug.augment('the').text).toBe('the');
  });

  it('keeps stop words when replacing with the bundled thesaurus', () => {
    const aug = new EdaAugmenter({
      thesaurus: bundledThesaurus(),
      seed: 11,
      strategy: 'all',
      synonymReplacement: { count: 10 },
      randomInsertion: false,
      randomSwap: false,
    });
    for (const r of aug.augmentMany('the sound of a dog barking in the rain', 10)) {
      const words = r.text.split(' ');
      expect(words[0]).toBe('the');
      expect(words).toContain('of');
      expect(words).toContain('a');
      expect(words).toContain('in');
      expect(r.text).not.toContain('dog barking in the rain');
    }
  });

  it('rejects bad options', () => {
    const bad: Partial<EdaOptions>[] = [
      { seed: Number.NaN },
      { synonymReplacement: { alpha: 2 } },
      { randomInsertion: { count: -1 } },
      { randomSwap: {} },
      { randomDeletion: { p: 1.5 } },
      { strategy: 'some' as 'one' },
    ];
    for (const patch of bad) {
      expect(() => new EdaAugmenter({ ...base, ...patch })).toThrow(TextError);
    }
  });
});
