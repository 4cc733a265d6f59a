/**
 * Frame walking for the two sync-word formats (MPEG audio layers I-III and ADTS AAC). Neither has a
 * container that states the length, so the frame chain is the only evidence of a good file: it tells a
 * real stream from bytes that merely start with 0xFF, how long the audio is before decoding it, and
 * whether the upload stopped in the middle of a frame.
 */

export interface FrameHeader {
  /** Bytes from this header to the next one. */
  length: number;
  sampleRate: number;
  /** 0 when the stream defers the layout to a program config element (ADTS channel config 0). */
  channels: number;
  samplesPerFrame: number;
}

export type FrameParser = (b: Uint8Array, pos: number) => FrameHeader | null;

const MP3_BITRATES_KBPS: Record<string, readonly number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
// Indexed by the header's 2-bit version field: 0 = MPEG 2.5, 1 = reserved, 2 = MPEG 2, 3 = MPEG 1.
const MP3_RATES: readonly (readonly number[] | null)[] = [
  [11025, 12000, 8000],
  null,
  [22050, 24000, 16000],
  [44100, 48000, 32000],
];

/** An MPEG-1/2/2.5 layer I-III frame header, or null. Free-format bitrate is refused: its frames have no stated length. */
export const parseMp3Header: FrameParser = (b, pos) => {
  if (pos + 4 > b.length) return null;
  const b1 = b[pos + 1] ?? 0;
  const b2 = b[pos + 2] ?? 0;
  const b3 = b[pos + 3] ?? 0;
  if (b[pos] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 3;
  const layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  const rates = MP3_RATES[version];
  if (!rates || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  if ((b3 & 3) === 2) return null; // reserved emphasis
  const layer = 4 - layerBits;
  const mpeg1 = version === 3;
  const kbps = MP3_BITRATES_KBPS[`${mpeg1 ? 1 : 2}-${layer}`]?.[bitrateIndex] ?? 0;
  const sampleRate = rates[rateIndex] ?? 0;
  const padding = (b2 >> 1) & 1;
  let length: number;
  let samplesPerFrame: number;
  if (layer === 1) {
    length = (Math.floor((12 * kbps * 1000) / sampleRate) + padding) * 4;
    samplesPerFrame = 384;
  } else if (layer === 2 || mpeg1) {
    length = Math.floor((144 * kbps * 1000) / sampleRate) + padding;
    samplesPerFrame = 1152;
  } else {
    length = Math.floor((72 * kbps * 1000) / sampleRate) + padding;
    samplesPerFrame = 576;
  }
  return { length, sampleRate, channels: b3 >> 6 === 3 ? 1 : 2, samplesPerFrame };
};

const ADTS_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** An ADTS (raw AAC) frame header, or null. */
export const parseAdtsHeader: FrameParser = (b, pos) => {
  if (pos + 7 > b.length) return null;
  const b1 = b[pos + 1] ?? 0;
  const b2 = b[pos + 2] ?? 0;
  const b3 = b[pos + 3] ?? 0;
  const b4 = b[pos + 4] ?? 0;
  const b5 = b[pos + 5] ?? 0;
  const b6 = b[pos + 6] ?? 0;
  if (b[pos] !== 0xff || (b1 & 0xf6) !== 0xf0) return null;
  const sampleRate = ADTS_RATES[(b2 >> 2) & 0xf];
  if (sampleRate === undefined) return null;
  const headerLength = b1 & 1 ? 7 : 9;
  const length = ((b3 & 3) << 11) | (b4 << 3) | (b5 >> 5);
  if (length <= headerLength) return null;
  const channels = ((b2 & 1) << 2) | (b3 >> 6);
  return {
    length,
    sampleRate,
    channels: channels === 7 ? 8 : channels,
    samplesPerFrame: 1024 * ((b6 & 3) + 1),
  };
};

/** True when `pos` starts `count` consecutive frames of one sample rate, or frames that end exactly at the end. */
function chainsAt(b: Uint8Array, pos: number, parse: FrameParser, count: number): boolean {
  const first = parse(b, pos);
  if (!first) return false;
  let p = pos;
  for (let i = 0; i < count; i++) {
    const h = parse(b, p);
    if (!h || h.sampleRate !== first.sampleRate) return false;
    p += h.length;
    if (p === b.length) return true;
    if (p > b.length) return i > 0;
  }
  return true;
}

/** Offset of the first frame that starts a chain, searching [from, to), or -1. */
export function findFrameChain(b: Uint8Array, from: number, to: number, parse: FrameParser): number {
  const stop = Math.min(to, b.length);
  for (let p = from; p < stop; p++) {
    if (b[p] === 0xff && chainsAt(b, p, parse, 3)) return p;
  }
  return -1;
}

export interface FrameWalk {
  frames: number;
  samples: number;
  sampleRate: number;
  channels: number;
  /** The last frame's header says it runs past the end of the bytes. */
  truncated: boolean;
}

const TAIL_TAGS = ['TAG', 'APETAGEX', 'LYRICSBEGIN', 'ID3'];
const RESYNC_WINDOW = 8192;

function startsWithAscii(b: Uint8Array, pos: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (b[pos + i] !== s.charCodeAt(i)) return false;
  return true;
}

/**
 * Follow the frame chain from `start` (a chain found by findFrameChain) to the end. Junk between
 * frames is skipped when a chain resumes within a few KB, as decoders do; metadata tags and junk at
 * the end stop the walk without complaint. Only a frame cut short by the end of the data counts as
 * truncation, which is what an interrupted upload looks like.
 */
export function walkFrames(b: Uint8Array, start: number, parse: FrameParser): FrameWalk {
  const first = parse(b, start);
  const walk: FrameWalk = {
    frames: 0,
    samples: 0,
    sampleRate: first?.sampleRate ?? 0,
    channels: first?.channels ?? 0,
    truncated: false,
  };
  let pos = start;
  while (pos < b.length) {
    const h = parse(b, pos);
    if (h && h.sampleRate === walk.sampleRate) {
      if (pos + h.length > b.length) {
        walk.truncated = true;
        break;
      }
      walk.frames++;
      walk.samples += h.samplesPerFrame;
      pos += h.length;
      continue;
    }
    // A header cut before its own end: only a sync byte is left.
    if (
      b[pos] === 0xff &&
      b.length - pos < 7 &&
      (b.length - pos < 2 || ((b[pos + 1] ?? 0) & 0xe0) === 0xe0)
    ) {
      walk.truncated = true;
      break;
    }
    if (TAIL_TAGS.some((t) => startsWithAscii(b, pos, t))) break;
    const next = findFrameChain(b, pos + 1, pos + RESYNC_WINDOW, parse);
    if (next < 0) break;
    pos = next;
  }
  return walk;
}
