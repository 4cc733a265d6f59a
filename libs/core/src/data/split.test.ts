import { describe, expect, it } from 'vitest';
import type { DatasetItem } from './dataset.ts';
import { DatasetError } from './errors.ts';
import { chooseSplitStrategy, kFoldSplits, splitTrainValidation, type FoldSplit } from './split.ts';

/** Labelled items: `counts[label]` clips per class, paths unique. */
function labelled(counts: Record<string, number>): DatasetItem[] {
  return Object.entries(counts).flatMap(([label, n]) =>
    Array.from({ length: n }, (_, i) => ({ audioPath: `/d/${label}/${i}.wav`, label })),
  );
}

const paths = (xs: readonly DatasetItem[]): string[] => xs.map((x) => x.audioPath);

function countBy(xs: readonly DatasetItem[], key: (x: DatasetItem) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

/** Disjoint parts that together hold exactly the items (by identity), each in input order. */
function expectPartition(
  items: readonly DatasetItem[],
  a: readonly DatasetItem[],
  b: readonly DatasetItem[],
): void {
  const seen = new Set<DatasetItem>();
  for (const x of [...a, ...b]) {
    expect(seen.has(x)).toBe(false);
    seen.add(x);
  }
  expect(seen.size).toBe(items.length);
  for (const part of [a, b]) {
    const order = part.map((x) => items.indexOf(x));
    expect(order).toEqual([...order].sort((p, q) => p - q));
  }
}

function caught(fn: () => unknown): DatasetError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DatasetError) return e;
    throw e;
  }
  throw new Error('expected a DatasetError');
}

describe('splitTrainValidation', () => {
  const items = labelled({ dog: 50, rain: 30, sea: 20 });

  it('stratifies by label: each class contributes its share to validation', () => {
    const split = splitTrainValidation(items, { seed: 7 });
    expect(split.strategy).toBe('stratified');
    expectPartition(items, split.train, split.validation);
    expect(countBy(split.validation, (x) => x.label ?? '')).toEqual({ dog: 10, rain: 6, sea: 4 });
  });

  it('hands leftover validation places to the classes with the largest remainders, never emptying a class from training', () => {
    const odd = labelled({ a: 7, b: 7, c: 6, d: 1 });
    const split = splitTrainValidation(odd, { seed: 2, validationFraction: 0.3 });
    expect(split.validation).toHaveLength(Math.round(0.3 * 21));
    expect(new Set(split.train.map((x) => x.label))).toEqual(new Set(['a', 'b', 'c', 'd']));
    const perClass = countBy(split.validation, (x) => x.label ?? '');
    expect(perClass['a']).toBeGreaterThanOrEqual(2);
    expect(perClass['c']).toBeGreaterThanOrEqual(1);
    expect(perClass['d']).toBeUndefined();
  });

  it('is deterministic under a seed and changes with it', () => {
    const a = splitTrainValidation(items, { seed: 42 });
    const b = splitTrainValidation(items, { seed: 42 });
    const c = splitTrainValidation(items, { seed: 43 });
    expect(paths(a.validation)).toEqual(paths(b.validation));
    expect(paths(a.validation)).not.toEqual(paths(c.validation));
    // Input order does not matter either: the same items reversed give the same validation set.
    const r = splitTrainValidation([...items].reverse(), { seed: 42 });
    expect(new Set(paths(r.validation))).toEqual(new Set(paths(a.validation)));
  });

  it('splits caption-only items at random to the requested size', () => {
    const captions: DatasetItem[] = Array.from({ length: 37 }, (_, i) => ({
      audioPath: `/c/${i}.wav`,
      caption: `clip ${i}`,
    }));
    const split = splitTrainValidation(captions, { seed: 5, validationFraction: 0.25 });
    expect(split.strategy).toBe('random');
    expect(split.validation).toHaveLength(9);
    expectPartition(captions, split.train, split.validation);
  });

  it('never splits a group (one clip with several captions, or takes of one recording)', () => {
    const grouped: DatasetItem[] = [];
    for (let clip = 0; clip < 40; clip++)
      for (let cap = 0; cap < 1 + (clip % 3); cap++)
        grouped.push({
          audioPath: `/g/${clip}.wav`,
          caption: `${clip}/${cap}`,
          label: clip % 2 ? 'odd' : 'even',
        });
    for (const seed of [0, 1, 2]) {
      const split = splitTrainValidation(grouped, { seed });
      const train = new Set(paths(split.train));
      expect(split.validation.some((x) => train.has(x.audioPath))).toBe(false);
      expect(split.validation.length).toBeGreaterThan(0);
    }
    const takes: DatasetItem[] = Array.from({ length: 20 }, (_, i) => ({
      audioPath: `/t/${i}.wav`,
      group: `rec${i >> 1}`,
    }));
    const split = splitTrainValidation(takes, { seed: 9 });
    const trainGroups = new Set(split.train.map((x) => x.group));
    expect(split.validation.some((x) => trainGroups.has(x.group))).toBe(false);
  });

  it('splits by whole folds when every item has one', () => {
    const folded = items.map((x, i) => ({ ...x, fold: 1 + (i % 5) }));
    const split = splitTrainValidation(folded, { seed: 4 });
    expect(split.strategy).toBe('fold');
    expect(split.validationFolds).toHaveLength(1);
    const [vf] = split.validationFolds ?? [];
    expect(split.validation.every((x) => x.fold === vf)).toBe(true);
    expect(split.train.some((x) => x.fold === vf)).toBe(false);
    const forced = splitTrainValidation(folded, { strategy: 'stratified' });
    expect(forced.strategy).toBe('stratified');
  });

  it('refuses bad options with INVALID_OPTION or EMPTY', () => {
    expect(caught(() => splitTrainValidation(items, { validationFraction: 0 })).code).toBe('INVALID_OPTION');
    expect(caught(() => splitTrainValidation(items, { validationFraction: 1 })).code).toBe('INVALID_OPTION');
    expect(caught(() => splitTrainValidation(items, { seed: 1.5 })).code).toBe('INVALID_OPTION');
    expect(caught(() => splitTrainValidation([], {})).code).toBe('EMPTY');
    expect(caught(() => splitTrainValidation(items, { strategy: 'fold' })).code).toBe('INVALID_OPTION');
    expect(caught(() => splitTrainValidation(items, { validationFolds: [1] })).message).toContain(
      'fold strategy',
    );
    const unlabelled = [{ audioPath: '/a' }, { audioPath: '/b' }];
    expect(caught(() => splitTrainValidation(unlabelled, { strategy: 'stratified' })).code).toBe(
      'INVALID_OPTION',
    );
    const folded = items.map((x, i) => ({ ...x, fold: 1 + (i % 2) }));
    expect(caught(() => splitTrainValidation(folded, { validationFolds: [3] })).message).toContain(
      'not among the folds',
    );
    expect(caught(() => splitTrainValidation(folded, { validationFolds: [1, 2] })).code).toBe(
      'INVALID_OPTION',
    );
    // One clip per class cannot be stratified without taking a class out of training.
    const singletons = labelled({ a: 1, b: 1, c: 1 });
    expect(caught(() => splitTrainValidation(singletons)).message).toContain('random strategy');
    expect(splitTrainValidation(singletons, { strategy: 'random' }).validation).toHaveLength(1);
    expect(splitTrainValidation(labelled({ a: 3 }), { validationFraction: 0.1 }).validation).toHaveLength(1);
    expect(caught(() => splitTrainValidation(labelled({ a: 1 }))).code).toBe('INVALID_OPTION');
  });
});

