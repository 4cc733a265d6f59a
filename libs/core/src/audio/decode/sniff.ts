// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the untyped package's declarations travel with this source to every package that compiles it
/// <reference path="./audio-type.d.ts" />
import audioType from 'audio-type';
import { findFrameChain, parseAdtsHeader, parseMp3Header } from './mpeg-frames.ts';
import { readOggFirstPage } from './ogg-pages.ts';

export type AudioFormat =
  'wav' | 'mp3' | 'ogg-vorbis' | 'ogg-opus' | 'flac' | 'webm' | 'matroska' | 'mp4' | 'm4a' | 'aac';

export type SniffResult =
  | {
      supported: true;
      format: AudioFormat;
      /** Where the stream proper starts (after ID3v2 tags or leading junk). */
      offset: number;
    }
  | {
      supported: false;
      /** What the bytes look like, for the error message ("a PNG image", "Ogg Speex audio"). */
      looksLike: string;
      /** The bytes start like a known format but stop before it can be told apart: an interrupted upload. */
      truncated?: true;
    };

/** Leading junk tolerated before the first MPEG frame (players skip it; some encoders write it). */
const FRAME_SEARCH_WINDOW = 64 * 1024;

function ascii(b: Uint8Array, pos: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(b[pos + i] ?? 0);
  return s;
}

/** Offset after any ID3v2 tags at `pos` (some files carry several). */
export function skipId3v2(b: Uint8Array, pos = 0): number {
  let p = pos;
  while (p + 10 <= b.length && ascii(b, p, 3) === 'ID3') {
    const size =
      (((b[p + 6] ?? 0) & 0x7f) << 21) |
      (((b[p + 7] ?? 0) & 0x7f) << 14) |
      (((b[p + 8] ?? 0) & 0x7f) << 7) |
      ((b[p + 9] ?? 0) & 0x7f);
    const footer = (b[p + 5] ?? 0) & 0x10 ? 10 : 0;
    p += 10 + size + footer;
  }
  return p;
}

/** Identify container and codec from the bytes alone; file names and MIME types from uploads are not trusted. */
export function sniffAudio(b: Uint8Array): SniffResult {
  const tag4 = ascii(b, 0, 4);
  if (tag4 === 'RIFF') {
    if (b.length < 12)
      return { supported: false, looksLike: 'a RIFF file cut off inside its header', truncated: true };
    const form = ascii(b, 8, 4);
    if (form === 'WAVE') return { supported: true, format: 'wav', offset: 0 };
    if (form === 'AVI ') return { supported: false, looksLike: 'an AVI video' };
    return { supported: false, looksLike: `a RIFF file of type "${printable(form)}"` };
  }
  if (tag4 === 'RF64' || tag4 === 'BW64')
    return { supported: false, looksLike: 'an RF64 (over 4 GB) WAV file' };
  if (tag4 === 'OggS') return sniffOgg(b);
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) {
    return { supported: true, format: ebmlDocType(b) === 'webm' ? 'webm' : 'matroska', offset: 0 };
  }
  if (ascii(b, 4, 4) === 'ftyp') return sniffIsoMedia(b);

  const afterId3 = skipId3v2(b);
  if (afterId3 > b.length || (b.length < 10 && ascii(b, 0, 3) === 'ID3'))
    return { supported: false, looksLike: 'a file cut off inside its ID3 tag', truncated: true };
  if (ascii(b, afterId3, 4) === 'fLaC') return { supported: true, format: 'flac', offset: afterId3 };
  if (afterId3 < b.length) {
    const window = afterId3 + FRAME_SEARCH_WINDOW;
    const adts = findFrameChain(b, afterId3, window, parseAdtsHeader);
    if (adts >= 0) return { supported: true, format: 'aac', offset: adts };
    const mp3 = findFrameChain(b, afterId3, window, parseMp3Header);
    if (mp3 >= 0) return { supported: true, format: 'mp3', offset: mp3 };
    // A first frame cut by the end of the data: too short to prove a chain, but plainly interrupted.
    const lone = parseAdtsHeader(b, afterId3) ?? parseMp3Header(b, afterId3);
    if (lone && afterId3 + lone.length > b.length) {
      return {
        supported: false,
        looksLike: 'an MPEG audio stream cut off inside its first frame',
        truncated: true,
      };
    }
  }
  if (afterId3 > 0)
    return { supported: false, looksLike: 'an ID3-tagged file whose audio could not be found' };
  return { supported: false, looksLike: describeOther(b) };
}

