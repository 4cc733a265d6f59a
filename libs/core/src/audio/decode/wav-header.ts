import { AudioDecodeError } from './errors.ts';
import { checkStreamParameters } from './limits.ts';

export type WavEncoding = 'pcm' | 'float' | 'alaw' | 'mulaw';

export interface WavHeader {
  encoding: WavEncoding;
  channels: number;
  sampleRate: number;
  /** Container bits per sample (EXTENSIBLE may carry fewer valid bits inside them). */
  bitsPerSample: number;
  blockAlign: number;
  dataOffset: number;
  /** Whole frames present in the data chunk. */
  frames: number;
}

const FORMAT_TAGS: Record<number, WavEncoding> = { 1: 'pcm', 3: 'float', 6: 'alaw', 7: 'mulaw' };
const VALID_BITS: Record<WavEncoding, readonly number[]> = {
  pcm: [8, 16, 24, 32],
  float: [32, 64],
  alaw: [8],
  mulaw: [8],
};
const EXTENSIBLE = 0xfffe;
const COMPRESSED_NAMES: Record<number, string> = {
  2: 'Microsoft ADPCM',
  0x11: 'IMA ADPCM',
  0x31: 'GSM 6.10',
  0x50: 'MPEG',
  0x55: 'MP3',
};

function fail(code: 'CORRUPT' | 'TRUNCATED' | 'NO_AUDIO' | 'UNSUPPORTED_FORMAT', message: string): never {
  throw new AudioDecodeError(code, message, 'wav');
}

function ascii(b: Uint8Array, pos: number): string {
  return String.fromCharCode(b[pos] ?? 0, b[pos + 1] ?? 0, b[pos + 2] ?? 0, b[pos + 3] ?? 0);
}

/**
 * Parse and sanity-check a RIFF/WAVE header before any decoder sees it: the decoder allocates what
 * the header claims, so a damaged header must be refused here. Sizes of 0 or 0xFFFFFFFF in the data
 * chunk are placeholders left by streaming writers and mean "to the end of the file".
 */
export function readWavHeader(b: Uint8Array): WavHeader {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = 12;
  let fmt: Omit<WavHeader, 'dataOffset' | 'frames'> | null = null;
  while (pos + 8 <= b.length) {
    const id = ascii(b, pos);
    const size = dv.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16) fail('CORRUPT', 'The WAV header is damaged (format chunk too small).');
      if (body + 16 > b.length) break;
      fmt = readFormat(b, dv, body, size);
    } else if (id === 'data') {
      if (!fmt)
        fail('CORRUPT', 'The WAV file is damaged: its audio data comes before the format description.');
      const available = b.length - body;
      const placeholder = size === 0 || size === 0xffffffff;
      if (!placeholder && size > available) {
        fail(
          'TRUNCATED',
          `The WAV file stops early: its header announces ${size} bytes of audio but only ${available} arrived. The upload looks incomplete.`,
        );
      }
      const bytes = placeholder ? available : size;
      const frames = Math.floor(bytes / fmt.blockAlign);
      if (frames === 0) fail('NO_AUDIO', 'The WAV file holds no audio samples.');
      return { ...fmt, dataOffset: body, frames };
    }
    // Chunks are padded to an even size.
    pos = body + size + (size & 1);
  }
  // Every chunk walked and no audio yet: writers put the data chunk last, so the rest is missing.
  return fail('TRUNCATED', 'The WAV file ends before its audio data begins: the upload looks incomplete.');
}

function readFormat(
  b: Uint8Array,
  dv: DataView,
  body: number,
  size: number,
): Omit<WavHeader, 'dataOffset' | 'frames'> {
  let tag = dv.getUint16(body, true);
  const channels = dv.getUint16(body + 2, true);
  const sampleRate = dv.getUint32(body + 4, true);
  const blockAlign = dv.getUint16(body + 12, true);
  const bitsPerSample = dv.getUint16(body + 14, true);
  if (tag === EXTENSIBLE) {
    if (size < 40 || body + 40 > b.length)
      fail('CORRUPT', 'The WAV header is damaged (extensible format chunk too small).');
    // The real format tag is the first two bytes of the SubFormat GUID.
    tag = dv.getUint16(body + 24, true);
  }
  const encoding = FORMAT_TAGS[tag];
  if (!encoding) {
    const name = COMPRESSED_NAMES[tag] ?? `format 0x${tag.toString(16).padStart(4, '0')}`;
    fail(
      'UNSUPPORTED_FORMAT',
      `This WAV file is compressed with ${name}, which is not supported. Re-save it as PCM WAV, FLAC or MP3.`,
    );
  }
  checkStreamParameters('wav', sampleRate, channels);
  if (!VALID_BITS[encoding].includes(bitsPerSample)) {
    fail(
      'UNSUPPORTED_FORMAT',
      `This WAV file uses ${bitsPerSample}-bit ${encoding} samples, which is not supported.`,
    );
  }
  if (blockAlign !== (channels * bitsPerSample) / 8) {
    fail(
      'CORRUPT',
      `The WAV header is damaged: ${channels} channels of ${bitsPerSample}-bit samples cannot take ${blockAlign} bytes per frame.`,
    );
  }
  return { encoding, channels, sampleRate, bitsPerSample, blockAlign };
}

const ENCODING_TAGS: Record<WavEncoding, number> = { pcm: 1, float: 3, alaw: 6, mulaw: 7 };

/**
 * A minimal WAV holding just the checked format and the whole frames of the data chunk. The decoder
 * then sees exactly what was validated here; it would otherwise walk the chunks again by its own rules
 * (it skips the pad byte after odd-sized chunks, for one, and loses the data chunk behind them).
 */
export function rebuildWav(b: Uint8Array, h: WavHeader): Uint8Array {
  const dataBytes = h.frames * h.blockAlign;
  const out = new Uint8Array(44 + dataBytes);
  const dv = new DataView(out.buffer);
  out.set([0x52, 0x49, 0x46, 0x46], 0); // RIFF
  dv.setUint32(4, 36 + dataBytes, true);
  out.set([0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20], 8); // WAVEfmt
  dv.setUint32(16, 16, true);
  dv.setUint16(20, ENCODING_TAGS[h.encoding], true);
  dv.setUint16(22, h.channels, true);
  dv.setUint32(24, h.sampleRate, true);
  dv.setUint32(28, h.sampleRate * h.blockAlign, true);
  dv.setUint16(32, h.blockAlign, true);
  dv.setUint16(34, h.bitsPerSample, true);
  out.set([0x64, 0x61, 0x74, 0x61], 36); // data
  dv.setUint32(40, dataBytes, true);
  out.set(b.subarray(h.dataOffset, h.dataOffset + dataBytes), 44);
  return out;
}
