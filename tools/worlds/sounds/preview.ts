/**
 * Writes a few clips per sound class as WAVs, with a picture of their log-mel spectrograms, for a
 * person to listen to and look at:
 *
 *   node --conditions=@soundedit/source --import tsx worlds/sounds/preview.ts --out /tmp/sounds
 *
 * Flags: --per-class N (default 4), --seed S (default 1), --sample-rate HZ (default 16000),
 * --no-mix (classes alone), --real (also picture the matching recordings in ../shared/data/sounds),
 * --classify N (nearest-centroid accuracy over N clips per class, held out in two folds).
 * Pictures: overview.png has one row per class in SOUND_CLASSES order; <class>.png one class, larger.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { closeDecodeWorker, encodeWav } from '@soundedit/core';
import { Rng } from '@soundedit/models';
import { clipFeatures, nearestCentroidReport } from './clip-features.ts';
import { loadRealClips, SHARED_SOUNDS } from './real-clips.ts';
import { encodePng, spectrogramPicture, tile, type Picture } from './spectrogram-image.ts';
import { clipSeed, SOUND_CLASSES, synthesizeSound } from './synthesize.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '/tmp/sounds' },
    'per-class': { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    'sample-rate': { type: 'string', default: '16000' },
    'no-mix': { type: 'boolean', default: false },
    real: { type: 'boolean', default: false },
    classify: { type: 'string' },
  },
});
const out = values.out;
const perClass = Number(values['per-class']);
const seed = Number(values.seed);
const sampleRate = Number(values['sample-rate']);
const mix = !values['no-mix'];
for (const [flag, v] of [
  ['--per-class', perClass],
  ['--seed', seed],
  ['--sample-rate', sampleRate],
] as const)
  if (!Number.isInteger(v) || v < 0) throw new Error(`${flag} takes a whole number, got ${String(v)}`);

await mkdir(out, { recursive: true });
const rows: Picture[][] = [];
let synthMs = 0;
let audioS = 0;
for (const [classIndex, label] of SOUND_CLASSES.entries()) {
  const row: Picture[] = [];
  for (let k = 0; k < perClass; k++) {
    const started = performance.now();
    const clip = synthesizeSound(label, new Rng(clipSeed(seed, classIndex, k)), { sampleRate, mix });
    synthMs += performance.now() - started;
    audioS += clip.samples.length / sampleRate;
    const file = path.join(out, `${label}_${k}.wav`);
    await writeFile(file, encodeWav([clip.samples], sampleRate, { encoding: 'pcm', bitsPerSample: 16 }));
    const parts = clip.components.map(
      (c) => `${c.label}${c.gainDb === 0 ? '' : ` ${c.gainDb.toFixed(0)} dB`}`,
    );
    console.log(
      `${path.basename(file)}  ${(clip.samples.length / sampleRate).toFixed(1)} s  [${parts.join(' + ')}]  "${clip.caption}"`,
    );
    row.push(spectrogramPicture(clip.samples, sampleRate));
  }
  rows.push(row);
  await writeFile(path.join(out, `${label}.png`), encodePng(tile([row])));
}
await writeFile(path.join(out, 'overview.png'), encodePng(tile(rows)));
console.log(`synthesis: ${(synthMs / audioS).toFixed(1)} ms per second of audio at ${sampleRate} Hz`);

if (values.real && !existsSync(SHARED_SOUNDS)) {
  console.log(`--real: ${SHARED_SOUNDS} is absent, no recordings to compare with`);
} else if (values.real) {
  for (const label of SOUND_CLASSES) {
    const clips = await loadRealClips(label, perClass, sampleRate);
    const pictures = clips.map((c) => spectrogramPicture(c.samples, sampleRate));
    await writeFile(path.join(out, `real_${label}.png`), encodePng(tile([pictures])));
    console.log(`real_${label}.png: ${clips.map((c) => c.file).join(', ')}`);
  }
  await closeDecodeWorker();
}

if (values.classify !== undefined) {
  const n = Number(values.classify);
  const features: Float64Array[] = [];
  const labels: number[] = [];
  for (const [classIndex, label] of SOUND_CLASSES.entries()) {
    for (let k = 0; k < n; k++) {
      // Clips other than the ones written above, from a different seed.
      const clip = synthesizeSound(label, new Rng(clipSeed(seed + 1000, classIndex, k)), { sampleRate, mix });
      features.push(clipFeatures(clip.samples, sampleRate));
      labels.push(classIndex);
    }
  }
  const report = nearestCentroidReport(features, labels, SOUND_CLASSES.length);
  console.log(
    `nearest-centroid accuracy (2 folds, ${n} clips per class): ${(100 * report.accuracy).toFixed(1)}%`,
  );
  console.log(`${''.padEnd(20)} predicted: ${SOUND_CLASSES.map((c) => c.slice(0, 4).padStart(5)).join('')}`);
  SOUND_CLASSES.forEach((label, i) =>
    console.log(
      `${label.padEnd(31)}${(report.confusion[i] ?? []).map((v) => String(v).padStart(5)).join('')}`,
    ),
  );
}
