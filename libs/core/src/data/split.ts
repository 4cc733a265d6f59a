/**
 * Seeded train/validation and k-fold splits. Whole groups move together (clips of one recording, or
 * one clip with several captions), so no recording is on both sides; a dataset's own folds are used
 * as they are, since ESC-50 and UrbanSound8K define them to keep related clips together.
 */
import { Rng } from '@soundedit/models';
import { groupOf, type DatasetItem } from './dataset.ts';
import { DatasetError } from './errors.ts';

export type SplitStrategy = 'fold' | 'stratified' | 'random';

export interface SplitOptions {
  /** Integer seed; the same items and seed give the same split. Default 0. */
  seed?: number;
  /** 'auto' (default): by fold when every item has one, stratified by label when every item has one, else random. */
  strategy?: SplitStrategy | 'auto';
}

export interface TrainValidationOptions extends SplitOptions {
  /** Share of items for validation, in (0, 1). Default 0.2. Folds: the share of folds. */
  validationFraction?: number;
  /** Fold strategy only: these folds validate (default: a seeded choice of the fraction of folds). */
  validationFolds?: readonly number[];
}

export interface TrainValidationSplit<T> {
  train: T[];
  validation: T[];
  strategy: SplitStrategy;
  /** Fold strategy: the folds in validation, ascending. */
  validationFolds?: number[];
}

export interface KFoldOptions extends SplitOptions {
  /** Number of parts (default 5). With the fold strategy it must equal the number of folds, if given. */
  k?: number;
}

export interface FoldSplit<T> {
  /** 0-based part index. */
  index: number;
  /** Fold strategy: the dataset's fold number that validates in this part. */
  fold?: number;
  train: T[];
  validation: T[];
}

/** The strategy 'auto' picks for these items. */
export function chooseSplitStrategy(items: readonly DatasetItem[]): SplitStrategy {
  if (items.length > 0 && items.every((i) => i.fold !== undefined)) return 'fold';
  if (items.length > 0 && items.every((i) => i.label !== undefined)) return 'stratified';
  return 'random';
}

export function splitTrainValidation<T extends DatasetItem>(
  items: readonly T[],
  options: TrainValidationOptions = {},
): TrainValidationSplit<T> {
  const fraction = options.validationFraction ?? 0.2;
  if (!(fraction > 0 && fraction < 1)) invalid(`validationFraction must be in (0, 1), got ${fraction}`);
  const { rng, strategy } = prepare(items, options);
  if (options.validationFolds !== undefined && strategy !== 'fold')
    invalid('validationFolds needs the fold strategy');

  if (strategy === 'fold') {
    const folds = foldsOf(items);
    let chosen: number[];
    if (options.validationFolds !== undefined) {
      chosen = [...new Set(options.validationFolds)].sort((a, b) => a - b);
      for (const f of chosen)
        if (!folds.includes(f)) invalid(`validation fold ${f} is not among the folds (${folds.join(', ')})`);
      if (chosen.length === 0 || chosen.length === folds.length)
        invalid(`validationFolds must name some but not all of the folds (${folds.join(', ')})`);
    } else {
      if (folds.length < 2)
        invalid(`a fold split needs at least two folds, the items have ${folds.join(', ')}`);
      const m = Math.min(folds.length - 1, Math.max(1, Math.round(fraction * folds.length)));
      chosen = shuffle([...folds], rng)
        .slice(0, m)
        .sort((a, b) => a - b);
    }
    const inValidation = new Set(chosen);
    return {
      ...partition(items, (item) => inValidation.has(item.fold as number)),
      strategy,
      validationFolds: chosen,
    };
  }

  const strata = stratify(items, strategy, rng);
  const total = items.length;
  // At least one validation item when there is any room: a tiny fraction of a small set still validates.
  const quota = quotas(strata, Math.max(1, Math.round(fraction * total)), fraction, rng);
  const validationGroups = new Set<string>();
  strata.forEach((stratum, s) => {
    let taken = 0;
    // Stop before the last group so every class keeps at least one group for training.
    for (let g = 0; g < stratum.groups.length - 1 && taken < (quota[s] ?? 0); g++) {
      const group = stratum.groups[g] as Group;
      validationGroups.add(group.key);
      taken += group.size;
    }
  });
  const split = partition(items, (item) => validationGroups.has(groupOf(item)));
  if (split.validation.length === 0)
    invalid(
      `${total} item(s) in ${strata.length} ${strategy === 'stratified' ? 'class(es)' : 'part'} are too few to put ${fraction} in validation` +
        (strategy === 'stratified' ? ' while keeping every class in training (try the random strategy)' : ''),
    );
  return { ...split, strategy };
}

