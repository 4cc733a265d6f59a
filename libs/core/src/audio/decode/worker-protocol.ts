/** Messages between decode-thread.ts (main thread) and decode-worker.ts. */

/** The formats decoded in-process by npm decoders; the rest go to ffmpeg. */
export type WorkerFormat = 'wav' | 'mp3' | 'ogg-vorbis' | 'ogg-opus' | 'flac';

export interface WorkerRequest {
  id: number;
  format: WorkerFormat;
  /** Transferred to the worker. */
  bytes: Uint8Array;
  /** Stop and answer too_long past this many frames per channel. */
  maxFrames: number;
}

export type WorkerResponse =
  | { id: number; ok: true; sampleRate: number; channels: Float32Array[] }
  | { id: number; ok: false; reason: 'too_long' | 'failed'; message: string; sampleRate: number };

export interface WorkerReady {
  ready: true;
}