function sniffOgg(b: Uint8Array): SniffResult {
  const first = readOggFirstPage(b);
  switch (first?.codec) {
    case 'vorbis':
      return { supported: true, format: 'ogg-vorbis', offset: 0 };
    case 'opus':
      return { supported: true, format: 'ogg-opus', offset: 0 };
    case 'flac':
      return {
        supported: false,
        looksLike: 'FLAC audio inside an Ogg container (re-save it as plain .flac)',
      };
    case 'speex':
      return { supported: false, looksLike: 'Ogg Speex audio' };
    case 'theora':
      return { supported: false, looksLike: 'an Ogg Theora video' };
    case 'unknown':
      return { supported: false, looksLike: 'an Ogg file with an unknown codec' };
    default:
      return { supported: false, looksLike: 'an Ogg file cut off inside its first page', truncated: true };
  }
}

/** The DocType string of an EBML header ("webm" or "matroska"); the element sits in the first few dozen bytes. */
function ebmlDocType(b: Uint8Array): string {
  const end = Math.min(b.length - 3, 64);
  for (let p = 4; p < end; p++) {
    if (b[p] === 0x42 && b[p + 1] === 0x82) {
      const sizeByte = b[p + 2] ?? 0;
      // One-byte EBML size (0x80 | n), the only form muxers use for this short string.
      if (sizeByte & 0x80) return ascii(b, p + 3, sizeByte & 0x7f);
    }
  }
  return '';
}

function sniffIsoMedia(b: Uint8Array): SniffResult {
  const brand = ascii(b, 8, 4);
  if (['heic', 'heix', 'mif1', 'msf1', 'avif', 'avis'].includes(brand))
    return { supported: false, looksLike: 'a HEIF/AVIF image' };
  const audioOnly = brand.startsWith('M4A') || brand.startsWith('M4B') || brand.startsWith('M4P');
  return { supported: true, format: audioOnly ? 'm4a' : 'mp4', offset: 0 };
}

const OTHER_AUDIO: Record<string, string> = {
  aiff: 'AIFF audio',
  caf: 'Core Audio (CAF) audio',
  wma: 'Windows Media audio',
  amr: 'AMR voice audio',
  mid: 'a MIDI file (notes, not a recording)',
  ac3: 'Dolby AC-3 audio',
  eac3: 'Dolby E-AC-3 audio',
  dts: 'DTS audio',
  wv: 'WavPack audio',
  ape: "Monkey's Audio",
  mpc: 'Musepack audio',
  tta: 'TTA audio',
  qoa: 'QOA audio',
  avi: 'an AVI video',
};

const MAGIC: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (or an Office document)'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'a program (ELF executable)'],
  [[0x4d, 0x5a], 'a Windows program'],
];

function describeOther(b: Uint8Array): string {
  const other = audioType(b);
  if (other && OTHER_AUDIO[other]) return OTHER_AUDIO[other];
  for (const [magic, what] of MAGIC) if (magic.every((v, i) => b[i] === v)) return what;
  const text = textKind(b);
  if (text) return text;
  return `unrecognised binary data (starts with ${hex(b.subarray(0, 4))})`;
}

/** "a text file" / "an HTML page" / ... when the start decodes as UTF-8 without control bytes. */
function textKind(b: Uint8Array): string | null {
  let head = b.subarray(0, 1024);
  // Do not let a multi-byte character cut by the window spoil the check.
  while (head.length > 0 && ((head[head.length - 1] ?? 0) & 0xc0) === 0x80)
    head = head.subarray(0, head.length - 1);
  if (head.length > 0 && ((head[head.length - 1] ?? 0) & 0xc0) === 0xc0)
    head = head.subarray(0, head.length - 1);
  let s: string;
  try {
    s = new TextDecoder('utf-8', { fatal: true }).decode(head);
  } catch {
    return null;
  }
  if (s.length === 0 || Array.from(s).some(isControl)) return null;
  const start = s
    .replace(/^\uFEFF/u, '')
    .trimStart()
    .slice(0, 64)
    .toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'an HTML page';
  if (start.startsWith('<?xml') || start.startsWith('<svg')) return 'an XML/SVG document';
  if (start.startsWith('{') || start.startsWith('[')) return 'JSON or other text';
  return 'a text file';
}

/** C0 controls other than tab/newline/CR/form feed, and DEL: bytes that never appear in text. */
function isControl(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f;
}

function hex(b: Uint8Array): string {
  return Array.from(b, (v) => v.toString(16).padStart(2, '0')).join(' ') || 'nothing';
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/gu, '?');
}
