import { createRequire } from 'node:module';
import { TextError } from './errors.ts';

/** Synonyms for a word, for EDA's replacement and insertion. */
export interface Thesaurus {
  /** Synonyms of a lowercase word, without the word itself; empty when it has none. */
  synonyms(word: string): readonly string[];
}

export interface SynonymFilter {
  /** Keep multi-word synonyms ("hot dog"); EDA does. Default true. */
  multiWord?: boolean;
}

/**
 * Lowercase words, optionally joined by single spaces, hyphens or apostrophes. Capitalised entries
 * are dropped: in WordNet-derived data they are proper nouns and abbreviations ("Delilah", "H2O"),
 * which make poor paraphrases of a sound description.
 */
const PLAIN_PHRASE = /^\p{Ll}+(?:[ '-]\p{Ll}+)*$/u;

function cleanSynonyms(word: string, raw: Iterable<string>, filter: SynonymFilter): string[] {
  const out = new Set<string>();
  for (const entry of raw) {
    const syn = entry.trim().replace(/\s+/g, ' ');
    if (syn === word || !PLAIN_PHRASE.test(syn)) continue;
    if (filter.multiWord === false && syn.includes(' ')) continue;
    out.add(syn);
  }
  return [...out];
}

/** A thesaurus from an in-memory mapping, e.g. a pack's own synonyms JSON. */
export class MapThesaurus implements Thesaurus {
  private readonly entries: Map<string, readonly string[]>;

  constructor(
    entries: ReadonlyMap<string, readonly string[]> | Readonly<Record<string, readonly string[]>>,
    filter: SynonymFilter = {},
  ) {
    const pairs = entries instanceof Map ? [...entries] : Object.entries(entries);
    this.entries = new Map();
    for (const [word, syns] of pairs) {
      const key = word.toLowerCase();
      const merged = [...(this.entries.get(key) ?? []), ...syns];
      this.entries.set(key, cleanSynonyms(key, merged, filter));
    }
  }

  /** From JSON text of the form {"word": ["synonym", ...], ...}. */
  static fromJson(text: string, filter: SynonymFilter = {}, source = 'thesaurus.json'): MapThesaurus {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new TextError('MALFORMED_THESAURUS', `${source}: not valid JSON (${(cause as Error).message})`, {
        subject: source,
        cause,
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new TextError(
        'MALFORMED_THESAURUS',
        `${source}: expected an object mapping words to synonym lists`,
        {
          subject: source,
        },
      );
    }
    const entries: Record<string, string[]> = {};
    for (const [word, syns] of Object.entries(parsed)) {
      if (!Array.isArray(syns) || !syns.every((s): s is string => typeof s === 'string')) {
        throw new TextError(
          'MALFORMED_THESAURUS',
          `${source}: synonyms of ${JSON.stringify(word)} must be a list of strings`,
          {
            subject: word,
          },
        );
      }
      entries[word] = syns;
    }
    return new MapThesaurus(entries, filter);
  }

  synonyms(word: string): readonly string[] {
    return this.entries.get(word.toLowerCase()) ?? [];
  }
}

interface ThesaurusPackage {
  find(word: string): unknown;
}

/**
 * English synonyms from the npm package `thesaurus` (0.0.1, pinned): the OpenOffice/LibreOffice
 * MyThes English thesaurus (WordNet-derived, ~143k head words, all senses merged), under the
 * BSD-style MyThes licence in its LICENSE.txt. It ships as one 16 MB JavaScript file, so it is
 * loaded on first use only (~0.3 s, ~50 MB of heap) and then shared.
 */
class BundledThesaurus implements Thesaurus {
  private readonly pkg: ThesaurusPackage;
  private readonly filter: SynonymFilter;
  private readonly memo = new Map<string, readonly string[]>();

  constructor(pkg: ThesaurusPackage, filter: SynonymFilter) {
    this.pkg = pkg;
    this.filter = filter;
  }

  synonyms(word: string): readonly string[] {
    const key = word.toLowerCase();
    let syns = this.memo.get(key);
    if (syns === undefined) {
      const raw = this.pkg.find(key);
      const list = Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : [];
      syns = cleanSynonyms(key, list, this.filter);
      this.memo.set(key, syns);
    }
    return syns;
  }
}

let bundledPackage: ThesaurusPackage | undefined;

/** The English thesaurus shipped with the repo's dependencies (no download at run time). */
export function bundledThesaurus(filter: SynonymFilter = {}): Thesaurus {
  if (bundledPackage === undefined) {
    let loaded: unknown;
    try {
      loaded = createRequire(import.meta.url)('thesaurus');
    } catch (cause) {
      throw new TextError(
        'FILE_UNREADABLE',
        `cannot load the 'thesaurus' npm package (a dependency of @soundedit/core; run npm install): ${(cause as Error).message}`,
        { subject: 'thesaurus', cause },
      );
    }
    if (
      typeof loaded !== 'object' ||
      loaded === null ||
      typeof (loaded as { find?: unknown }).find !== 'function'
    ) {
      throw new TextError('MALFORMED_THESAURUS', `the 'thesaurus' npm package has no find(word) function`, {
        subject: 'thesaurus',
      });
    }
    bundledPackage = loaded as ThesaurusPackage;
  }
  return new BundledThesaurus(bundledPackage, filter);
}
