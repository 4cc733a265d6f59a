import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetError } from './errors.ts';
import { kFoldSplits, splitTrainValidation } from './split.ts';
import { TempTree } from './test-fixtures.ts';
import { loadUrbanSound8K } from './urbansound8k.ts';

const HEADER = 'slice_file_name,fsID,start,end,salience,fold,classID,class';
const CLASSES = ['air_conditioner', 'car_horn', 'children_playing'] as const;

/** 3 classes x 10 folds x 2 slices of one recording: 60 clips under audio/fold{n}/. */
function writeUs8k(tree: TempTree, extraRows: string[] = []): void {
  const rows = [HEADER];
  CLASSES.forEach((name, classId) => {
    for (let fold = 1; fold <= 10; fold++) {
      const fsId = 100 * (classId + 1) + fold;
      for (let slice = 0; slice < 2; slice++) {
        const file = `${fsId}-${classId}-0-${slice}.wav`;
        rows.push(
          `${file},${fsId},${slice * 4}.5,${slice * 4 + 4}.5,${1 + (slice % 2)},${fold},${classId},${name}`,
        );
        tree.wav(`audio/fold${fold}/${file}`);
      }
    }
  });
  tree.write('metadata/UrbanSound8K.csv', [...rows, ...extraRows].join('\n') + '\n');
}

let tree: TempTree;
beforeEach(() => {
  tree = new TempTree();
});
afterEach(() => tree.remove());

describe('loadUrbanSound8K', () => {
  it('reads every slice from audio/fold{n}/ with its class, recording, times and salience', async () => {
    writeUs8k(tree);
    const ds = await loadUrbanSound8K(tree.root);
    expect(ds.problems).toEqual([]);
    expect(ds.items).toHaveLength(60);
    expect(ds.classes).toEqual([...CLASSES]);
    expect(ds.items[1]).toEqual({
      audioPath: tree.path('audio/fold1/101-0-0-1.wav'),
      label: 'air_conditioner',
      fold: 1,
      group: 'us8k:101',
      classId: 0,
      fsId: '101',
      start: 4.5,
      end: 8.5,
      salience: 2,
    });
  });

  it('collects bad rows: clip in the wrong fold folder, bad times, salience, class clash, name contradicting the row', async () => {
    writeUs8k(tree, [
      '101-0-0-0.wav,101,0,4,1,2,0,air_conditioner',
      '999-0-0-0.wav,999,5,4,1,1,0,air_conditioner',
      '998-0-0-0.wav,998,0,4,3,1,0,air_conditioner',
      '997-1-0-0.wav,997,0,4,1,1,1,dog_bark',
      '996-2-0-0.wav,996,0,4,1,1,1,car_horn',
      'x.wav,995,0,4,1,ten,1,car_horn',
    ]);
    const ds = await loadUrbanSound8K(tree.root);
    expect(ds.items).toHaveLength(60);
    expect(ds.problems.map((p) => [p.code, p.line])).toEqual([
      ['DUPLICATE', 62],
      ['BAD_VALUE', 63],
      ['BAD_VALUE', 64],
      ['INCONSISTENT', 65],
      ['INCONSISTENT', 66],
      ['BAD_VALUE', 67],
    ]);
    expect(ds.problems[4]?.message).toContain('names fsID 996 and classID 2');
  });

  it('reports a clip missing from its fold folder', async () => {
    writeUs8k(tree, ['555-1-0-0.wav,555,0,4,1,3,1,car_horn']);
    tree.wav('audio/fold4/555-1-0-0.wav');
    const ds = await loadUrbanSound8K(tree.root);
    expect(ds.problems).toHaveLength(1);
    expect(ds.problems[0]?.code).toBe('MISSING_FILE');
    expect(ds.problems[0]?.message).toContain(`${tree.path('audio/fold3/555-1-0-0.wav')} does not exist`);
    await expect(loadUrbanSound8K(tree.root, { failFast: true })).rejects.toBeInstanceOf(DatasetError);
  });

  it('splits by the dataset folds: 10-fold, and train/validation over whole folds', async () => {
    writeUs8k(tree);
    const { items } = await loadUrbanSound8K(tree.root);
    const folds = kFoldSplits(items);
    expect(folds).toHaveLength(10);
    for (const f of folds) {
      expect(f.validation).toHaveLength(6);
      expect(f.train).toHaveLength(54);
    }
    const split = splitTrainValidation(items, { validationFolds: [9, 10] });
    expect(split.validation.map((i) => i.fold).sort((a, b) => a - b)[0]).toBe(9);
    expect(split.validation).toHaveLength(12);
  });
});
