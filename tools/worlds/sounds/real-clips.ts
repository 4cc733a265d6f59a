/**
 * Real recordings in ../shared/data/sounds that correspond to each synthetic class, for side-by-side
 * spectrograms in the preview (read in place, never copied).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeAudio, downmix, resample } from '@soundedit/core';
import type { SoundClass } from './classes/sound-class.ts';

export const SHARED_SOUNDS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  'shared',
  'data',
  'sounds',
);

/** The shared folder whose recordings are closest to each class (nose blowing lives among sneezes). */
export const REAL_FOLDERS: Readonly<Record<SoundClass, string>> = {
  giggling: 'laughing',
  sobbing: 'crying',
  nose_blowing: 'sneezing_coughing',
  fire_crackling: 'crackling_fire',
  wind: 'wind',
  underwater_bubbling: 'water',
  explosion: 'explosion_fireworks',
  thunderstorm: 'thunderstorm',
  rain: 'rain',
  ambient: 'birds_chirping',
};

/** Up to `count` clips of a class, mono at `sampleRate`, cut to at most `maxS` seconds. */
export async function loadRealClips(
  label: SoundClass,
  count: number,
  sampleRate: number,
  maxS = 8,
): Promise<{ file: string; samples: Float32Array }[]> {
  const dir = path.join(SHARED_SOUNDS, REAL_FOLDERS[label]);
  const files = (await readdir(dir)).sort();
  // Nose blowing clips are the ones whose source path says so; take those first.
  const preferred = label === 'nose_blowing' ? await noseBlowingFiles() : [];
  const ordered = [...preferred, ...files.filter((f) => !preferred.includes(f))];
  const out: { file: string; samples: Float32Array }[] = [];
  for (const file of ordered.slice(0, count)) {
    const audio = await decodeAudio(new Uint8Array(await readFile(path.join(dir, file))));
    const mono = await resample(downmix(audio.channels), audio.sampleRate, sampleRate);
    out.push({ file, samples: mono.subarray(0, Math.round(maxS * sampleRate)) });
  }
  return out;
}

async function noseBlowingFiles(): Promise<string[]> {
  const sources = await readFile(path.join(SHARED_SOUNDS, 'SOURCES.csv'), 'utf8');
  return sources
    .split('\n')
    .filter((line) => line.includes('nose-blowing'))
    .map((line) => path.basename(line.split(',')[1] ?? ''))
    .filter((f) => f !== '');
}
