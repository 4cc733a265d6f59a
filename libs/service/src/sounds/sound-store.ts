import { randomUUID } from 'node:crypto';
import { decodeAudio, type AudioFormat, type DecodeLimits } from '@soundedit/core';
import { eq } from 'drizzle-orm';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Db } from '../db/database.ts';
import { sounds } from '../db/schema.ts';
import { spectrogramPng, waveformPeaks } from './sound-summary.ts';

export type SoundRow = typeof sounds.$inferSelect;

const EXTENSIONS: Record<AudioFormat, string> = {
  wav: 'wav',
  mp3: 'mp3',
  'ogg-vorbis': 'ogg',
  'ogg-opus': 'opus',
  flac: 'flac',
  webm: 'webm',
  matroska: 'mka',
  mp4: 'mp4',
  m4a: 'm4a',
  aac: 'aac',
};

/** Upload limits: a clip a user may edit with. */
export interface SoundLimits extends DecodeLimits {
  /** Shortest clip accepted, in seconds. */
  minDurationS: number;
}

export const DEFAULT_SOUND_LIMITS: SoundLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxDurationS: 30,
  minDurationS: 0.1,
  timeoutMs: 15_000,
};

/** A sound the upload limits refuse (after decoding showed what it is). */
export class SoundTooShortError extends Error {
  readonly code = 'TOO_SHORT';
}

/**
 * Decodes an upload (every check of decodeAudio: size first, header sanity, duration, a worker
 * thread with a timeout), then stores the original bytes, its waveform peaks and spectrogram.
 * Nothing is written unless the whole clip decoded.
 */
export async function storeSound(
  db: Db,
  blobs: BlobStore,
  ownerId: string,
  bytes: Uint8Array,
  limits: Partial<SoundLimits> = {},
): Promise<SoundRow> {
  const lim = { ...DEFAULT_SOUND_LIMITS, ...limits };
  const audio = await decodeAudio(bytes, {
    maxBytes: lim.maxBytes,
    maxDurationS: lim.maxDurationS,
    timeoutMs: lim.timeoutMs,
  });
  if (audio.durationS < lim.minDurationS)
    throw new SoundTooShortError(
      `the clip lasts ${audio.durationS.toFixed(3)} s; at least ${lim.minDurationS} s of sound is needed`,
    );
  const peaks = waveformPeaks(audio);
  const [blobKey, spectrogramKey] = await Promise.all([
    blobs.put(bytes, EXTENSIONS[audio.format]),
    blobs.put(spectrogramPng(audio), 'png'),
  ]);
  const [row] = await db
    .insert(sounds)
    .values({
      id: randomUUID(),
      ownerId,
      blobKey,
      format: audio.format,
      bytes: bytes.length,
      durationS: audio.durationS,
      sampleRate: audio.sampleRate,
      channels: audio.channels.length,
      peaks,
      spectrogramKey,
    })
    .returning();
  return row!;
}

export async function getSound(db: Db, id: string): Promise<SoundRow | undefined> {
  const [row] = await db.select().from(sounds).where(eq(sounds.id, id));
  return row;
}
