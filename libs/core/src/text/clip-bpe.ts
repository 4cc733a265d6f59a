import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { PY_WHITESPACE, clipCleanText } from './clip-clean.ts';
import { TextError } from './errors.ts';
import {
  checkContextLength,
  frameIds,
  unframeIds,
  type OverflowPolicy,
  type Tokenizer,
} from './tokenizer.ts';

export const CLIP_SOT = '<|startoftext|>';
export const CLIP_EOT = '<|endoftext|>';
export const CLIP_CONTEXT_LENGTH = 77;
/** CLIP reads merges[1 : 49152 - 256 - 2 + 1]: 48894 merges after the header, for 49408 ids. */
export const CLIP_MERGE_COUNT = 49152 - 256 - 2;
const END_OF_WORD = '</w>';
/** Enough for every distinct word of a large prompt set; cleared when full so memory stays bounded. */
const CACHE_LIMIT = 20_000;

export interface ClipBpeOptions {
  contextLength?: number;
  overflow?: OverflowPolicy;
  /** OpenAI's clip.tokenize pads with 0; the text encoder only reads up to EOT, so any id works. */
  padId?: number;
  /** How many merges after the header to use (CLIP format default 48894, Hugging Face: all). */
  maxMerges?: number;
}

interface ByteAlphabet {
  /** Symbol for each byte value. */
  byteToChar: string[];
  charToByte: Map<string, number>;
  /** Symbols in CLIP's id order: printable bytes first, then the remapped ones. */
  ordered: string[];
}

/**
 * GPT-2/CLIP byte alphabet: every byte gets a visible, non-whitespace symbol so BPE can work on
 * strings. Bytes that are printable Latin-1 keep their own character; the other 68 take U+0100 on.
 */
function buildByteAlphabet(): ByteAlphabet {
  const printable = (b: number) =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const byteToChar: string[] = [];
  const ordered: number[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) if (printable(b)) ordered.push(b);
  for (let b = 0; b < 256; b++) {
    if (printable(b)) byteToChar[b] = String.fromCharCode(b);
    else {
      byteToChar[b] = String.fromCharCode(256 + extra++);
      ordered.push(b);
    }
  }
  const charToByte = new Map(byteToChar.map((c, b) => [c, b] as const));
  return { byteToChar, charToByte, ordered: ordered.map((b) => byteToChar[b] as string) };
}

const ALPHABET = buildByteAlphabet();

const PRE_TOKEN = new RegExp(
  `<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|[^${PY_WHITESPACE}\\p{L}\\p{N}]+`,
  'giu',
);

type MergesFormat = 'clip' | 'huggingface';

/** Parses merges text into [left, right] pairs, in rank order. */
function parseMerges(
  text: string,
  format: MergesFormat,
  maxMerges: number,
  source: string,
): [string, string][] {
  const lines = text.split('\n');
  let first = 0;
  if (format === 'clip') {
    // CLIP drops line 1 unread; insist it is a header so a headerless file does not lose a merge.
    if (!(lines[0] ?? '').startsWith('#')) {
      throw new TextError(
        'MALFORMED_MERGES',
        `${source}: line 1 should be the '#version' header of a CLIP merges file, got "${(lines[0] ?? '').slice(0, 40)}"`,
        { subject: source },
      );
    }
    first = 1;
  } else if ((lines[0] ?? '').startsWith('#version')) {
    first = 1;
  }
  let last = lines.length;
  while (last > first && (lines[last - 1] as string).trim() === '') last--;
  last = Math.min(last, first + maxMerges);
  const merges: [string, string][] = [];
  for (let i = first; i < last; i++) {
    const parts = (lines[i] as string).trim().split(/[ \t]+/);
    const [left, right] = parts;
    if (
      parts.length !== 2 ||
      left === undefined ||
      right === undefined ||
      !isSymbol(left) ||
      !isSymbol(right)
    ) {
      throw new TextError(
        'MALFORMED_MERGES',
        `${source}: line ${i + 1} should be two byte-level BPE symbols separated by a space, got "${(lines[i] as string).slice(0, 60)}"`,
        { subject: source },
      );
    }
    merges.push([left, right]);
  }
  return merges;
}

