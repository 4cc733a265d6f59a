/**
 * Ogg page walking. The first page names the codec (Vorbis and Opus need different decoders), the
 * granule position of the last page gives the length before decoding, and the end-of-stream flag
 * tells a complete file from an interrupted upload.
 */

export type OggCodec = 'vorbis' | 'opus' | 'flac' | 'speex' | 'theora' | 'unknown';

export interface OggFirstPage {
  codec: OggCodec;
  serial: number;
  channels: number;
  /** Vorbis: the coded rate. Opus: always 48 kHz after decoding; the header's input rate is informative only. */
  sampleRate: number;
  /** Opus samples to drop at the start (at 48 kHz). */
  preSkip: number;
}

export interface OggWalk {
  /** Granule position of the first stream's last page with one, or -1. */
  lastGranule: number;
  endOfStream: boolean;
  /** A page header or body runs past the end of the bytes. */
  truncated: boolean;
  pages: number;
}

function ascii(b: Uint8Array, pos: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(b[pos + i] ?? 0);
  return s;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function isOggPage(b: Uint8Array, pos: number): boolean {
  return ascii(b, pos, 4) === 'OggS' && b[pos + 4] === 0;
}

/** Codec and basic parameters from the first page's first packet, or null when there is no whole first page. */
export function readOggFirstPage(b: Uint8Array): OggFirstPage | null {
  if (b.length < 28 || !isOggPage(b, 0)) return null;
  const segments = b[26] ?? 0;
  const body = 27 + segments;
  if (body > b.length) return null;
  const dv = view(b);
  const serial = dv.getUint32(14, true);
  const head: OggFirstPage = { codec: 'unknown', serial, channels: 0, sampleRate: 0, preSkip: 0 };
  if (ascii(b, body, 7) === '\x01vorbis' && body + 16 <= b.length) {
    return {
      ...head,
      codec: 'vorbis',
      channels: b[body + 11] ?? 0,
      sampleRate: dv.getUint32(body + 12, true),
    };
  }
  if (ascii(b, body, 8) === 'OpusHead' && body + 12 <= b.length) {
    return {
      ...head,
      codec: 'opus',
      channels: b[body + 9] ?? 0,
      sampleRate: 48000,
      preSkip: dv.getUint16(body + 10, true),
    };
  }
  if (ascii(b, body, 5) === '\x7fFLAC') return { ...head, codec: 'flac' };
  if (ascii(b, body, 8) === 'Speex   ') return { ...head, codec: 'speex' };
  if (ascii(b, body, 7) === '\x80theora') return { ...head, codec: 'theora' };
  return head;
}

/** Walk every page, following the logical stream `serial`. Junk between pages is skipped up to the next capture pattern. */
export function walkOggPages(b: Uint8Array, serial: number): OggWalk {
  const dv = view(b);
  const walk: OggWalk = { lastGranule: -1, endOfStream: false, truncated: false, pages: 0 };
  let pos = 0;
  while (pos < b.length) {
    if (!isOggPage(b, pos)) {
      // A capture pattern cut by the end of the data is an interrupted page, not junk.
      if (b.length - pos < 5 && 'OggS'.startsWith(ascii(b, pos, b.length - pos))) {
        walk.truncated = true;
        break;
      }
      const next = indexOfOggS(b, pos + 1);
      if (next < 0) break;
      pos = next;
      continue;
    }
    if (pos + 27 > b.length) {
      walk.truncated = true;
      break;
    }
    const segments = b[pos + 26] ?? 0;
    const bodyStart = pos + 27 + segments;
    if (bodyStart > b.length) {
      walk.truncated = true;
      break;
    }
    let bodyLength = 0;
    for (let i = 0; i < segments; i++) bodyLength += b[pos + 27 + i] ?? 0;
    if (bodyStart + bodyLength > b.length) {
      walk.truncated = true;
      break;
    }
    walk.pages++;
    if (dv.getUint32(pos + 14, true) === serial) {
      const lo = dv.getUint32(pos + 6, true);
      const hi = dv.getUint32(pos + 10, true);
      // All ones means "no packet ends on this page".
      if (!(lo === 0xffffffff && hi === 0xffffffff)) walk.lastGranule = hi * 2 ** 32 + lo;
      if ((b[pos + 5] ?? 0) & 4) walk.endOfStream = true;
    }
    pos = bodyStart + bodyLength;
  }
  return walk;
}

function indexOfOggS(b: Uint8Array, from: number): number {
  for (let p = from; p + 4 <= b.length; p++) {
    if (b[p] === 0x4f && b[p + 1] === 0x67 && b[p + 2] === 0x67 && b[p + 3] === 0x53) return p;
  }
  return -1;
}