export function kFoldSplits<T extends DatasetItem>(
  items: readonly T[],
  options: KFoldOptions = {},
): FoldSplit<T>[] {
  const { rng, strategy } = prepare(items, options);
  if (strategy === 'fold') {
    const folds = foldsOf(items);
    if (folds.length < 2)
      invalid(`k-fold by fold needs at least two folds, the items have ${folds.join(', ')}`);
    if (options.k !== undefined && options.k !== folds.length)
      invalid(`k = ${options.k} but the items have ${folds.length} folds (${folds.join(', ')})`);
    return folds.map((fold, index) => ({ index, fold, ...partition(items, (item) => item.fold === fold) }));
  }

  const k = options.k ?? 5;
  if (!Number.isInteger(k) || k < 2) invalid(`k must be an integer >= 2, got ${k}`);
  const strata = stratify(items, strategy, rng);
  const groupCount = strata.reduce((n, s) => n + s.groups.length, 0);
  if (k > groupCount) invalid(`k = ${k} exceeds the ${groupCount} independent group(s) in the items`);
  // One cursor across all classes: each class is dealt round-robin, and the overall part sizes stay within a group of each other.
  const partOf = new Map<string, number>();
  let cursor = 0;
  for (const stratum of strata)
    for (const group of stratum.groups) {
      partOf.set(group.key, cursor);
      cursor = (cursor + 1) % k;
    }
  return Array.from({ length: k }, (_, index) => ({
    index,
    ...partition(items, (item) => partOf.get(groupOf(item)) === index),
  }));
}

interface Group {
  key: string;
  size: number;
}

interface Stratum {
  label: string;
  /** Seeded shuffle of the stratum's groups. */
  groups: Group[];
  size: number;
}

function invalid(message: string): never {
  throw new DatasetError('INVALID_OPTION', message);
}

function prepare(
  items: readonly DatasetItem[],
  options: SplitOptions,
): { rng: Rng; strategy: SplitStrategy } {
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) invalid(`seed must be an integer, got ${seed}`);
  if (items.length === 0) throw new DatasetError('EMPTY', 'cannot split an empty list of items');
  const requested = options.strategy ?? 'auto';
  const strategy = requested === 'auto' ? chooseSplitStrategy(items) : requested;
  if (strategy === 'fold' && items.some((i) => i.fold === undefined))
    invalid('the fold strategy needs a fold on every item');
  if (strategy === 'stratified' && items.some((i) => i.label === undefined))
    invalid('the stratified strategy needs a label on every item');
  return { rng: new Rng(seed), strategy };
}

function foldsOf(items: readonly DatasetItem[]): number[] {
  return [...new Set(items.map((i) => i.fold as number))].sort((a, b) => a - b);
}

/**
 * Groups per class (one pseudo-class for random), classes in label order and groups shuffled from key
 * order. A group whose items carry different labels is filed under its first item's label.
 */
function stratify(items: readonly DatasetItem[], strategy: SplitStrategy, rng: Rng): Stratum[] {
  const byLabel = new Map<string, Map<string, Group>>();
  const labelOfGroup = new Map<string, string>();
  for (const item of items) {
    const key = groupOf(item);
    const label = labelOfGroup.get(key) ?? (strategy === 'stratified' ? (item.label as string) : '');
    labelOfGroup.set(key, label);
    let groups = byLabel.get(label);
    if (groups === undefined) byLabel.set(label, (groups = new Map()));
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { key, size: 1 });
    else group.size++;
  }
  return [...byLabel.keys()].sort().map((label) => {
    // Sorting before the shuffle makes the split depend on which items there are, not on their order in the file.
    const sorted = [...(byLabel.get(label) as Map<string, Group>).values()].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
    const groups = shuffle(sorted, rng);
    return { label, groups, size: groups.reduce((n, g) => n + g.size, 0) };
  });
}

/**
 * Per-class validation counts summing to `total` where the caps allow: floor of each class's share,
 * then the leftover to the largest remainders (seeded tie-break), each class capped below its size.
 */
function quotas(strata: readonly Stratum[], total: number, fraction: number, rng: Rng): number[] {
  const q = strata.map((s) => Math.min(Math.floor(fraction * s.size), s.size - 1));
  let left = total - q.reduce((a, b) => a + b, 0);
  const order = strata
    .map((s, i) => ({ i, rem: fraction * s.size - Math.floor(fraction * s.size), tie: rng.next() }))
    .sort((a, b) => b.rem - a.rem || a.tie - b.tie);
  for (const { i } of order) {
    if (left <= 0) break;
    const stratum = strata[i] as Stratum;
    if ((q[i] as number) + 1 <= stratum.size - 1) {
      q[i] = (q[i] as number) + 1;
      left--;
    }
  }
  return q;
}

function shuffle<T>(xs: T[], rng: Rng): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = xs[i] as T;
    xs[i] = xs[j] as T;
    xs[j] = t;
  }
  return xs;
}

/** Items keep their input order inside each part. */
function partition<T>(
  items: readonly T[],
  inValidation: (item: T) => boolean,
): { train: T[]; validation: T[] } {
  const train: T[] = [];
  const validation: T[] = [];
  for (const item of items) (inValidation(item) ? validation : train).push(item);
  return { train, validation };
}
