import { Rng } from '@soundedit/models';
import { TextError } from './errors.ts';
import { ENGLISH_STOP_WORDS } from './stop-words.ts';
import type { Thesaurus } from './thesaurus.ts';

/**
 * EDA text augmentation (Wei & Zou 2019, "EDA: Easy Data Augmentation Techniques for Boosting
 * Performance on Text Classification Tasks"): synonym replacement, random insertion, random swap and
 * random deletion, seeded so a training run is reproducible.
 */

export type EdaOperation = 'synonymReplacement' | 'randomInsertion' | 'randomSwap' | 'randomDeletion';

/** How many changes an operation makes: `count` if given, else max(1, floor(alpha * words)) as in EDA. */
export interface EdaAmount {
  alpha?: number;
  count?: number;
}

export interface EdaOptions {
  thesaurus: Thesaurus;
  seed: number;
  /** Default { alpha: 0.1 }; false turns it off. */
  synonymReplacement?: EdaAmount | false;
  /** Default { alpha: 0.1 }; false turns it off. */
  randomInsertion?: EdaAmount | false;
  /** Default { alpha: 0.1 }; false turns it off. */
  randomSwap?: EdaAmount | false;
  /** Each word is dropped with probability p (at least one word always stays). Default off. */
  randomDeletion?: { p: number } | false;
  /**
   * 'one' (default, as in the paper): each augment() applies one enabled operation chosen at random.
   * 'all': every enabled operation in turn (replacement, insertion, swap, deletion).
   */
  strategy?: 'one' | 'all';
  /** Words never replaced by a synonym nor used as an insertion source. Default ENGLISH_STOP_WORDS. */
  stopWords?: ReadonlySet<string>;
}

export interface EdaChange {
  operation: EdaOperation;
  /** Words replaced (distinct), words inserted, swaps made, or words deleted. */
  changes: number;
}

export interface EdaResult {
  text: string;
  applied: EdaChange[];
}

/** What an operation needs besides the words. */
export interface EdaContext {
  thesaurus: Thesaurus;
  stopWords: ReadonlySet<string>;
  /** Uniform in [0, 1). */
  random: () => number;
}

/** The lookup form of a token: lowercase, without the punctuation around it ("Dog," -> "dog"). */
function splitToken(token: string): { lead: string; core: string; trail: string } {
  const m = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/su.exec(token);
  return { lead: m?.[1] ?? '', core: m?.[2] ?? token, trail: m?.[3] ?? '' };
}

function lookupKey(token: string): string {
  return splitToken(token).core.toLowerCase();
}

function randInt(ctx: EdaContext, n: number): number {
  return Math.min(n - 1, Math.floor(ctx.random() * n));
}

function pick<T>(ctx: EdaContext, items: readonly T[]): T {
  return items[randInt(ctx, items.length)] as T;
}

function usableSynonyms(ctx: EdaContext, key: string): readonly string[] {
  if (key === '' || ctx.stopWords.has(key)) return [];
  return ctx.thesaurus.synonyms(key);
}

/** Keeps the token's surrounding punctuation and a leading capital. */
function substitute(token: string, synonym: string): string {
  const { lead, core, trail } = splitToken(token);
  const first = core.charAt(0);
  const capital = first !== first.toLowerCase();
  return lead + (capital ? synonym.charAt(0).toUpperCase() + synonym.slice(1) : synonym) + trail;
}

/**
 * Replaces up to n distinct non-stop words that have synonyms, each (every occurrence of it) by one
 * synonym chosen at random; the words are tried in random order.
 */
export function synonymReplacement(
  words: readonly string[],
  n: number,
  ctx: EdaContext,
): { words: string[]; changes: number } {
  const out = [...words];
  const candidates = [...new Set(words.map(lookupKey))].filter((key) => usableSynonyms(ctx, key).length > 0);
  shuffle(candidates, ctx);
  let changes = 0;
  for (const key of candidates) {
    if (changes >= n) break;
    const synonym = pick(ctx, usableSynonyms(ctx, key));
    for (let i = 0; i < out.length; i++)
      if (lookupKey(out[i] as string) === key) out[i] = substitute(out[i] as string, synonym);
    changes++;
  }
  return { words: out, changes };
}

/** n times: a synonym of a random non-stop word (one that has synonyms) goes in at a random position. */
export function randomInsertion(
  words: readonly string[],
  n: number,
  ctx: EdaContext,
): { words: string[]; changes: number } {
  const out = [...words];
  let changes = 0;
  for (; changes < n; changes++) {
    const sources = out.map(lookupKey).filter((key) => usableSynonyms(ctx, key).length > 0);
    if (sources.length === 0) break;
    const synonym = pick(ctx, usableSynonyms(ctx, pick(ctx, sources)));
    out.splice(randInt(ctx, out.length + 1), 0, synonym);
  }
  return { words: out, changes };
}

/** n times: two different positions chosen at random swap their words. */
export function randomSwap(
  words: readonly string[],
  n: number,
  ctx: EdaContext,
): { words: string[]; changes: number } {
  const out = [...words];
  if (out.length < 2) return { words: out, changes: 0 };
  for (let k = 0; k < n; k++) {
    const i = randInt(ctx, out.length);
    const j = (i + 1 + randInt(ctx, out.length - 1)) % out.length;
    [out[i], out[j]] = [out[j] as string, out[i] as string];
  }
  return { words: out, changes: n };
}

