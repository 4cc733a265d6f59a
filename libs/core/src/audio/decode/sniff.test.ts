import { describe, expect, it } from 'vitest';
import { sniffAudio, skipId3v2 } from './sniff.ts';
import { encodeWav } from './wav-writer.ts';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)));

/** One Ogg page whose single packet is `packet`. */
function oggPage(packet: Uint8Array): Uint8Array {
  return bytes(
    'OggS',
    [0, 2],
    new Array<number>(8).fill(0),
    [1, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [1, packet.length],
    Array.from(packet),
  );
}

/** A run of MPEG-1 layer III frames, 128 kb/s at 44.1 kHz (417 bytes each). */
function mp3Frames(count: number): number[] {
  const frame = [0xff, 0xfb, 0x90, 0x00, ...new Array<number>(413).fill(0)];
  return Array.from({ length: count }, () => frame).flat();
}

/** A run of ADTS AAC-LC frames at 44.1 kHz stereo, 100 bytes each. */
function adtsFrames(count: number): number[] {
  const len = 100;
  const header = [0xff, 0xf1, 0x50, 0x80 | (len >> 11), (len >> 3) & 0xff, ((len & 7) << 5) | 0x1f, 0xfc];
  return Array.from({ length: count }, () => [...header, ...new Array<number>(len - 7).fill(0)]).flat();
}

describe('sniffAudio', () => {
  it('WAV, including WAVE_FORMAT_EXTENSIBLE', () => {
    const x = [new Float32Array(4)];
    expect(sniffAudio(encodeWav(x, 8000, { encoding: 'pcm', bitsPerSample: 16 }))).toEqual({
      supported: true,
      format: 'wav',
      offset: 0,
    });
    expect(
      sniffAudio(encodeWav(x, 8000, { encoding: 'pcm', bitsPerSample: 24, extensible: true })),
    ).toMatchObject({ format: 'wav' });
  });

  it('tells Ogg Vorbis from Ogg Opus by the first packet, and names other Ogg codecs', () => {
    expect(sniffAudio(oggPage(bytes('\x01vorbis', new Array<number>(23).fill(0))))).toMatchObject({
      format: 'ogg-vorbis',
    });
    expect(sniffAudio(oggPage(bytes('OpusHead', [1, 2, 0x38, 1, 0x80, 0xbb, 0, 0, 0, 0, 0])))).toMatchObject({
      format: 'ogg-opus',
    });
    expect(sniffAudio(oggPage(bytes('Speex   ', new Array<number>(72).fill(0))))).toMatchObject({
      supported: false,
      looksLike: 'Ogg Speex audio',
    });
  });

  it('MP3 needs a chain of frames, after an ID3v2 tag or not', () => {
    expect(sniffAudio(bytes(mp3Frames(4)))).toMatchObject({ format: 'mp3', offset: 0 });
    const tag = bytes('ID3', [4, 0, 0, 0, 0, 0, 20], new Array<number>(20).fill(0));
    expect(skipId3v2(tag)).toBe(30);
    expect(sniffAudio(bytes(Array.from(tag), mp3Frames(4)))).toMatchObject({ format: 'mp3', offset: 30 });
    // One stray sync word in otherwise random-looking bytes is not MP3.
    expect(sniffAudio(bytes([0xff, 0xfb, 0x90, 0x00], new Array<number>(2000).fill(0x41)))).toMatchObject({
      supported: false,
    });
  });

  it('ADTS AAC is not mistaken for MP3', () => {
    expect(sniffAudio(bytes(adtsFrames(5)))).toMatchObject({ format: 'aac', offset: 0 });
  });

  it('FLAC, EBML doc types and ISO brands', () => {
    expect(sniffAudio(bytes('fLaC', [0x80, 0, 0, 34], new Array<number>(34).fill(0)))).toMatchObject({
      format: 'flac',
    });
    const ebml = (doc: string): Uint8Array =>
      bytes([0x1a, 0x45, 0xdf, 0xa3, 0x80 | (doc.length + 3), 0x42, 0x82, 0x80 | doc.length], doc);
    expect(sniffAudio(ebml('webm'))).toMatchObject({ format: 'webm' });
    expect(sniffAudio(ebml('matroska'))).toMatchObject({ format: 'matroska' });
    const ftyp = (brand: string): Uint8Array => bytes([0, 0, 0, 16], 'ftyp', brand, [0, 0, 0, 0]);
    expect(sniffAudio(ftyp('M4A '))).toMatchObject({ format: 'm4a' });
    expect(sniffAudio(ftyp('isom'))).toMatchObject({ format: 'mp4' });
    expect(sniffAudio(ftyp('heic'))).toMatchObject({ supported: false, looksLike: 'a HEIF/AVIF image' });
  });

  it('describes what a non-audio file looks like', () => {
    const looks = (b: Uint8Array): string => {
      const r = sniffAudio(b);
      return r.supported ? `supported ${r.format}` : r.looksLike;
    };
    expect(looks(bytes('hello, this is a note about the meeting\n'))).toBe('a text file');
    expect(looks(bytes('  <!DOCTYPE html><html></html>'))).toBe('an HTML page');
    expect(looks(bytes('{"error": "not found"}'))).toBe('JSON or other text');
    expect(looks(bytes('FORM', [0, 0, 0, 4], 'AIFF'))).toBe('AIFF audio');
    expect(looks(bytes('RIFF', [4, 0, 0, 0], 'AVI '))).toBe('an AVI video');
    expect(looks(bytes([0x00, 0x01, 0x02, 0x03, 0x04]))).toBe(
      'unrecognised binary data (starts with 00 01 02 03)',
    );
    expect(sniffAudio(bytes('RIFF', [0, 0]))).toMatchObject({ supported: false, truncated: true });
  });
});
