import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCsvDataset } from './csv-dataset.ts';
import { DatasetError } from './errors.ts';
import { kFoldSplits } from './split.ts';
import { TempTree, tinyWav } from './test-fixtures.ts';
import { loadVggSound, vggSoundClipStem, vggSoundToCsv } from './vggsound.ts';

// The official file's shape: no header, labels with commas quoted.
const METADATA = [
  '---g-f_I2yQ,1,"people marching",test',
  '--0PQM4-hqg,30,"male speech, man speaking",train',
  '--0PQM4-hqg,130,"male speech, man speaking",train',
  '-1pRmoJIGQc,0,dog barking,train',
  'zzzzzzzzzzz,5,rain,test',
].join('\n');

let tree: TempTree;
beforeEach(() => {
  tree = new TempTree();
});
afterEach(() => tree.remove());

async function rejection(p: Promise<unknown>): Promise<DatasetError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DatasetError) return e;
    throw e;
  }
  throw new Error('expected a DatasetError');
}

/** Clips as a download script leaves them, plus an extracted .wav for one and a .flac for another. */
function writeClips(): void {
  tree.write('video/---g-f_I2yQ_000001.mp4', tinyWav());
  tree.write('video/--0PQM4-hqg_000030.mp4', tinyWav());
  tree.wav('video/--0PQM4-hqg_000030.wav');
  tree.write('video/--0PQM4-hqg_000130.flac', tinyWav());
  tree.write('video/-1pRmoJIGQc_000000.mp4', tinyWav());
}

describe('loadVggSound', () => {
  it('reads the headerless metadata and finds each clip by its padded stem', async () => {
    tree.write('vggsound.csv', METADATA + '\n');
    writeClips();
    const ds = await loadVggSound(tree.path('vggsound.csv'), tree.path('video'));
    expect(ds.items.map((i) => i.audioPath)).toEqual([
      tree.path('video/---g-f_I2yQ_000001.mp4'),
      tree.path('video/--0PQM4-hqg_000030.wav'),
      tree.path('video/--0PQM4-hqg_000130.flac'),
      tree.path('video/-1pRmoJIGQc_000000.mp4'),
    ]);
    expect(ds.items[1]).toEqual({
      audioPath: tree.path('video/--0PQM4-hqg_000030.wav'),
      label: 'male speech, man speaking',
      group: 'vggsound:--0PQM4-hqg',
      youtubeId: '--0PQM4-hqg',
      startSeconds: 30,
      split: 'train',
      line: 2,
    });
    expect(ds.classes).toEqual(['dog barking', 'male speech, man speaking', 'people marching']);
    expect(ds.problems.map((p) => [p.code, p.line])).toEqual([['MISSING_FILE', 5]]);
    expect(ds.problems[0]?.message).toContain(
      'zzzzzzzzzzz_000005.wav, zzzzzzzzzzz_000005.flac, zzzzzzzzzzz_000005.mp4',
    );
  });

  it('pads the start to six digits', () => {
    expect(vggSoundClipStem('abc', 7)).toBe('abc_000007');
    expect(vggSoundClipStem('abc', 123456)).toBe('abc_123456');
  });

  it('keeps one split, without looking for the other split’s clips', async () => {
    tree.write('vggsound.csv', METADATA);
    writeClips();
    const test = await loadVggSound(tree.path('vggsound.csv'), tree.path('video'), { split: 'test' });
    expect(test.items.map((i) => i.youtubeId)).toEqual(['---g-f_I2yQ']);
    expect(test.problems.map((p) => p.line)).toEqual([5]);
    const train = await loadVggSound(tree.path('vggsound.csv'), tree.path('video'), { split: 'train' });
    expect(train.items).toHaveLength(3);
    expect(train.problems).toEqual([]);
  });

  it('prefers extensions in the order given', async () => {
    tree.write('vggsound.csv', METADATA);
    writeClips();
    const ds = await loadVggSound(tree.path('vggsound.csv'), tree.path('video'), {
      extensions: ['.mp4', '.flac'],
      split: 'train',
    });
    expect(ds.items.map((i) => i.audioPath.slice(-4))).toEqual(['.mp4', 'flac', '.mp4']);
  });

  it('collects bad rows with their line, and fails fast on the first when asked', async () => {
    tree.write(
      'vggsound.csv',
      [
        '---g-f_I2yQ,1,people marching,test',
        'aaaaaaaaaaa,2,male speech, man speaking,train',
        'bbbbbbbbbbb,1.5,rain,train',
        'ccccccccccc,3,rain,validation',
        '../etc/pas,3,rain,train',
        'ddddddddddd,4,,train',
        '---g-f_I2yQ,1,people marching,test',
      ].join('\n'),
    );
    writeClips();
    const ds = await loadVggSound(tree.path('vggsound.csv'), tree.path('video'));
    expect(ds.items).toHaveLength(1);
    expect(ds.problems.map((p) => [p.code, p.line])).toEqual([
      ['BAD_CSV', 2],
      ['BAD_VALUE', 3],
      ['BAD_VALUE', 4],
      ['BAD_VALUE', 5],
      ['EMPTY_VALUE', 6],
      ['DUPLICATE', 7],
    ]);
    expect(ds.problems[0]?.message).toContain('quote labels holding commas');
    expect(ds.problems[5]?.message).toContain('already listed on line 1');
    const e = await rejection(
      loadVggSound(tree.path('vggsound.csv'), tree.path('video'), { failFast: true }),
    );
    expect([e.code, e.line]).toEqual(['BAD_CSV', 2]);
  });

  it('skips a header row that re-uploads add', async () => {
    tree.write('vggsound.csv', 'youtube_id,start_seconds,label,split\n' + METADATA);
    writeClips();
    const ds = await loadVggSound(tree.path('vggsound.csv'), tree.path('video'));
    expect(ds.items).toHaveLength(4);
    expect(ds.problems.map((p) => p.line)).toEqual([6]);
  });

  it('names the .mp4 clip without touching the disk when files are not checked', async () => {
    tree.write('vggsound.csv', METADATA);
    const ds = await loadVggSound(tree.path('vggsound.csv'), tree.path('nowhere'), { checkFiles: false });
    expect(ds.items).toHaveLength(5);
    expect(ds.items[4]?.audioPath).toBe(tree.path('nowhere/zzzzzzzzzzz_000005.mp4'));
  });

  it('throws typed errors for a missing metadata file or audio folder, and when nothing is left', async () => {
    const noCsv = await rejection(loadVggSound(tree.path('vggsound.csv'), tree.path('video')));
    expect(noCsv.code).toBe('MISSING_FILE');
    tree.write('vggsound.csv', METADATA);
    const noDir = await rejection(loadVggSound(tree.path('vggsound.csv'), tree.path('video')));
    expect(noDir.code).toBe('MISSING_FILE');
    expect(noDir.message).toContain('audio folder');
    tree.write('video/unrelated.wav', tinyWav());
    const empty = await rejection(loadVggSound(tree.path('vggsound.csv'), tree.path('video')));
    expect(empty.code).toBe('EMPTY');
    expect(empty.problems).toHaveLength(5);
    const badExt = await rejection(
      loadVggSound(tree.path('vggsound.csv'), tree.path('video'), { extensions: ['wav'] }),
    );
    expect(badExt.code).toBe('INVALID_OPTION');
  });

  it('keeps the clips of one video in one fold', async () => {
    tree.write('vggsound.csv', METADATA);
    writeClips();
    const { items } = await loadVggSound(tree.path('vggsound.csv'), tree.path('video'));
    for (const part of kFoldSplits(items, { k: 2, strategy: 'random' })) {
      const ids = part.validation.map((i) => i.youtubeId);
      expect(ids.filter((id) => id === '--0PQM4-hqg').length % 2).toBe(0);
    }
  });
});

