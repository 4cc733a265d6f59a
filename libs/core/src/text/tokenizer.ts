import { TextError } from './errors.ts';

/**
 * What the text encoders need from a tokenizer: a fixed-length id row per text, framed by start and
 * end tokens and padded, and a way back to text for logs and debugging.
 */
export interface Tokenizer {
  /** Number of distinct ids; every id encode() returns is below this. */
  readonly vocabSize: number;
  /** Length of every row encode() returns (CLIP: 77). */
  readonly contextLength: number;
  readonly sotId: number;
  readonly eotId: number;
  readonly padId: number;
  /**
   * [SOT, ...tokens, EOT, pad, ...] of exactly contextLength ids. Too long a text is cut so that the
   * last id is still EOT (CLIP's truncate=True), unless the tokenizer was built with
   * overflow: 'error'.
   */
  encode(text: string): Int32Array;
  /** The content ids of a text, without SOT/EOT and without padding or truncation. */
  tokenize(text: string): number[];
  /**
   * Text for ids as encode() returns them: a leading SOT, the closing EOT and the padding after it
   * are dropped. Unframed ids (from tokenize) decode whole.
   */
  decode(ids: ArrayLike<number>): string;
}

export type OverflowPolicy = 'truncate' | 'error';

export function checkContextLength(contextLength: number): number {
  if (!Number.isInteger(contextLength) || contextLength < 2) {
    throw new TextError(
      'INVALID_OPTION',
      `contextLength must be an integer >= 2 (room for the start and end tokens), got ${contextLength}`,
      { subject: 'contextLength' },
    );
  }
  return contextLength;
}

/** Frames content ids as [SOT, ...content, EOT] and pads or truncates them to the context length. */
export function frameIds(
  content: readonly number[],
  frame: { sotId: number; eotId: number; padId: number; contextLength: number; overflow: OverflowPolicy },
  text: string,
): Int32Array {
  const { sotId, eotId, padId, contextLength } = frame;
  const needed = content.length + 2;
  if (needed > contextLength && frame.overflow === 'error') {
    const preview = text.length > 60 ? `${text.slice(0, 60)}...` : text;
    throw new TextError(
      'CONTEXT_OVERFLOW',
      `text needs ${needed} tokens with start/end but the context length is ${contextLength}: "${preview}"`,
    );
  }
  const out = new Int32Array(contextLength).fill(padId);
  out[0] = sotId;
  const kept = Math.min(content.length, contextLength - 2);
  for (let i = 0; i < kept; i++) out[i + 1] = content[i] as number;
  out[kept + 1] = eotId;
  return out;
}

/**
 * The content of a framed row: a leading SOT is dropped, and so are the closing EOT and the padding
 * after it. Ids that end in neither (already unframed) are kept whole.
 */
export function unframeIds(ids: ArrayLike<number>, sotId: number, eotId: number, padId: number): number[] {
  let end = ids.length;
  while (end > 0 && ids[end - 1] === padId) end--;
  if (padId !== eotId) {
    if (end > 0 && ids[end - 1] === eotId) end--;
    // No closing EOT: not a framed row, so the trailing "pad" ids are content.
    else end = ids.length;
  }
  // With padId === eotId the run just stripped began with the closing EOT.
  const start = ids.length > 0 && ids[0] === sotId ? 1 : 0;
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => ids[start + i] as number);
}