/** A merge side: one or more byte-alphabet symbols, optionally ending in the end-of-word marker. */
function isSymbol(part: string): boolean {
  const body = part.endsWith(END_OF_WORD) ? part.slice(0, -END_OF_WORD.length) : part;
  if (body.length === 0) return false;
  for (const ch of body) if (!ALPHABET.charToByte.has(ch)) return false;
  return true;
}

function decodeFileText(
  bytes: Uint8Array,
  path: string,
  code: 'MALFORMED_MERGES' | 'MALFORMED_VOCAB',
): string {
  let raw = bytes;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      raw = gunzipSync(raw);
    } catch (cause) {
      throw new TextError('FILE_UNREADABLE', `${path}: gzip data is corrupt or truncated`, {
        subject: path,
        cause,
      });
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch (cause) {
    throw new TextError(code, `${path}: not UTF-8 text`, { subject: path, cause });
  }
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new TextError('FILE_UNREADABLE', `cannot read ${path}: ${(cause as Error).message}`, {
      subject: path,
      cause,
    });
  }
}

/**
 * OpenAI CLIP's byte-level BPE tokenizer (simple_tokenizer.py + clip.tokenize), reading its
 * vocabulary from the files a pack ships.
 */
export class ClipBpeTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly contextLength: number;
  readonly sotId: number;
  readonly eotId: number;
  readonly padId: number;
  private readonly overflow: OverflowPolicy;
  private readonly encoder: Map<string, number>;
  private readonly decoder: (string | undefined)[];
  private readonly ranks: Map<string, number>;
  private readonly cache = new Map<string, string[]>();

  private constructor(
    encoder: Map<string, number>,
    decoder: (string | undefined)[],
    merges: [string, string][],
    options: ClipBpeOptions,
    source: string,
  ) {
    this.encoder = encoder;
    this.decoder = decoder;
    // Later duplicates win, as in CLIP's dict(zip(merges, range(...))).
    this.ranks = new Map(merges.map(([a, b], rank) => [`${a} ${b}`, rank] as const));
    this.vocabSize = decoder.length;
    this.contextLength = checkContextLength(options.contextLength ?? CLIP_CONTEXT_LENGTH);
    this.overflow = options.overflow ?? 'truncate';
    const special = (token: string) => {
      const id = encoder.get(token);
      if (id === undefined) {
        throw new TextError('MISSING_SPECIAL_TOKEN', `${source}: the vocabulary has no ${token} token`, {
          subject: token,
        });
      }
      return id;
    };
    this.sotId = special(CLIP_SOT);
    this.eotId = special(CLIP_EOT);
    this.padId = options.padId ?? 0;
    if (!Number.isInteger(this.padId) || this.padId < 0 || this.padId >= this.vocabSize) {
      throw new TextError(
        'INVALID_OPTION',
        `padId ${this.padId} is outside the vocabulary [0, ${this.vocabSize})`,
        {
          subject: 'padId',
        },
      );
    }
  }

  /**
   * From the text of CLIP's merges file (bpe_simple_vocab_16e6.txt): a header line, then one merge
   * per line. The vocabulary is built as CLIP builds it: the 256 byte symbols, the same with '</w>',
   * each merge's result in rank order, then <|startoftext|> and <|endoftext|>.
   */
  static fromClipMerges(text: string, options: ClipBpeOptions = {}, source = 'merges'): ClipBpeTokenizer {
    const merges = parseMerges(text, 'clip', checkMaxMerges(options.maxMerges ?? CLIP_MERGE_COUNT), source);
    const vocab = [
      ...ALPHABET.ordered,
      ...ALPHABET.ordered.map((c) => c + END_OF_WORD),
      ...merges.map(([a, b]) => a + b),
      CLIP_SOT,
      CLIP_EOT,
    ];
    const encoder = new Map(vocab.map((token, id) => [token, id] as const));
    return new ClipBpeTokenizer(encoder, vocab, merges, options, source);
  }

  /** Reads CLIP's merges file, plain or gzipped (bpe_simple_vocab_16e6.txt.gz). */
  static async fromClipMergesFile(path: string, options: ClipBpeOptions = {}): Promise<ClipBpeTokenizer> {
    return ClipBpeTokenizer.fromClipMerges(
      decodeFileText(await readBytes(path), path, 'MALFORMED_MERGES'),
      options,
      path,
    );
  }

  /** From Hugging Face's vocab.json text (token -> id) and merges.txt text. */
  static fromHuggingFace(
    vocabJson: string,
    mergesText: string,
    options: ClipBpeOptions = {},
    sources: { vocab?: string; merges?: string } = {},
  ): ClipBpeTokenizer {
    const vocabSource = sources.vocab ?? 'vocab.json';
    const mergesSource = sources.merges ?? 'merges.txt';
    const merges = parseMerges(
      mergesText,
      'huggingface',
      checkMaxMerges(options.maxMerges ?? Infinity),
      mergesSource,
    );
    const encoder = parseVocabJson(vocabJson, vocabSource);
    const decoder: (string | undefined)[] = [];
    for (const [token, id] of encoder) decoder[id] = token;
    // Every symbol BPE can emit must have an id, or encode() would fail on some input later.
    const required = [...ALPHABET.ordered, ...ALPHABET.ordered.map((c) => c + END_OF_WORD)];
    for (const token of required) {
      if (!encoder.has(token)) {
        throw new TextError(
          'VOCAB_MERGES_MISMATCH',
          `${vocabSource}: byte symbol ${JSON.stringify(token)} is missing; this is not a byte-level BPE vocabulary`,
          { subject: token },
        );
      }
    }
    merges.forEach(([a, b], i) => {
      if (!encoder.has(a + b)) {
        throw new TextError(
          'VOCAB_MERGES_MISMATCH',
          `${mergesSource}: merge ${i + 1} ("${a} ${b}") makes ${JSON.stringify(a + b)}, which ${vocabSource} lacks`,
          { subject: a + b },
        );
      }
    });
    return new ClipBpeTokenizer(encoder, decoder, merges, options, vocabSource);
  }

  static async fromHuggingFaceFiles(
    vocabPath: string,
    mergesPath: string,
    options: ClipBpeOptions = {},
  ): Promise<ClipBpeTokenizer> {
    const [vocab, merges] = await Promise.all([readBytes(vocabPath), readBytes(mergesPath)]);
    return ClipBpeTokenizer.fromHuggingFace(
      decodeFileText(vocab, vocabPath, 'MALFORMED_VOCAB'),
      decodeFileText(merges, mergesPath, 'MALFORMED_MERGES'),
      options,
      { vocab: vocabPath, merges: mergesPath },
    );
  }

  encode(text: string): Int32Array {
    // Tokens past the context are thrown away, so stop early: long pasted text stays cheap.
    const limit = this.overflow === 'truncate' ? this.contextLength - 2 : Infinity;
    return frameIds(this.contentIds(text, limit), this.frame(), text);
  }

  private frame() {
    const { sotId, eotId, padId, contextLength, overflow } = this;
    return { sotId, eotId, padId, contextLength, overflow };
  }

  tokenize(text: string): number[] {
    return this.contentIds(text, Infinity);
  }

  /** The BPE pieces of a text, as strings of the byte alphabet (for inspection and tests). */
  pieces(text: string): string[] {
    const out: string[] = [];
    for (const match of clipCleanText(text).matchAll(PRE_TOKEN))
      out.push(...this.bpe(this.toSymbols(match[0])));
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    const content = unframeIds(ids, this.sotId, this.eotId, this.padId);
    const bytes: number[] = [];
    for (const id of content) {
      const token = Number.isInteger(id) ? this.decoder[id] : undefined;
      if (token === undefined) {
        throw new TextError('UNKNOWN_ID', `id ${id} is not in the vocabulary (size ${this.vocabSize})`, {
          subject: String(id),
        });
      }
      for (const ch of token) bytes.push(ALPHABET.charToByte.get(ch) as number);
    }
    // Like CLIP: bytes -> UTF-8 with U+FFFD for broken sequences, then '</w>' -> ' '. The one
    // trailing space CLIP leaves is dropped.
    const text = new TextDecoder('utf-8', { ignoreBOM: true })
      .decode(Uint8Array.from(bytes))
      .replaceAll(END_OF_WORD, ' ');
    return text.endsWith(' ') ? text.slice(0, -1) : text;
  }

  private contentIds(text: string, limit: number): number[] {
    const ids: number[] = [];
    for (const match of clipCleanText(text).matchAll(PRE_TOKEN)) {
      for (const piece of this.bpe(this.toSymbols(match[0]))) ids.push(this.encoder.get(piece) as number);
      if (ids.length >= limit) break;
    }
    return ids;
  }

  private toSymbols(token: string): string {
    if (token === CLIP_SOT || token === CLIP_EOT) return token;
    let out = '';
    for (const b of new TextEncoder().encode(token)) out += ALPHABET.byteToChar[b] as string;
    return out;
  }

  /** Applies merges by rank to one pre-token; the last symbol carries the end-of-word marker. */
  private bpe(token: string): string[] {
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached;
    let word: string[];
    if (token === CLIP_SOT || token === CLIP_EOT) word = [token];
    else {
      word = Array.from(token);
      word[word.length - 1] += END_OF_WORD;
    }
    while (word.length > 1) {
      let best = Infinity;
      let bestLeft = '';
      let bestRight = '';
      for (let i = 0; i + 1 < word.length; i++) {
        const rank = this.ranks.get(`${word[i]} ${word[i + 1]}`);
        if (rank !== undefined && rank < best) {
          best = rank;
          bestLeft = word[i] as string;
          bestRight = word[i + 1] as string;
        }
      }
      if (best === Infinity) break;
      // Merge every occurrence left to right without overlap ("a a a" -> "aa a"), as CLIP does.
      const merged: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i + 1 < word.length && word[i] === bestLeft && word[i + 1] === bestRight) {
          merged.push(bestLeft + bestRight);
          i++;
        } else merged.push(word[i] as string);
      }
      word = merged;
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(token, word);
    return word;
  }
}

