import {
  HTML5_NAMED_REFERENCES,
  NUMERIC_REFERENCE_DROPPED,
  NUMERIC_REFERENCE_FIXUPS,
} from './html-entities.ts';

/**
 * The characters Python's `re` treats as \s in a str pattern (str.isspace). JavaScript's \s differs
 * (it adds U+FEFF and lacks U+001C..U+001F and U+0085), and CLIP's cleanup is defined by Python's.
 */
export const PY_WHITESPACE =
  '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE}]+`, 'gu');
const LEADING_WS = new RegExp(`^[${PY_WHITESPACE}]+`, 'u');
const TRAILING_WS = new RegExp(`[${PY_WHITESPACE}]+$`, 'u');
const CHAR_REF = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/gu;
const SINGLE_CURLY = /[\u02bc\u2018-\u201b]/gu;
const DOUBLE_CURLY = /[\u201c-\u201f]/gu;

function stripPy(text: string): string {
  return text.replace(LEADING_WS, '').replace(TRAILING_WS, '');
}

function numericReference(body: string): string {
  const hex = body[1] === 'x' || body[1] === 'X';
  const digits = body.slice(hex ? 2 : 1).replace(/;$/, '');
  // Digits past 2^53 lose precision, but such numbers are far above U+10FFFF either way.
  const num = Number.parseInt(digits, hex ? 16 : 10);
  const fixed = NUMERIC_REFERENCE_FIXUPS.get(num);
  if (fixed !== undefined) return fixed;
  if ((num >= 0xd800 && num <= 0xdfff) || num > 0x10ffff) return '\ufffd';
  if (NUMERIC_REFERENCE_DROPPED.has(num)) return '';
  return String.fromCodePoint(num);
}

function namedReference(body: string): string {
  const whole = HTML5_NAMED_REFERENCES.get(body);
  if (whole !== undefined) return whole;
  // HTML5 accepts the longest known name that prefixes the reference ("&notit;" -> "¬it;").
  for (let len = body.length - 1; len > 1; len--) {
    const hit = HTML5_NAMED_REFERENCES.get(body.slice(0, len));
    if (hit !== undefined) return hit + body.slice(len);
  }
  return `&${body}`;
}

/** Python's html.unescape: HTML5 named and numeric character references, with HTML5's fixups. */
export function htmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(CHAR_REF, (_match, body: string) =>
    body.startsWith('#') ? numericReference(body) : namedReference(body),
  );
}

/**
 * CLIP's text cleanup, basic_clean + whitespace_clean + lower():
 *   ftfy.fix_text -> html.unescape twice -> strip -> collapse whitespace runs to ' ' -> strip -> lower.
 *
 * ftfy is a Python library with no JavaScript port. Of fix_text we apply only NFC normalisation and
 * its uncurl_quotes step (curly single/double quotes -> ' and "), because typed prompts hit those:
 * phones write "it’s", and only the straight apostrophe matches the "'s" pre-token. Skipped, so
 * such text tokenizes differently from CLIP with ftfy: mojibake repair (fix_encoding and its
 * helpers), HTML unescaping by ftfy itself (CLIP then unescapes twice more), terminal escape and
 * control character removal, Latin ligature expansion (ﬁ -> fi), full-width -> half-width forms,
 * line-break and surrogate fixes. tools/reference/clip_bpe_reference.py makes the same choice.
 */
export function clipCleanText(text: string): string {
  let out = text.normalize('NFC').replace(SINGLE_CURLY, "'").replace(DOUBLE_CURLY, '"');
  out = stripPy(htmlUnescape(htmlUnescape(out)));
  return stripPy(out.replace(WHITESPACE_RUN, ' ')).toLowerCase();
}