describe('vggSoundToCsv', () => {
  it('writes the project’s CSV format, which loadCsvDataset reads back', async () => {
    tree.write('meta/vggsound.csv', METADATA);
    writeClips();
    const result = await vggSoundToCsv(
      tree.path('meta/vggsound.csv'),
      tree.path('video'),
      tree.path('out/train.csv'),
      {
        split: 'train',
      },
    );
    expect(result.rows).toBe(3);
    expect(result.problems).toEqual([]);
    const text = readFileSync(tree.path('out/train.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('audio,label,split');
    expect(text.split('\n')[1]).toBe('../video/--0PQM4-hqg_000030.wav,"male speech, man speaking",train');
    const back = await loadCsvDataset(tree.path('out/train.csv'));
    expect(back.problems).toEqual([]);
    expect(back.items.map((i) => [i.audioPath, i.label])).toEqual([
      [tree.path('video/--0PQM4-hqg_000030.wav'), 'male speech, man speaking'],
      [tree.path('video/--0PQM4-hqg_000130.flac'), 'male speech, man speaking'],
      [tree.path('video/-1pRmoJIGQc_000000.mp4'), 'dog barking'],
    ]);
  });

  it('adds a caption column and absolute paths when asked, and passes on the problems', async () => {
    tree.write('vggsound.csv', METADATA);
    writeClips();
    const result = await vggSoundToCsv(tree.path('vggsound.csv'), tree.path('video'), tree.path('all.csv'), {
      absolutePaths: true,
      caption: (item) => `the sound of ${item.label}`,
    });
    expect(result.problems.map((p) => p.code)).toEqual(['MISSING_FILE']);
    const back = await loadCsvDataset(tree.path('all.csv'));
    expect(back.items[0]).toMatchObject({
      audioPath: tree.path('video/---g-f_I2yQ_000001.mp4'),
      caption: 'the sound of people marching',
      label: 'people marching',
    });
    expect(readFileSync(tree.path('all.csv'), 'utf8').split('\n')[1]?.startsWith(tree.path('video'))).toBe(
      true,
    );
  });
});