function checkMaxMerges(maxMerges: number): number {
  if (!(maxMerges >= 0) || (Number.isFinite(maxMerges) && !Number.isInteger(maxMerges))) {
    throw new TextError('INVALID_OPTION', `maxMerges must be a non-negative integer, got ${maxMerges}`, {
      subject: 'maxMerges',
    });
  }
  return maxMerges;
}

function parseVocabJson(text: string, source: string): Map<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new TextError('MALFORMED_VOCAB', `${source}: not valid JSON (${(cause as Error).message})`, {
      subject: source,
      cause,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TextError('MALFORMED_VOCAB', `${source}: expected a JSON object mapping tokens to ids`, {
      subject: source,
    });
  }
  const encoder = new Map<string, number>();
  const seen = new Map<number, string>();
  for (const [token, id] of Object.entries(parsed)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new TextError(
        'MALFORMED_VOCAB',
        `${source}: id of ${JSON.stringify(token)} must be a non-negative integer`,
        {
          subject: token,
        },
      );
    }
    const other = seen.get(id);
    if (other !== undefined) {
      throw new TextError(
        'MALFORMED_VOCAB',
        `${source}: id ${id} is given to both ${JSON.stringify(other)} and ${JSON.stringify(token)}`,
        { subject: token },
      );
    }
    seen.set(id, token);
    encoder.set(token, id);
  }
  return encoder;
}
