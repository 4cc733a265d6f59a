import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetError } from './errors.ts';
import { loadEsc50 } from './esc50.ts';
import { kFoldSplits, splitTrainValidation } from './split.ts';
import { TempTree } from './test-fixtures.ts';

const HEADER = 'filename,fold,target,category,esc10,src_file,take';
const CLASSES = [
  [0, 'dog', 'True'],
  [1, 'rooster', 'False'],
  [10, 'rain', 'True'],
] as const;

/** 3 classes x 5 folds x 2 takes of one recording each: 30 clips, ESC-50's naming. */
function writeEsc50(tree: TempTree, extraRows: string[] = []): void {
  const rows = [HEADER];
  for (const [target, category, esc10] of CLASSES)
    for (let fold = 1; fold <= 5; fold++) {
      const src = 1000 * (target + 1) + fold;
      for (const take of ['A', 'B']) {
        const name = `${fold}-${src}-${take}-${target}.wav`;
        rows.push(`${name},${fold},${target},${category},${esc10},${src},${take}`);
        tree.wav(`audio/${name}`);
      }
    }
  tree.write('meta/esc50.csv', [...rows, ...extraRows].join('\n') + '\n');
}

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

describe('loadEsc50', () => {
  it('reads every clip with fold, target, category, ESC-10 flag and source recording', async () => {
    writeEsc50(tree);
    const ds = await loadEsc50(tree.root);
    expect(ds.problems).toEqual([]);
    expect(ds.items).toHaveLength(30);
    expect(ds.classes).toEqual(['dog', 'rooster', 'rain']);
    expect(ds.items[0]).toEqual({
      audioPath: tree.path('audio/1-1001-A-0.wav'),
      label: 'dog',
      fold: 1,
      group: 'esc50:1001',
      target: 0,
      esc10: true,
      srcFile: '1001',
      take: 'A',
    });
    expect(new Set(ds.items.map((i) => i.fold))).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it('keeps only ESC-10 clips when asked', async () => {
    writeEsc50(tree);
    const ds = await loadEsc50(tree.root, { esc10Only: true });
    expect(ds.items).toHaveLength(20);
    expect(ds.classes).toEqual(['dog', 'rain']);
  });

  it('collects bad rows with their line: missing clip, bad fold, duplicate, class clash, path in name, bad flag', async () => {
    writeEsc50(tree, [
      '1-9-A-0.wav,1,0,dog,True,9,A',
      '1-8-A-0.wav,0,0,dog,True,8,A',
      '1-1001-A-0.wav,1,0,dog,True,1001,A',
      '1-7-A-0.wav,1,0,cat,True,7,A',
      '../1-6-A-0.wav,1,0,dog,True,6,A',
      '1-5-A-0.wav,1,0,dog,maybe,5,A',
      '1-4-A-1.wav,1,1,dog,False,4,A',
    ]);
    const ds = await loadEsc50(tree.root);
    expect(ds.items).toHaveLength(30);
    expect(ds.problems.map((p) => [p.code, p.line])).toEqual([
      ['MISSING_FILE', 32],
      ['BAD_VALUE', 33],
      ['DUPLICATE', 34],
      ['INCONSISTENT', 35],
      ['BAD_VALUE', 36],
      ['BAD_VALUE', 37],
      ['INCONSISTENT', 38],
    ]);
    expect(ds.problems[2]?.message).toContain('already listed on line 2');
    expect(ds.problems[3]?.message).toContain('class 0 is "cat" here but "dog" earlier');
    const e = await rejection(loadEsc50(tree.root, { failFast: true }));
    expect([e.code, e.line, e.row]).toEqual(['MISSING_FILE', 32, 31]);
  });

  it('reports a missing metadata file or column by name', async () => {
    const missing = await rejection(loadEsc50(tree.root));
    expect(missing.code).toBe('MISSING_FILE');
    expect(missing.message).toContain('esc50.csv');
    tree.write('meta/esc50.csv', 'filename,fold,target,category,esc10,take\n');
    const col = await rejection(loadEsc50(tree.root));
    expect(col.code).toBe('MISSING_COLUMN');
    expect(col.message).toContain('"src_file"');
  });

  it('splits by the dataset folds: train/validation and 5-fold', async () => {
    writeEsc50(tree);
    const { items } = await loadEsc50(tree.root);
    const split = splitTrainValidation(items, { seed: 3 });
    expect(split.strategy).toBe('fold');
    expect(split.validationFolds).toHaveLength(1);
    expect(split.validation.every((i) => split.validationFolds?.includes(i.fold))).toBe(true);
    expect(split.validation).toHaveLength(6);
    expect(split.train).toHaveLength(24);
    const folds = kFoldSplits(items);
    expect(folds.map((f) => f.fold)).toEqual([1, 2, 3, 4, 5]);
    for (const f of folds) expect(f.validation.every((i) => i.fold === f.fold)).toBe(true);
  });
});
