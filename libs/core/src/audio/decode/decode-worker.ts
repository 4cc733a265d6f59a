/**
 * Worker-thread entry: runs the wasm/JS decoders away from the caller's event loop, so a file that
 * makes a decoder spin or exhaust memory costs this thread (terminated on timeout) and not the server.
 * Headers were checked on the main thread before the bytes got here.
 */
import { parentPort } from 'node:worker_threads';
import { decoder as flacDecoder } from '@audio/decode-flac';
import { decoder as mp3Decoder } from '@audio/decode-mp3';
import { decoder as opusDecoder } from '@audio/decode-opus';
import { decoder as vorbisDecoder } from '@audio/decode-vorbis';
import { decoder as wavDecoder } from '@audio/decode-wav';
import type { WorkerFormat, WorkerRequest, WorkerResponse } from './worker-protocol.ts';

interface Chunk {
  channelData: Float32Array[];
  sampleRate: number;
}

interface StreamDecoder {
  decode(data: Uint8Array): Chunk;
  flush?(): Chunk;
  free(): void;
}

/** Feeding in slices lets a long file be stopped at the duration limit instead of decoded whole. */
const SLICE_BYTES = 256 * 1024;

async function openDecoder(format: WorkerFormat): Promise<StreamDecoder> {
  switch (format) {
    case 'wav':
      return wavDecoder();
    case 'mp3':
      return mp3Decoder();
    case 'ogg-vorbis':
      return vorbisDecoder();
    case 'ogg-opus':
      return opusDecoder();
    case 'flac':
      return flacDecoder();
  }
}

class TooLong extends Error {}

async function decode(req: WorkerRequest): Promise<WorkerResponse> {
  const dec = await openDecoder(req.format);
  const pieces: Float32Array[][] = [];
  let sampleRate = 0;
  let channels = 0;
  let frames = 0;
  const take = (chunk: Chunk): void => {
    const n = chunk.channelData[0]?.length ?? 0;
    if (n === 0) return;
    if (sampleRate === 0) {
      sampleRate = chunk.sampleRate;
      channels = chunk.channelData.length;
    } else if (chunk.sampleRate !== sampleRate || chunk.channelData.length !== channels) {
      throw new Error(
        `the stream changes from ${channels} ch at ${sampleRate} Hz to ${chunk.channelData.length} ch at ${chunk.sampleRate} Hz part-way through`,
      );
    }
    if (chunk.channelData.some((c) => c.length !== n))
      throw new Error('the decoder returned channels of different lengths');
    frames += n;
    if (frames > req.maxFrames) throw new TooLong();
    // Decoders may reuse their output buffers between calls; keep copies.
    pieces.push(chunk.channelData.map((c) => c.slice()));
  };
  try {
    for (let at = 0; at < req.bytes.length; at += SLICE_BYTES)
      take(dec.decode(req.bytes.subarray(at, at + SLICE_BYTES)));
    if (dec.flush) take(dec.flush());
  } catch (e) {
    if (e instanceof TooLong)
      return {
        id: req.id,
        ok: false,
        reason: 'too_long',
        message: `more than ${req.maxFrames} frames`,
        sampleRate,
      };
    return {
      id: req.id,
      ok: false,
      reason: 'failed',
      message: e instanceof Error ? e.message : String(e),
      sampleRate,
    };
  } finally {
    dec.free();
  }
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  let offset = 0;
  for (const piece of pieces) {
    piece.forEach((c, ch) => out[ch]?.set(c, offset));
    offset += piece[0]?.length ?? 0;
  }
  return { id: req.id, ok: true, sampleRate, channels: out };
}

const port = parentPort;
if (!port) throw new Error('decode-worker.ts must run as a worker thread');
port.on('message', (req: WorkerRequest) => {
  void decode(req).then(
    (res) => port.postMessage(res, res.ok ? res.channels.map((c) => c.buffer as ArrayBuffer) : []),
    (e: unknown) =>
      port.postMessage({
        id: req.id,
        ok: false,
        reason: 'failed',
        message: e instanceof Error ? e.message : String(e),
        sampleRate: 0,
      }),
  );
});
port.postMessage({ ready: true });
