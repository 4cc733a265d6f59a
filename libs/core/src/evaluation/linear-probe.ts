/**
 * Linear probe: how linearly separable the classes are in an embedding space, measured by k-fold
 * cross-validated softmax regression. Each fold standardises and trains on its training part only.
 * When several L2 strengths are given, each outer fold picks one by an inner train/validation split
 * of its own training part (never looking at its test part), then refits on the whole training part.
 */
import type { DatasetItem } from '../data/dataset.ts';
import { isDatasetError } from '../data/errors.ts';
import { kFoldSplits, splitTrainValidation, type SplitStrategy } from '../data/split.ts';
import { summariseClassification, type ClassResult } from './classification-metrics.ts';
import { checkEmbeddings, checkLabels } from './embedding-checks.ts';
import { EvaluationError } from './errors.ts';
import {
  checkL2,
  checkMaxIterations,
  trainSoftmaxRegression,
  DEFAULT_SOFTMAX_MAX_ITERATIONS,
  type SoftmaxModel,
} from './softmax-regression.ts';

/** Strengths tried by default, each a factor 10 apart; on standardised features these span barely to strongly regularised. */
export const DEFAULT_L2_GRID: readonly number[] = [1e-4, 1e-3, 1e-2, 1e-1, 1];

export interface LinearProbeOptions {
  /** Number of folds (default 5). With foldOf it must equal the number of distinct folds, if given. */
  folds?: number;
  /** Predefined fold per sample (ESC-50's and UrbanSound8K's own folds): each fold is tested once. */
  foldOf?: readonly number[];
  /** Group per sample (e.g. the source recording): a group is never on both sides of a split. */
  groupOf?: readonly string[];
  /** Without foldOf: 'stratified' (default) keeps class proportions per fold; 'random' does not. */
  strategy?: 'stratified' | 'random';
  /** One strength, or a grid to choose from per fold by inner validation. Default DEFAULT_L2_GRID. */
  l2?: number | readonly number[];
  /** Share of each training part held out to choose l2 (default 0.2); by whole folds when folds are predefined. */
  validationFraction?: number;
  maxIterations?: number;
  /** L-BFGS gradient tolerance (see SoftmaxRegressionOptions). */
  tolerance?: number;
  /** Seed of the fold assignment and inner splits; default 0. */
  seed?: number;
}

export interface LinearProbeL2Trial {
  l2: number;
  /** Accuracy on the inner validation part. */
  validationAccuracy: number;
  converged: boolean;
}

export interface LinearProbeFold {
  /** 0-based part index. */
  index: number;
  /** The predefined fold tested in this part, with foldOf. */
  fold?: number;
  trainSize: number;
  testSize: number;
  /** The strength the model was trained with. */
  l2: number;
  accuracy: number;
  iterations: number;
  converged: boolean;
  /** Every strength tried on the inner split, when a grid was given. */
  l2Search?: LinearProbeL2Trial[];
}

export interface LinearProbeReport {
  samples: number;
  classes: string[];
  strategy: SplitStrategy;
  /** 'fixed': one strength; 'inner-validation': chosen per fold from l2Grid. */
  selection: 'fixed' | 'inner-validation';
  l2Grid: number[];
  folds: LinearProbeFold[];
  /** Mean of the per-fold accuracies. */
  meanAccuracy: number;
  /** Sample standard deviation (n - 1) of the per-fold accuracies: their spread, not the mean's standard error. */
  stdAccuracy: number;
  /** 1 / classes: the accuracy of guessing. */
  chance: number;
  /** Share of samples predicted right when each is predicted by the model that did not train on it. */
  pooledAccuracy: number;
  balancedAccuracy: number;
  majorityBaseline: number;
  perClass: ClassResult[];
  /** confusion[true][predicted] over the out-of-fold predictions. */
  confusion: number[][];
  /** Out-of-fold prediction per sample. */
  predictions: number[];
}

interface ProbeItem extends DatasetItem {
  index: number;
}

