import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCsvTable } from './csv.ts';
import { loadSharedSounds, sharedSoundGroup, sharedSoundsDir } from './shared-sounds.ts';
import { kFoldSplits, splitTrainValidation } from './split.ts';
import { REPO_ROOT, TempTree, tinyWav } from './test-fixtures.ts';

const SOUNDS = sharedSoundsDir(REPO_ROOT);
const haveSounds = existsSync(path.join(SOUNDS, 'SOURCES.csv'));
if (!haveSounds)
  console.warn(
    `[data] skipping real-recording dataset tests: ${SOUNDS} is absent (it lives at ../shared/data/sounds)`,
  );

/** Clip counts per class from the folder's README table. */
const README_COUNTS: Record<string, number> = {
  rain: 34,
  crackling_fire: 31,
  sea_waves: 33,
  dog_bark: 33,
  crying: 32,
  laughing: 32,
  sneezing_coughing: 30,
  church_bells: 8,
  wind: 6,
  explosion_fireworks: 4,
  thunderstorm: 4,
  birds_chirping: 3,
  footsteps: 3,
  water: 3,
};

describe.skipIf(!haveSounds)('the real clips in ../shared/data/sounds', () => {
  it('finds all 256 clips in 14 classes, each labelled as SOURCES.csv and its folder say, with no problems', async () => {
    const ds = await loadSharedSounds(SOUNDS);
    expect(ds.problems).toEqual([]);
    expect(ds.items).toHaveLength(256);
    expect(ds.classes).toEqual(Object.keys(README_COUNTS).sort());
    const counts: Record<string, number> = {};
    for (const item of ds.items) counts[item.label] = (counts[item.label] ?? 0) + 1;
    expect(counts).toEqual(README_COUNTS);

    // Cross-check against the CSV read row by row, not through the loader.
    const table = parseCsvTable(readFileSync(path.join(SOUNDS, 'SOURCES.csv'), 'utf8'), 'SOURCES.csv');
    const classCol = table.header.indexOf('class');
    const fileCol = table.header.indexOf('file');
    const expected = new Map(
      table.rows.map((r) => [path.join(SOUNDS, r.fields[fileCol] ?? ''), r.fields[classCol]]),
    );
    for (const item of ds.items) {
      expect(expected.get(item.audioPath)).toBe(item.label);
      expect(path.basename(path.dirname(item.audioPath))).toBe(item.label);
      expect(statSync(item.audioPath).size).toBe(item.bytes);
    }
    expect(new Set(ds.items.map((i) => i.format))).toEqual(new Set(['WAV', 'OGG', 'MP3']));
  });

  it('keeps takes of one ESC-50 recording together, even when two sources carry it', async () => {
    const ds = await loadSharedSounds(SOUNDS);
    const byName = new Map(ds.items.map((i) => [path.basename(i.audioPath), i]));
    const a = byName.get('wav2clip_1-22694-A-20.wav');
    const b = byName.get('esc10_1-22694-B.ogg');
    expect(a?.group).toBe('esc50:22694');
    expect(b?.group).toBe(a?.group);
    const split = splitTrainValidation(ds.items, { seed: 11 });
    const inTrain = new Set(split.train.map((i) => i.group));
    for (const item of split.validation) expect(inTrain.has(item.group)).toBe(false);
  });

  it('splits stratified: every class keeps training clips, ~20% overall in validation, same seed same split', async () => {
    const { items, classes } = await loadSharedSounds(SOUNDS);
    const split = splitTrainValidation(items, { seed: 1 });
    expect(split.strategy).toBe('stratified');
    expect(new Set(split.train.map((i) => i.label)).size).toBe(classes.length);
    expect(Math.abs(split.validation.length - 0.2 * items.length)).toBeLessThanOrEqual(4);
    const again = splitTrainValidation(items, { seed: 1 });
    expect(again.validation.map((i) => i.audioPath)).toEqual(split.validation.map((i) => i.audioPath));
    const folds = kFoldSplits(items, { k: 5, seed: 1 });
    expect(folds.flatMap((f) => f.validation).length).toBe(items.length);
  });
});

