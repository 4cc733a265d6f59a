/** What every loader returns: typed items, the problems it set aside, and the class list. */
import { DatasetError, problem, type DatasetLocation, type DatasetProblem } from './errors.ts';
import type { FileCheck } from './files.ts';

export interface DatasetItem {
  /** Absolute path of the clip. */
  audioPath: string;
  caption?: string;
  label?: string;
  /** Absolute path of a paired image, when the dataset has one. */
  imagePath?: string;
  /** Predefined cross-validation fold (ESC-50, UrbanSound8K, or a CSV's fold column). */
  fold?: number;
  /**
   * Items sharing a group are never split apart: clips cut from one recording (or one clip with several
   * captions) on both sides of a split would leak. Defaults to the audio path.
   */
  group?: string;
}

export interface LoadedDataset<T extends DatasetItem> {
  items: T[];
  /** Rows or files set aside, each naming its file and line. Empty when the loader ran fail-fast. */
  problems: DatasetProblem[];
  /** Class names: by class index for layouts that number classes, else sorted; empty for caption-only data. */
  classes: string[];
  /** The metadata file the items came from. */
  metadataFile: string;
}

export interface LoadOptions {
  /** Throw the first problem as a DatasetError instead of collecting it. Default false. */
  failFast?: boolean;
  /** Check that every audio/image file exists (and, where metadata gives one, its size). Default true. */
  checkFiles?: boolean;
}

/** The problem for a file check that did not find a regular file; undefined when it did. */
export function fileProblem(
  check: FileCheck,
  file: string,
  what: string,
  at: DatasetLocation,
): DatasetProblem | undefined {
  switch (check.kind) {
    case 'file':
      return undefined;
    case 'missing':
      return problem('MISSING_FILE', `${what} ${file} does not exist`, at);
    case 'not-file':
      return problem('FILE_UNREADABLE', `${what} ${file} is not a regular file`, at);
    case 'unreadable':
      return problem('FILE_UNREADABLE', `${what} ${file} cannot be read (${check.reason})`, at);
  }
}

/** Throw EMPTY (carrying the problems that caused it) when nothing usable is left. */
export function requireItems<T extends DatasetItem>(dataset: LoadedDataset<T>): LoadedDataset<T> {
  if (dataset.items.length > 0) return dataset;
  const n = dataset.problems.length;
  const first = dataset.problems[0];
  const why = first === undefined ? 'it lists no items' : `${n} row(s) rejected; first: ${first.message}`;
  throw new DatasetError('EMPTY', `${dataset.metadataFile}: no usable items (${why})`, {
    file: dataset.metadataFile,
    problems: dataset.problems,
  });
}

/** Distinct labels in code-unit order, so class indices do not depend on locale. */
export function sortedLabels(items: readonly DatasetItem[]): string[] {
  const labels = new Set<string>();
  for (const item of items) if (item.label !== undefined) labels.add(item.label);
  return [...labels].sort();
}

/** The group key the splits use. */
export function groupOf(item: DatasetItem): string {
  return item.group ?? item.audioPath;
}

/** Parse a strictly positive/non-negative integer cell; undefined when the text is not one. */
export function parseIntCell(text: string, min: number): number | undefined {
  if (!/^[+]?\d+$/.test(text)) return undefined;
  const v = Number(text);
  return Number.isSafeInteger(v) && v >= min ? v : undefined;
}
