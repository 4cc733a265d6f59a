// Test-only: four classes of synthetic sounds, different enough in a log-mel for a small encoder to
// separate in a few hundred steps, varied enough (pitch, level, length, noise) that it must generalise.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from '@soundedit/models';
import { encodeWav } from '../audio/decode/wav-writer.ts';
import type { DatasetItem } from '../data/dataset.ts';

export const TEST_SOUND_CLASSES = ['whistle', 'hum', 'hiss', 'clicks'] as const;
const RATE = 16_000;

function synthesise(label: (typeof TEST_SOUND_CLASSES)[number], rng: Rng): Float32Array {
  const n = Math.round(RATE * (0.8 + 0.8 * rng.next()));
  const out = new Float32Array(n);
  const level = 0.2 + 0.6 * rng.next();
  const f = label === 'whistle' ? 1800 + 1400 * rng.next() : 90 + 120 * rng.next();
  const rate = 6 + 10 * rng.next();
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    let v = 0;
    if (label === 'whistle') v = Math.sin(2 * Math.PI * f * t * (1 + 0.02 * Math.sin(2 * Math.PI * 5 * t)));
    else if (label === 'hum') for (let h = 1; h <= 4; h++) v += Math.sin(2 * Math.PI * f * h * t) / h;
    else if (label === 'hiss') v = rng.normal() * 0.5;
    else v = (t * rate) % 1 < 0.004 ? 1 : 0;
    out[i] = level * v + 0.01 * rng.normal();
  }
  return out;
}

/** Writes `perClass` WAV clips of every class into `dir` and returns them as dataset items. */
export async function writeTestSounds(dir: string, perClass: number, seed: number): Promise<DatasetItem[]> {
  await mkdir(dir, { recursive: true });
  const rng = new Rng(seed);
  const items: DatasetItem[] = [];
  for (let k = 0; k < perClass; k++) {
    for (const label of TEST_SOUND_CLASSES) {
      const path = join(dir, `${label}-${seed}-${k}.wav`);
      await writeFile(
        path,
        encodeWav([synthesise(label, rng)], RATE, { encoding: 'pcm', bitsPerSample: 16 }),
      );
      items.push({ audioPath: path, label });
    }
  }
  return items;
}