describe('loadSharedSounds on a synthetic tree', () => {
  let tree: TempTree;
  const header = 'class,file,repo,path,commit,repo_license,clip_license,note,format,detail,bytes';
  const size = tinyWav().length;
  beforeEach(() => {
    tree = new TempTree();
    tree.wav('rain/a.wav');
    tree.wav('rain/b.wav');
    tree.wav('wind/c.wav');
    tree.write('licenses/LICENSE.txt', 'not a clip');
  });
  afterEach(() => tree.remove());

  it('reads class, provenance, format and size per clip', async () => {
    tree.write(
      'SOURCES.csv',
      `${header}\nrain,rain/a.wav,o/r,x/a.wav,abc,MIT,,"note, with comma",WAV,"8000 Hz",${size}\n` +
        `rain,rain/b.wav,o/r,x/b.wav,abc,MIT,,,WAV,,${size}\nwind,wind/c.wav,o/s,c.wav,def,CC0,CC0,,WAV,,${size}\n`,
    );
    const ds = await loadSharedSounds(tree.root);
    expect(ds.problems).toEqual([]);
    expect(ds.classes).toEqual(['rain', 'wind']);
    expect(ds.items[0]).toEqual({
      audioPath: tree.path('rain/a.wav'),
      label: 'rain',
      group: 'file:rain/a.wav',
      format: 'WAV',
      bytes: size,
      detail: '8000 Hz',
      source: {
        repo: 'o/r',
        path: 'x/a.wav',
        commit: 'abc',
        repoLicense: 'MIT',
        clipLicense: '',
        note: 'note, with comma',
      },
    });
  });

  it('reports a size mismatch, a clip outside its class folder, a missing clip and an unlisted clip', async () => {
    tree.write(
      'SOURCES.csv',
      `${header}\nrain,rain/a.wav,,,,,,,WAV,,${size + 1}\nwind,rain/b.wav,,,,,,,WAV,,${size}\n` +
        `wind,wind/gone.wav,,,,,,,WAV,,${size}\nrain,../rain/a.wav,,,,,,,WAV,,1\nwind,wind/c.wav,,,,,,,WAV,,${size}\n`,
    );
    const ds = await loadSharedSounds(tree.root);
    expect(ds.items.map((i) => path.basename(i.audioPath))).toEqual(['c.wav']);
    expect(ds.problems.map((p) => [p.code, p.line ?? p.file])).toEqual([
      ['INCONSISTENT', 2],
      ['INCONSISTENT', 3],
      ['MISSING_FILE', 4],
      ['BAD_VALUE', 5],
    ]);
    expect(ds.problems[0]?.message).toContain(`has ${size} bytes, SOURCES.csv says ${size + 1}`);
  });

  it('reports clips in a class folder that SOURCES.csv does not list', async () => {
    // b.wav is unlisted; c.wav is named by a row that fails (wrong size) and so is not unlisted.
    tree.write(
      'SOURCES.csv',
      `${header}\nrain,rain/a.wav,,,,,,,WAV,,${size}\nwind,wind/c.wav,,,,,,,WAV,,0\n`,
    );
    const ds = await loadSharedSounds(tree.root);
    expect(ds.problems.map((p) => p.code)).toEqual(['INCONSISTENT', 'UNLISTED_FILE']);
    expect(ds.problems[1]).toEqual({
      code: 'UNLISTED_FILE',
      message: `${tree.path('rain/b.wav')}: not listed in SOURCES.csv`,
      file: tree.path('rain/b.wav'),
    });
  });
});

describe('sharedSoundGroup', () => {
  it('groups ESC-50-derived names by source recording and leaves others alone', () => {
    expect(sharedSoundGroup('rain/esc10_1-17367-A.ogg')).toBe('esc50:17367');
    expect(sharedSoundGroup('thunderstorm/audioclip_thunder_3-144891-B-19.wav')).toBe('esc50:144891');
    expect(sharedSoundGroup('crying/deeply_F3E6_11_8_0_50_0_0_0.wav')).toBe(
      'file:crying/deeply_F3E6_11_8_0_50_0_0_0.wav',
    );
    expect(sharedSoundGroup('crying/donateacry_x-1430726196216-1.7-m-04-hu.wav')).toMatch(/^file:/);
  });
});
