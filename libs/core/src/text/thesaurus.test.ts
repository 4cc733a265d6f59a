import { describe, expect, it } from 'vitest';
import { TextError } from './errors.ts';
import { MapThesaurus, bundledThesaurus } from './thesaurus.ts';

describe('bundledThesaurus (npm package "thesaurus", MyThes English)', () => {
  const thesaurus = bundledThesaurus();

  it('knows the words sound prompts use', () => {
    expect(thesaurus.synonyms('happy')).toContain('glad');
    expect(thesaurus.synonyms('loud')).toContain('noisy');
    expect(thesaurus.synonyms('storm')).toContain('tempest');
    expect(thesaurus.synonyms('Angry')).toContain('furious');
    expect(thesaurus.synonyms('scream')).toContain('shriek');
  });

  it('returns clean lowercase phrases without the word itself', () => {
    for (const word of ['happy', 'dog', 'siren', 'face', 'thunder', 'rain', 'quiet']) {
      const syns = thesaurus.synonyms(word);
      expect(syns.length).toBeGreaterThan(0);
      expect(syns).not.toContain(word);
      for (const s of syns) expect(s).toMatch(/^\p{Ll}+(?:[ '-]\p{Ll}+)*$/u);
      expect(new Set(syns).size).toBe(syns.length);
    }
    expect(thesaurus.synonyms('the')).toEqual([]);
    expect(thesaurus.synonyms('qwxzzy')).toEqual([]);
  });

  it('can drop multi-word synonyms', () => {
    expect(thesaurus.synonyms('dog')).toContain('hot dog');
    const single = bundledThesaurus({ multiWord: false });
    expect(single.synonyms('dog').length).toBeGreaterThan(0);
    expect(single.synonyms('dog').some((s) => s.includes(' '))).toBe(false);
  });
});

describe('MapThesaurus', () => {
  it('normalises keys and cleans entries', () => {
    const t = new MapThesaurus({ Dog: ['dog', 'Hound', 'pup', 'pup', ' hot   dog '], cat: [] });
    expect(t.synonyms('DOG')).toEqual(['pup', 'hot dog']);
    expect(t.synonyms('cat')).toEqual([]);
    expect(t.synonyms('bird')).toEqual([]);
  });

  it('reads JSON and rejects malformed data', () => {
    expect(MapThesaurus.fromJson('{"rain": ["shower"]}').synonyms('rain')).toEqual(['shower']);
    for (const bad of ['{oops', '[1, 2]', '{"rain": "shower"}', '{"rain": [1]}']) {
      expect(() => MapThesaurus.fromJson(bad)).toThrow(TextError);
      try {
        MapThesaurus.fromJson(bad);
      } catch (err) {
        expect((err as TextError).code).toBe('MALFORMED_THESAURUS');
      }
    }
  });
});
