import { AudioDecodeError } from './errors.ts';

export interface FlacInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 0 when the encoder did not know the length (streamed). */
  totalSamples: number;
  /** Offset of the first audio frame. */
  audioStart: number;
}

const STREAMINFO = 0;

function fail(code: 'CORRUPT' | 'TRUNCATED' | 'NO_AUDIO', why: string): never {
  throw new AudioDecodeError(code, why, 'flac');
}
const INVALID_BLOCK = 127;

/**
 * Read STREAMINFO and walk the metadata blocks of a FLAC stream starting at `start` (after any ID3v2
 * tag). The decoder would report most of these problems as a bare failure or as silence; this names them.
 */
export function readFlacInfo(b: Uint8Array, start: number): FlacInfo {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = start + 4;
  let info: Omit<FlacInfo, 'audioStart'> | null = null;
  for (;;) {
    if (pos + 4 > b.length)
      fail('TRUNCATED', 'The FLAC file ends inside its header: the upload looks incomplete.');
    const flags = b[pos] ?? 0;
    const type = flags & 0x7f;
    const length = ((b[pos + 1] ?? 0) << 16) | ((b[pos + 2] ?? 0) << 8) | (b[pos + 3] ?? 0);
    if (type === INVALID_BLOCK) fail('CORRUPT', 'The FLAC header is damaged (invalid metadata block).');
    if (info === null) {
      if (type !== STREAMINFO || length !== 34)
        fail('CORRUPT', 'The FLAC header is damaged (no STREAMINFO block).');
      if (pos + 4 + 34 > b.length)
        fail('TRUNCATED', 'The FLAC file ends inside its header: the upload looks incomplete.');
      const s = pos + 4;
      const b12 = b[s + 12] ?? 0;
      const b13 = b[s + 13] ?? 0;
      info = {
        sampleRate: ((b[s + 10] ?? 0) << 12) | ((b[s + 11] ?? 0) << 4) | (b12 >> 4),
        channels: ((b12 >> 1) & 7) + 1,
        bitsPerSample: (((b12 & 1) << 4) | (b13 >> 4)) + 1,
        totalSamples: (b13 & 0x0f) * 2 ** 32 + dv.getUint32(s + 14),
      };
    }
    pos += 4 + length;
    if (pos > b.length)
      fail('TRUNCATED', 'The FLAC file ends inside its metadata: the upload looks incomplete.');
    if (flags & 0x80) break;
  }
  if (info === null) return fail('CORRUPT', 'The FLAC header is damaged (no STREAMINFO block).');
  if (pos >= b.length) {
    if (info.totalSamples > 0)
      fail('TRUNCATED', 'The FLAC file has a header but no audio: the upload looks incomplete.');
    fail('NO_AUDIO', 'The FLAC file has a header but holds no audio.');
  }
  return { ...info, audioStart: pos };
}
