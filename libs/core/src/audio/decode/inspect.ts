import { AudioDecodeError } from './errors.ts';
import { readFlacInfo } from './flac-info.ts';
import { checkDuration, checkStreamParameters, label, MAX_CHANNELS } from './limits.ts';
import { parseAdtsHeader, parseMp3Header, walkFrames, type FrameParser } from './mpeg-frames.ts';
import { readOggFirstPage, walkOggPages } from './ogg-pages.ts';
import type { AudioFormat } from './sniff.ts';
import { readWavHeader, type WavHeader } from './wav-header.ts';

/** What the container says before decoding, used to bound and then check the decoder's output. */
export interface ContainerFacts {
  /** The rate the decoder will produce, when the header says (bounds the worker's output). */
  sampleRate?: number;
  /** Frames per channel a complete file holds, when the header says exactly. */
  expectedFrames?: number;
  /** The checked WAV header, from which the decoder's input is rebuilt. */
  wav?: WavHeader;
}

/**
 * Structural checks per format, cheap and on the main thread: damaged headers, impossible parameters,
 * interrupted uploads and over-long audio are refused here, before a decoder allocates for them.
 * Formats ffmpeg handles are checked by ffmpeg itself.
 */
export function inspectContainer(
  b: Uint8Array,
  format: AudioFormat,
  offset: number,
  maxDurationS: number,
): ContainerFacts {
  switch (format) {
    case 'wav': {
      const h = readWavHeader(b);
      checkDuration(format, h.frames / h.sampleRate, maxDurationS);
      return { sampleRate: h.sampleRate, expectedFrames: h.frames, wav: h };
    }
    case 'mp3':
      return inspectFrames(b, format, offset, parseMp3Header, maxDurationS);
    case 'aac':
      return inspectFrames(b, format, offset, parseAdtsHeader, maxDurationS);
    case 'flac': {
      const info = readFlacInfo(b, offset);
      checkStreamParameters(format, info.sampleRate, info.channels);
      if (info.totalSamples > 0) checkDuration(format, info.totalSamples / info.sampleRate, maxDurationS);
      return {
        sampleRate: info.sampleRate,
        ...(info.totalSamples > 0 ? { expectedFrames: info.totalSamples } : {}),
      };
    }
    case 'ogg-vorbis':
    case 'ogg-opus':
      return inspectOgg(b, format, maxDurationS);
    case 'mp4':
    case 'm4a':
      checkIsoBoxes(b, format);
      return {};
    case 'webm':
    case 'matroska':
      return {};
  }
}

function inspectFrames(
  b: Uint8Array,
  format: AudioFormat,
  offset: number,
  parse: FrameParser,
  maxDurationS: number,
): ContainerFacts {
  const walk = walkFrames(b, offset, parse);
  if (walk.truncated) {
    throw new AudioDecodeError(
      'TRUNCATED',
      `The ${label(format)} file stops in the middle of a frame: the upload looks incomplete.`,
      format,
    );
  }
  // ADTS channel configuration 0 defers the layout to the stream; the decoder's output is checked instead.
  checkStreamParameters(format, walk.sampleRate, walk.channels === 0 ? 1 : walk.channels);
  checkDuration(format, walk.samples / walk.sampleRate, maxDurationS);
  return { sampleRate: walk.sampleRate };
}

function inspectOgg(b: Uint8Array, format: AudioFormat, maxDurationS: number): ContainerFacts {
  const first = readOggFirstPage(b);
  if (!first)
    throw new AudioDecodeError(
      'TRUNCATED',
      `The ${label(format)} file ends inside its first page: the upload looks incomplete.`,
      format,
    );
  if (first.codec === 'opus') {
    // Opus always decodes at 48 kHz; only the channel count can be wrong.
    if (first.channels < 1 || first.channels > MAX_CHANNELS)
      checkStreamParameters(format, 48000, first.channels);
  } else {
    checkStreamParameters(format, first.sampleRate, first.channels);
  }
  const walk = walkOggPages(b, first.serial);
  if (walk.truncated || !walk.endOfStream) {
    throw new AudioDecodeError(
      'TRUNCATED',
      `The ${label(format)} file stops before the end of its stream: the upload looks incomplete.`,
      format,
    );
  }
  if (walk.lastGranule > 0) {
    const samples = first.codec === 'opus' ? walk.lastGranule - first.preSkip : walk.lastGranule;
    checkDuration(format, samples / first.sampleRate, maxDurationS);
  }
  return { sampleRate: first.sampleRate };
}

/**
 * Walk the top-level ISO-BMFF boxes. ffmpeg reports a missing index, but a file cut inside its last
 * box (metadata after the index) decodes without complaint; the box sizes show the cut.
 */
function checkIsoBoxes(b: Uint8Array, format: AudioFormat): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = 0;
  while (pos < b.length) {
    if (pos + 8 > b.length) break;
    let size = dv.getUint32(pos);
    if (size === 1) {
      if (pos + 16 > b.length) break;
      size = dv.getUint32(pos + 8) * 2 ** 32 + dv.getUint32(pos + 12);
    } else if (size === 0) {
      return; // the last box runs to the end of the file
    }
    if (size < 8)
      throw new AudioDecodeError(
        'CORRUPT',
        `The ${label(format)} file is damaged (invalid box size at byte ${pos}).`,
        format,
      );
    pos += size;
  }
  if (pos !== b.length) {
    throw new AudioDecodeError(
      'TRUNCATED',
      `The ${label(format)} file stops in the middle of a box: the upload looks incomplete.`,
      format,
    );
  }
}
