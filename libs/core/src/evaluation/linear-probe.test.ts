import { Rng } from '@soundedit/models';
import { describe, expect, it } from 'vitest';
import { linearProbe, type LinearProbeOptions } from './linear-probe.ts';
import { binomialBand, evaluationError, gaussianClusters, randomLabels } from './test-fixtures.ts';

const names = (c: number): string[] => Array.from({ length: c }, (_, i) => `class ${i}`);

describe('linearProbe', () => {
  it('scores ~100% on separable clusters, with stratified folds of equal size', () => {
    const { x, y } = gaussianClusters(1, 5, 30, 16);
    const report = linearProbe(x, y, names(5), { l2: 1e-2 });
    expect(report.strategy).toBe('stratified');
    expect(report.selection).toBe('fixed');
    expect(report.folds).toHaveLength(5);
    expect(report.folds.map((f) => f.testSize)).toEqual([30, 30, 30, 30, 30]);
    expect(report.folds.every((f) => f.trainSize === 120 && f.converged)).toBe(true);
    expect(report.meanAccuracy).toBeGreaterThanOrEqual(0.98);
    expect(report.pooledAccuracy).toBeGreaterThanOrEqual(0.98);
    expect(report.chance).toBe(0.2);
    expect(report.predictions.every((p) => p >= 0 && p < 5)).toBe(true);
  });

  it('is at chance, within a binomial band, when labels are random', () => {
    const { x } = gaussianClusters(2, 4, 150, 8);
    const y = randomLabels(3, x.length, 4);
    const report = linearProbe(x, y, names(4), { l2: 1e-2 });
    // An out-of-fold prediction never saw its own label, which is independent of everything else.
    const [lo, hi] = binomialBand(0.25, x.length);
    expect(report.pooledAccuracy).toBeGreaterThan(lo);
    expect(report.pooledAccuracy).toBeLessThan(hi);
  });

  it('reports mean and sample std of the fold accuracies', () => {
    const { x, y } = gaussianClusters(4, 3, 20, 4, 1, 1.5);
    const report = linearProbe(x, y, names(3), { l2: 1e-2, folds: 4 });
    const acc = report.folds.map((f) => f.accuracy);
    const mean = acc.reduce((a, b) => a + b, 0) / 4;
    expect(report.meanAccuracy).toBeCloseTo(mean, 12);
    const std = Math.sqrt(acc.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
    expect(report.stdAccuracy).toBeCloseTo(std, 12);
    expect(report.stdAccuracy).toBeGreaterThan(0);
    const diagonal = report.confusion.reduce((a, row, i) => a + (row[i] as number), 0);
    expect(diagonal / x.length).toBeCloseTo(report.pooledAccuracy, 12);
  });

  it('uses predefined folds as they are', () => {
    const { x, y } = gaussianClusters(5, 3, 20, 6);
    const foldOf = x.map((_, i) => 1 + (i % 4));
    const report = linearProbe(x, y, names(3), { foldOf, l2: 1e-2 });
    expect(report.strategy).toBe('fold');
    expect(report.folds.map((f) => [f.fold, f.testSize, f.trainSize])).toEqual([
      [1, 15, 45],
      [2, 15, 45],
      [3, 15, 45],
      [4, 15, 45],
    ]);
  });

  it('standardises each fold with its training part only', () => {
    // Fold 1: classes around -1 and +1. Fold 2: the same pattern shifted to 9 and 11. A model trained on
    // one fold puts every clip of the other fold on one side; standardising the test fold with its own
    // statistics would map it back onto the training pattern and score 100%.
    const rng = new Rng(6);
    const x: Float32Array[] = [];
    const y: number[] = [];
    const foldOf: number[] = [];
    for (const [fold, shift] of [
      [1, 0],
      [2, 10],
    ] as const)
      for (let i = 0; i < 20; i++) {
        const label = i % 2;
        x.push(Float32Array.of(shift + (label === 0 ? -1 : 1) + 0.1 * rng.normal()));
        y.push(label);
        foldOf.push(fold);
      }
    const report = linearProbe(x, y, names(2), { foldOf, l2: 1e-2 });
    expect(report.folds.map((f) => f.accuracy)).toEqual([0.5, 0.5]);
    // Tested on fold 1 (trained on fold 2, boundary near 10): all class 0; the other way round all class 1.
    expect(report.predictions.slice(0, 20).every((p) => p === 0)).toBe(true);
    expect(report.predictions.slice(20).every((p) => p === 1)).toBe(true);
  });

  it('chooses l2 per fold by inner validation and reports every strength tried', () => {
    const { x, y } = gaussianClusters(7, 4, 25, 12, 1, 1.2);
    const options: LinearProbeOptions = { l2: [1e-3, 1e-1, 10], folds: 3, seed: 4 };
    const report = linearProbe(x, y, names(4), options);
    expect(report.selection).toBe('inner-validation');
    expect(report.l2Grid).toEqual([1e-3, 1e-1, 10]);
    for (const fold of report.folds) {
      const search = fold.l2Search ?? [];
      expect(search.map((t) => t.l2)).toEqual([1e-3, 1e-1, 10]);
      const best = Math.max(...search.map((t) => t.validationAccuracy));
      const chosen = search.find((t) => t.l2 === fold.l2);
      expect(chosen?.validationAccuracy).toBe(best);
      // Ties go to the strongest penalty.
      expect(search.filter((t) => t.validationAccuracy === best).every((t) => t.l2 <= fold.l2)).toBe(true);
    }
    expect(linearProbe(x, y, names(4), options)).toEqual(report);
  });

  it('keeps groups together and counts them against the folds', () => {
    const { x, y } = gaussianClusters(8, 2, 6, 3);
    const groupOf = x.map((_, i) => `g${Math.floor(i / 4)}`);
    const e = evaluationError(() => linearProbe(x, y, names(2), { groupOf, folds: 4, l2: 1 }));
    expect(e.code).toBe('TOO_FEW_SAMPLES');
    expect(e.message).toContain('distinct groups, got 3');
    expect(linearProbe(x, y, names(2), { groupOf, folds: 3, l2: 1 }).folds.map((f) => f.testSize)).toEqual([
      4, 4, 4,
    ]);
  });
});

describe('linear probe input errors', () => {
  const { x, y } = gaussianClusters(9, 2, 5, 3);
  const code = (run: () => unknown): [string, string | undefined] => {
    const e = evaluationError(run);
    return [e.code, e.subject];
  };

  it('rejects bad embeddings and labels', () => {
    expect(code(() => linearProbe([], [], names(2)))).toEqual(['EMPTY', 'x']);
    expect(code(() => linearProbe(x, y.slice(1), names(2)))).toEqual(['LENGTH_MISMATCH', 'y']);
    expect(code(() => linearProbe([...x.slice(1), new Float32Array(4)], y, names(2)))).toEqual([
      'DIMENSION_MISMATCH',
      'x[9]',
    ]);
    expect(code(() => linearProbe([Float32Array.of(NaN, 0, 0), ...x.slice(1)], y, names(2)))).toEqual([
      'NOT_FINITE',
      'x[0]',
    ]);
    expect(code(() => linearProbe(x, [2, ...y.slice(1)], names(2)))).toEqual(['LABEL_OUT_OF_RANGE', 'y[0]']);
    expect(
      code(() =>
        linearProbe(
          x,
          y.map(() => 0),
          names(1),
        ),
      ),
    ).toEqual(['TOO_FEW_CLASSES', 'classNames']);
  });

  it('rejects fold setups that cannot cross-validate', () => {
    expect(code(() => linearProbe(x, y, names(2), { folds: 11 }))).toEqual(['TOO_FEW_SAMPLES', 'folds']);
    expect(code(() => linearProbe(x, y, names(2), { folds: 1 }))).toEqual(['INVALID_OPTION', 'folds']);
    expect(code(() => linearProbe(x, y, names(2), { foldOf: [1] }))).toEqual(['LENGTH_MISMATCH', 'foldOf']);
    expect(code(() => linearProbe(x, y, names(2), { groupOf: ['a'] }))).toEqual([
      'LENGTH_MISMATCH',
      'groupOf',
    ]);
    expect(code(() => linearProbe(x, y, names(2), { foldOf: x.map(() => 1) }))).toEqual([
      'TOO_FEW_SAMPLES',
      'foldOf',
    ]);
    expect(code(() => linearProbe(x, y, names(2), { foldOf: x.map((_, i) => i % 2), folds: 5 }))).toEqual([
      'INVALID_OPTION',
      'folds',
    ]);
    expect(code(() => linearProbe(x, y, names(2), { foldOf: x.map((_, i) => (i % 2) + 0.5) }))).toEqual([
      'INVALID_OPTION',
      'foldOf[0]',
    ]);
  });

  it('rejects bad training options', () => {
    expect(code(() => linearProbe(x, y, names(2), { l2: 0 }))).toEqual(['INVALID_OPTION', 'l2']);
    expect(code(() => linearProbe(x, y, names(2), { l2: [1, -1] }))).toEqual(['INVALID_OPTION', 'l2[1]']);
    expect(code(() => linearProbe(x, y, names(2), { l2: [] }))).toEqual(['INVALID_OPTION', 'l2']);
    expect(code(() => linearProbe(x, y, names(2), { maxIterations: 1.5 }))).toEqual([
      'INVALID_OPTION',
      'maxIterations',
    ]);
    expect(code(() => linearProbe(x, y, names(2), { validationFraction: 1 }))).toEqual([
      'INVALID_OPTION',
      'validationFraction',
    ]);
    expect(code(() => linearProbe(x, y, names(2), { seed: 0.5 }))).toEqual(['INVALID_OPTION', 'seed']);
  });
});
