import { readFile } from 'node:fs/promises';
import { TextError } from './errors.ts';
import {
  checkContextLength,
  frameIds,
  unframeIds,
  type OverflowPolicy,
  type Tokenizer,
} from './tokenizer.ts';

export interface WordLevelSpecials {
  pad: string;
  unk: string;
  sot: string;
  eot: string;
}

export const DEFAULT_WORD_SPECIALS: Readonly<WordLevelSpecials> = {
  pad: '<pad>',
  unk: '<unk>',
  sot: '<sot>',
  eot: '<eot>',
};

export interface WordLevelOptions {
  /** Row length of encode(); default 77 like CLIP, so packs can swap tokenizers freely. */
  contextLength?: number;
  overflow?: OverflowPolicy;
  specials?: Partial<WordLevelSpecials>;
  /** Lowercase before lookup (default true); the vocabulary must then be lowercase too. */
  lowercase?: boolean;
}

/** Words (letters, marks, digits; inner apostrophes kept: "don't") or single punctuation marks. */
const WORD_OR_MARK = /[\p{L}\p{M}\p{N}]+(?:'[\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;

/**
 * A word-level tokenizer for small packs whose text encoder was trained on a closed vocabulary:
 * one id per vocabulary entry (its line/position), unknown words map to the unknown token.
 */
export class WordLevelTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly contextLength: number;
  readonly sotId: number;
  readonly eotId: number;
  readonly padId: number;
  readonly unkId: number;
  private readonly overflow: OverflowPolicy;
  private readonly lowercase: boolean;
  private readonly ids: Map<string, number>;
  private readonly tokens: readonly string[];

  constructor(vocab: readonly string[], options: WordLevelOptions = {}, source = 'vocabulary') {
    this.contextLength = checkContextLength(options.contextLength ?? 77);
    this.overflow = options.overflow ?? 'truncate';
    this.lowercase = options.lowercase ?? true;
    const specials = { ...DEFAULT_WORD_SPECIALS, ...options.specials };
    const specialSet = new Set(Object.values(specials));
    this.ids = new Map();
    vocab.forEach((token, id) => {
      const previous = this.ids.get(token);
      if (previous !== undefined) {
        throw new TextError(
          'DUPLICATE_TOKEN',
          `${source}: ${JSON.stringify(token)} is listed twice (entries ${previous + 1} and ${id + 1})`,
          { subject: token },
        );
      }
      if (!specialSet.has(token)) {
        const split = this.splitWords(token);
        if (split.length !== 1 || split[0] !== token) {
          throw new TextError(
            'MALFORMED_VOCAB',
            `${source}: entry ${id + 1} ${JSON.stringify(token)} can never be produced by the word splitter ` +
              `(it becomes ${JSON.stringify(split)}${this.lowercase ? '; entries must be lowercase' : ''})`,
            { subject: token },
          );
        }
      }
      this.ids.set(token, id);
    });
    this.tokens = [...vocab];
    this.vocabSize = vocab.length;
    const special = (name: keyof WordLevelSpecials) => {
      const id = this.ids.get(specials[name]);
      if (id === undefined) {
        throw new TextError(
          'MISSING_SPECIAL_TOKEN',
          `${source}: the ${name} token ${JSON.stringify(specials[name])} is not in the vocabulary`,
          { subject: specials[name] },
        );
      }
      return id;
    };
    this.padId = special('pad');
    this.unkId = special('unk');
    this.sotId = special('sot');
    this.eotId = special('eot');
  }

  /** Specials first (pad 0, unk 1, sot 2, eot 3), then every distinct word of the texts in order seen. */
  static fromTexts(texts: Iterable<string>, options: WordLevelOptions = {}): WordLevelTokenizer {
    const specials = { ...DEFAULT_WORD_SPECIALS, ...options.specials };
    const probe = new WordLevelTokenizer([specials.pad, specials.unk, specials.sot, specials.eot], options);
    const vocab = new Set([specials.pad, specials.unk, specials.sot, specials.eot]);
    for (const text of texts) for (const word of probe.splitWords(text)) vocab.add(word);
    return new WordLevelTokenizer([...vocab], options);
  }

  /** One token per line (a vocab.txt); trailing blank lines are ignored, a blank line inside is an error. */
  static fromVocabText(
    text: string,
    options: WordLevelOptions = {},
    source = 'vocab.txt',
  ): WordLevelTokenizer {
    const lines = text.split(/\r?\n/);
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const blank = lines.findIndex((line) => line.trim() === '');
    if (blank >= 0) {
      throw new TextError(
        'MALFORMED_VOCAB',
        `${source}: line ${blank + 1} is blank; expected one token per line`,
        {
          subject: source,
        },
      );
    }
    return new WordLevelTokenizer(lines, options, source);
  }

  static async fromVocabFile(path: string, options: WordLevelOptions = {}): Promise<WordLevelTokenizer> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (cause) {
      throw new TextError('FILE_UNREADABLE', `cannot read ${path}: ${(cause as Error).message}`, {
        subject: path,
        cause,
      });
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (cause) {
      throw new TextError('MALFORMED_VOCAB', `${path}: not UTF-8 text`, { subject: path, cause });
    }
    return WordLevelTokenizer.fromVocabText(text, options, path);
  }

  /** The vocabulary as `fromVocabText` reads it back: one token per line, in id order. */
  vocabText(): string {
    return `${this.tokens.join('\n')}\n`;
  }

  /** Normalised words and punctuation marks of a text, before vocabulary lookup. */
  splitWords(text: string): string[] {
    let norm = text.normalize('NFC').replace(/[\u2018\u2019\u02bc]/gu, "'");
    if (this.lowercase) norm = norm.toLowerCase();
    return Array.from(norm.matchAll(WORD_OR_MARK), (m) => m[0]);
  }

  private frame() {
    const { sotId, eotId, padId, contextLength, overflow } = this;
    return { sotId, eotId, padId, contextLength, overflow };
  }

  tokenize(text: string): number[] {
    return this.splitWords(text).map((word) => this.ids.get(word) ?? this.unkId);
  }

  encode(text: string): Int32Array {
    return frameIds(this.tokenize(text), this.frame(), text);
  }

  decode(ids: ArrayLike<number>): string {
    return unframeIds(ids, this.sotId, this.eotId, this.padId)
      .map((id) => {
        const token = Number.isInteger(id) ? this.tokens[id] : undefined;
        if (token === undefined) {
          throw new TextError('UNKNOWN_ID', `id ${id} is not in the vocabulary (size ${this.vocabSize})`, {
            subject: String(id),
          });
        }
        return token;
      })
      .join(' ');
  }
}