export function linearProbe(
  x: readonly Float32Array[],
  y: readonly number[],
  classNames: readonly string[],
  options: LinearProbeOptions = {},
): LinearProbeReport {
  const classes = classNames.length;
  if (classes < 2)
    throw new EvaluationError('TOO_FEW_CLASSES', `a linear probe needs at least 2 classes, got ${classes}`, {
      subject: 'classNames',
    });
  checkEmbeddings(x, 'x');
  checkLabels(y, x.length, classes, 'y');
  const grid = l2Grid(options.l2);
  const maxIterations = options.maxIterations ?? DEFAULT_SOFTMAX_MAX_ITERATIONS;
  checkMaxIterations(maxIterations);
  const fraction = options.validationFraction ?? 0.2;
  if (!(fraction > 0 && fraction < 1))
    throw new EvaluationError('INVALID_OPTION', `validationFraction must be in (0, 1), got ${fraction}`, {
      subject: 'validationFraction',
    });
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed))
    throw new EvaluationError('INVALID_OPTION', `seed must be an integer, got ${seed}`, { subject: 'seed' });

  const items = probeItems(x.length, y, options);
  const strategy: SplitStrategy = options.foldOf !== undefined ? 'fold' : (options.strategy ?? 'stratified');
  const k = checkFoldCount(items, strategy, options.folds);
  const parts = asEvaluationError(() =>
    kFoldSplits(items, { seed, strategy, ...(strategy === 'fold' ? {} : { k }) }),
  );
  const train = (idx: readonly ProbeItem[], l2: number, warmStart?: SoftmaxModel): SoftmaxModel =>
    trainSoftmaxRegression(
      idx.map((i) => x[i.index] as Float32Array),
      idx.map((i) => y[i.index] as number),
      classes,
      {
        l2,
        maxIterations,
        ...(options.tolerance === undefined ? {} : { tolerance: options.tolerance }),
        ...(warmStart === undefined ? {} : { warmStart }),
      },
    );
  const accuracyOf = (model: SoftmaxModel, idx: readonly ProbeItem[]): number => {
    const predicted = model.predictClass(idx.map((i) => x[i.index] as Float32Array));
    return predicted.filter((p, t) => p === y[(idx[t] as ProbeItem).index]).length / idx.length;
  };

  const predictions = new Array<number>(x.length).fill(-1);
  const folds = parts.map((part): LinearProbeFold => {
    let l2 = grid[0] as number;
    let l2Search: LinearProbeL2Trial[] | undefined;
    if (grid.length > 1) {
      l2Search = searchL2(part.train, seed + part.index + 1);
      l2 = bestL2(l2Search);
    }
    const model = train(part.train, l2);
    const predicted = model.predictClass(part.validation.map((i) => x[i.index] as Float32Array));
    let correct = 0;
    part.validation.forEach((item, t) => {
      const p = predicted[t] as number;
      predictions[item.index] = p;
      if (p === y[item.index]) correct++;
    });
    return {
      index: part.index,
      ...(part.fold === undefined ? {} : { fold: part.fold }),
      trainSize: part.train.length,
      testSize: part.validation.length,
      l2,
      accuracy: correct / part.validation.length,
      iterations: model.training.iterations,
      converged: model.training.converged,
      ...(l2Search === undefined ? {} : { l2Search }),
    };
  });

  const accuracies = folds.map((f) => f.accuracy);
  const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
  const variance = accuracies.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (accuracies.length - 1);
  const summary = summariseClassification(y, predictions, classNames);
  return {
    samples: x.length,
    classes: [...classNames],
    strategy,
    selection: grid.length > 1 ? 'inner-validation' : 'fixed',
    l2Grid: grid,
    folds,
    meanAccuracy: mean,
    stdAccuracy: Math.sqrt(variance),
    chance: 1 / classes,
    pooledAccuracy: summary.accuracy,
    balancedAccuracy: summary.balancedAccuracy,
    majorityBaseline: summary.majorityBaseline,
    perClass: summary.perClass,
    confusion: summary.confusion,
    predictions,
  };

  /**
   * Fit every strength on an inner split of the training part, strongest first so each fit starts
   * from the previous solution (a regularisation path), and score each on the inner validation part.
   */
  function searchL2(trainPart: readonly ProbeItem[], innerSeed: number): LinearProbeL2Trial[] {
    // Predefined folds validate by whole folds while at least two remain, so related clips stay together.
    const innerStrategy: SplitStrategy =
      strategy === 'fold' && new Set(trainPart.map((i) => i.fold)).size >= 2 ? 'fold' : 'stratified';
    const inner = asEvaluationError(() =>
      splitTrainValidation(trainPart, {
        seed: innerSeed,
        strategy: innerStrategy,
        validationFraction: fraction,
      }),
    );
    const trials: LinearProbeL2Trial[] = [];
    let previous: SoftmaxModel | undefined;
    for (const l2 of [...grid].sort((a, b) => b - a)) {
      const model = train(inner.train, l2, previous);
      trials.push({
        l2,
        validationAccuracy: accuracyOf(model, inner.validation),
        converged: model.training.converged,
      });
      previous = model;
    }
    return trials.sort((a, b) => a.l2 - b.l2);
  }
}