describe('kFoldSplits', () => {
  function expectCoverage(items: readonly DatasetItem[], folds: readonly FoldSplit<DatasetItem>[]): void {
    const times = new Map<DatasetItem, number>();
    for (const f of folds) {
      expectPartition(items, f.train, f.validation);
      for (const x of f.validation) times.set(x, (times.get(x) ?? 0) + 1);
    }
    expect(times.size).toBe(items.length);
    expect([...times.values()].every((n) => n === 1)).toBe(true);
  }

  it('puts every item in exactly one validation part, stratified and balanced', () => {
    const items = labelled({ dog: 23, rain: 17, sea: 11 });
    const folds = kFoldSplits(items, { k: 5, seed: 3 });
    expect(folds.map((f) => f.index)).toEqual([0, 1, 2, 3, 4]);
    expectCoverage(items, folds);
    const sizes = folds.map((f) => f.validation.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const label of ['dog', 'rain', 'sea']) {
      const per = folds.map((f) => f.validation.filter((x) => x.label === label).length);
      expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
    }
  });

  it('is deterministic under a seed and keeps groups in one part', () => {
    const items: DatasetItem[] = Array.from({ length: 60 }, (_, i) => ({
      audioPath: `/k/${i}.wav`,
      group: `rec${i % 25}`,
    }));
    const a = kFoldSplits(items, { k: 4, seed: 8 });
    const b = kFoldSplits(items, { k: 4, seed: 8 });
    expect(a.map((f) => paths(f.validation))).toEqual(b.map((f) => paths(f.validation)));
    expect(kFoldSplits(items, { k: 4, seed: 9 }).map((f) => paths(f.validation))).not.toEqual(
      a.map((f) => paths(f.validation)),
    );
    expectCoverage(items, a);
    for (const f of a) {
      const trainGroups = new Set(f.train.map((x) => x.group));
      expect(f.validation.some((x) => trainGroups.has(x.group))).toBe(false);
    }
  });

  it('uses the dataset folds when every item has one', () => {
    const items = labelled({ a: 12, b: 8 }).map((x, i) => ({ ...x, fold: 1 + (i % 4) }));
    const folds = kFoldSplits(items);
    expect(folds.map((f) => f.fold)).toEqual([1, 2, 3, 4]);
    expectCoverage(items, folds);
    expect(caught(() => kFoldSplits(items, { k: 5 })).message).toContain('4 folds');
  });

  it('refuses k below 2 or above the number of groups', () => {
    const items = labelled({ a: 3 });
    expect(caught(() => kFoldSplits(items, { k: 1 })).code).toBe('INVALID_OPTION');
    expect(caught(() => kFoldSplits(items, { k: 4 })).message).toContain('exceeds the 3');
    expect(kFoldSplits(items, { k: 3 }).every((f) => f.validation.length === 1)).toBe(true);
  });
});

describe('chooseSplitStrategy', () => {
  it('prefers folds, then labels, then random', () => {
    expect(chooseSplitStrategy([{ audioPath: '/a', label: 'x', fold: 1 }])).toBe('fold');
    expect(
      chooseSplitStrategy([
        { audioPath: '/a', label: 'x', fold: 1 },
        { audioPath: '/b', label: 'y' },
      ]),
    ).toBe('stratified');
    expect(chooseSplitStrategy([{ audioPath: '/a', label: 'x' }, { audioPath: '/b' }])).toBe('random');
  });
});