/** Drops each word with probability p; a sentence is never emptied (one random word survives). */
export function randomDeletion(
  words: readonly string[],
  p: number,
  ctx: EdaContext,
): { words: string[]; changes: number } {
  if (words.length <= 1) return { words: [...words], changes: 0 };
  const kept = words.filter(() => ctx.random() >= p);
  if (kept.length === 0) {
    return { words: [pick(ctx, words)], changes: words.length - 1 };
  }
  return { words: kept, changes: words.length - kept.length };
}

function shuffle<T>(items: T[], ctx: EdaContext): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randInt(ctx, i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

function checkAmount(name: string, amount: EdaAmount | false | undefined): EdaAmount | false {
  const resolved = amount === undefined ? { alpha: 0.1 } : amount;
  if (resolved === false) return false;
  const { alpha, count } = resolved;
  if (alpha !== undefined && !(alpha >= 0 && alpha <= 1)) {
    throw new TextError('INVALID_OPTION', `${name}.alpha must be in [0, 1], got ${alpha}`, { subject: name });
  }
  if (count !== undefined && !(Number.isInteger(count) && count >= 0)) {
    throw new TextError('INVALID_OPTION', `${name}.count must be a non-negative integer, got ${count}`, {
      subject: name,
    });
  }
  if (alpha === undefined && count === undefined) {
    throw new TextError('INVALID_OPTION', `${name} needs alpha or count (or false to turn it off)`, {
      subject: name,
    });
  }
  return resolved;
}

function changesFor(amount: EdaAmount, words: number): number {
  if (amount.count !== undefined) return amount.count;
  const alpha = amount.alpha ?? 0;
  return alpha === 0 ? 0 : Math.max(1, Math.floor(alpha * words));
}

/** A seeded EDA augmenter: the same seed and the same calls give the same texts. */
export class EdaAugmenter {
  private readonly rng: Rng;
  private readonly ctx: EdaContext;
  private readonly sr: EdaAmount | false;
  private readonly ri: EdaAmount | false;
  private readonly rs: EdaAmount | false;
  private readonly rd: number | false;
  private readonly strategy: 'one' | 'all';

  constructor(options: EdaOptions) {
    if (!Number.isFinite(options.seed)) {
      throw new TextError('INVALID_OPTION', `seed must be a finite number, got ${options.seed}`, {
        subject: 'seed',
      });
    }
    this.rng = new Rng(options.seed);
    this.ctx = {
      thesaurus: options.thesaurus,
      stopWords: options.stopWords ?? ENGLISH_STOP_WORDS,
      random: () => this.rng.next(),
    };
    this.sr = checkAmount('synonymReplacement', options.synonymReplacement);
    this.ri = checkAmount('randomInsertion', options.randomInsertion);
    this.rs = checkAmount('randomSwap', options.randomSwap);
    const rd = options.randomDeletion ?? false;
    if (rd !== false && !(rd.p >= 0 && rd.p <= 1)) {
      throw new TextError('INVALID_OPTION', `randomDeletion.p must be in [0, 1], got ${rd.p}`, {
        subject: 'randomDeletion',
      });
    }
    this.rd = rd === false ? false : rd.p;
    this.strategy = options.strategy ?? 'one';
    if (this.strategy !== 'one' && this.strategy !== 'all') {
      throw new TextError('INVALID_OPTION', `strategy must be 'one' or 'all', got ${String(this.strategy)}`, {
        subject: 'strategy',
      });
    }
  }

  augment(text: string): EdaResult {
    let words = text.split(/\s+/).filter((w) => w !== '');
    const ops = this.enabledOperations(words.length);
    const chosen = this.strategy === 'all' || ops.length === 0 ? ops : [pick(this.ctx, ops)];
    const applied: EdaChange[] = [];
    for (const op of chosen) {
      const result = this.apply(op, words);
      words = result.words;
      applied.push({ operation: op, changes: result.changes });
    }
    return { text: words.join(' '), applied };
  }

  /** k augmented versions of one text (the paper's n_aug). */
  augmentMany(text: string, k: number): EdaResult[] {
    return Array.from({ length: k }, () => this.augment(text));
  }

  private enabledOperations(wordCount: number): EdaOperation[] {
    const ops: EdaOperation[] = [];
    if (this.sr !== false && changesFor(this.sr, wordCount) > 0) ops.push('synonymReplacement');
    if (this.ri !== false && changesFor(this.ri, wordCount) > 0) ops.push('randomInsertion');
    if (this.rs !== false && changesFor(this.rs, wordCount) > 0) ops.push('randomSwap');
    if (this.rd !== false && this.rd > 0) ops.push('randomDeletion');
    return ops;
  }

  private apply(op: EdaOperation, words: string[]): { words: string[]; changes: number } {
    switch (op) {
      case 'synonymReplacement':
        return synonymReplacement(words, changesFor(this.sr as EdaAmount, words.length), this.ctx);
      case 'randomInsertion':
        return randomInsertion(words, changesFor(this.ri as EdaAmount, words.length), this.ctx);
      case 'randomSwap':
        return randomSwap(words, changesFor(this.rs as EdaAmount, words.length), this.ctx);
      case 'randomDeletion':
        return randomDeletion(words, this.rd as number, this.ctx);
    }
  }
}
