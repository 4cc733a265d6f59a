/** Typed errors for the text front end: tokenizer files, tokenizer use, and augmentation. */

export type TextErrorCode =
  /** A merges file (CLIP's bpe_simple_vocab or Hugging Face's merges.txt) that cannot be parsed. */
  | 'MALFORMED_MERGES'
  /** A vocabulary file (vocab.json or a word list) that cannot be parsed. */
  | 'MALFORMED_VOCAB'
  /** Merges that produce a token the vocabulary lacks, or a vocabulary missing a byte symbol. */
  | 'VOCAB_MERGES_MISMATCH'
  /** A start/end/pad/unknown token the tokenizer needs is not in the vocabulary. */
  | 'MISSING_SPECIAL_TOKEN'
  /** The same token listed twice in a word list. */
  | 'DUPLICATE_TOKEN'
  /** decode() was handed an id outside the vocabulary. */
  | 'UNKNOWN_ID'
  /** The text needs more tokens than the context length and truncation is off. */
  | 'CONTEXT_OVERFLOW'
  /** A tokenizer or augmentation option out of range. */
  | 'INVALID_OPTION'
  /** A thesaurus whose data is not a word -> synonyms mapping. */
  | 'MALFORMED_THESAURUS'
  /** A vocab/merges/thesaurus file that could not be read or decompressed. */
  | 'FILE_UNREADABLE';

export class TextError extends Error {
  readonly code: TextErrorCode;
  /** The file, option or token the problem is about, when there is one. */
  readonly subject: string | undefined;

  constructor(code: TextErrorCode, message: string, options: { subject?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TextError';
    this.code = code;
    this.subject = options.subject;
  }
}