/** The best inner accuracy; among ties the strongest penalty, the simpler model that fits as well. */
function bestL2(trials: readonly LinearProbeL2Trial[]): number {
  let best = trials[0] as LinearProbeL2Trial;
  for (const t of trials)
    if (
      t.validationAccuracy > best.validationAccuracy ||
      (t.validationAccuracy === best.validationAccuracy && t.l2 > best.l2)
    )
      best = t;
  return best.l2;
}

function l2Grid(l2: number | readonly number[] | undefined): number[] {
  const grid = l2 === undefined ? [...DEFAULT_L2_GRID] : typeof l2 === 'number' ? [l2] : [...l2];
  if (grid.length === 0)
    throw new EvaluationError('INVALID_OPTION', 'l2 is an empty list: give one strength or several', {
      subject: 'l2',
    });
  grid.forEach((v, i) => checkL2(v, typeof l2 === 'number' || l2 === undefined ? 'l2' : `l2[${i}]`));
  return [...new Set(grid)].sort((a, b) => a - b);
}

function probeItems(n: number, y: readonly number[], options: LinearProbeOptions): ProbeItem[] {
  const { foldOf, groupOf } = options;
  if (foldOf !== undefined && foldOf.length !== n)
    throw new EvaluationError('LENGTH_MISMATCH', `foldOf has ${foldOf.length} entries for ${n} samples`, {
      subject: 'foldOf',
    });
  if (groupOf !== undefined && groupOf.length !== n)
    throw new EvaluationError('LENGTH_MISMATCH', `groupOf has ${groupOf.length} entries for ${n} samples`, {
      subject: 'groupOf',
    });
  return Array.from({ length: n }, (_, index): ProbeItem => {
    const item: ProbeItem = { index, audioPath: `sample:${index}`, label: String(y[index]) };
    if (foldOf !== undefined) {
      const fold = foldOf[index] as number;
      if (!Number.isSafeInteger(fold))
        throw new EvaluationError('INVALID_OPTION', `foldOf[${index}] = ${fold} is not an integer fold id`, {
          subject: `foldOf[${index}]`,
        });
      item.fold = fold;
    }
    if (groupOf !== undefined) item.group = `group:${groupOf[index]}`;
    return item;
  });
}

/** The number of parts, checked here so the caller gets an evaluation error naming its own option. */
function checkFoldCount(
  items: readonly ProbeItem[],
  strategy: SplitStrategy,
  folds: number | undefined,
): number {
  if (folds !== undefined && (!Number.isInteger(folds) || folds < 2))
    throw new EvaluationError('INVALID_OPTION', `folds must be an integer >= 2, got ${folds}`, {
      subject: 'folds',
    });
  if (strategy === 'fold') {
    const distinct = new Set(items.map((i) => i.fold)).size;
    if (distinct < 2)
      throw new EvaluationError(
        'TOO_FEW_SAMPLES',
        `foldOf names ${distinct} fold; cross-validation needs at least 2`,
        {
          subject: 'foldOf',
        },
      );
    if (folds !== undefined && folds !== distinct)
      throw new EvaluationError(
        'INVALID_OPTION',
        `folds = ${folds} but foldOf names ${distinct} distinct folds`,
        {
          subject: 'folds',
        },
      );
    return distinct;
  }
  const k = folds ?? 5;
  const groups = new Set(items.map((i) => i.group ?? i.audioPath)).size;
  if (groups < k)
    throw new EvaluationError(
      'TOO_FEW_SAMPLES',
      `${k}-fold cross-validation needs at least ${k} samples${groups < items.length ? ' in distinct groups' : ''}, got ${groups}`,
      { subject: 'folds' },
    );
  return k;
}

/**
 * Split problems surface as evaluation errors (keeping the dataset error as the cause). The options are
 * checked before splitting, so a split that still refuses (an inner split with a class too small to
 * hold out) is short of samples rather than misconfigured.
 */
function asEvaluationError<T>(run: () => T): T {
  try {
    return run();
  } catch (cause) {
    if (!isDatasetError(cause)) throw cause;
    const code = cause.code === 'INVALID_OPTION' ? 'TOO_FEW_SAMPLES' : 'INVALID_OPTION';
    throw new EvaluationError(code, `cannot split the samples: ${cause.message}`, { cause });
  }
}
