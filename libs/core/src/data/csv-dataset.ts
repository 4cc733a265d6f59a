/**
 * A VGGSound-like dataset: a CSV with one row per (clip, caption or label, optional image), paths
 * relative to the CSV's folder unless absolute.
 */
import path from 'node:path';
import { readCsvTable, widthProblem, type CsvRow } from './csv.ts';
import {
  fileProblem,
  requireItems,
  sortedLabels,
  parseIntCell,
  type DatasetItem,
  type LoadedDataset,
  type LoadOptions,
} from './dataset.ts';
import { DatasetError, ProblemLog, problem, type DatasetProblem } from './errors.ts';
import { checkFile, mapLimit, STAT_CONCURRENCY } from './files.ts';

export interface CsvColumns {
  audio: string;
  caption: string;
  label: string;
  image: string;
  fold: string;
}

export const DEFAULT_CSV_COLUMNS: Readonly<CsvColumns> = {
  audio: 'audio',
  caption: 'caption',
  label: 'label',
  image: 'image',
  fold: 'fold',
};

export interface CsvDatasetOptions extends LoadOptions {
  /**
   * Header names to read. The audio column is required, and at least one of caption/label. A column
   * named here explicitly must exist; one left at its default is simply absent when the header lacks it.
   */
  columns?: Partial<CsvColumns>;
  /** Field delimiter, ',' by default. */
  delimiter?: string;
  /** Folder relative paths are resolved against; the CSV's own folder by default. */
  baseDir?: string;
}

export interface CsvDatasetItem extends DatasetItem {
  /** Where the item came from, so later failures (decoding, say) can name the row. */
  line: number;
  row: number;
}

type Key = keyof CsvColumns;

export async function loadCsvDataset(
  csvPath: string,
  options: CsvDatasetOptions = {},
): Promise<LoadedDataset<CsvDatasetItem>> {
  const file = path.resolve(csvPath);
  const table = await readCsvTable(
    file,
    options.delimiter === undefined ? {} : { delimiter: options.delimiter },
  );
  const names: CsvColumns = { ...DEFAULT_CSV_COLUMNS, ...options.columns };
  const index = {} as Record<Key, number | undefined>;
  for (const key of Object.keys(names) as Key[]) {
    const at = table.header.indexOf(names[key]);
    const explicit = options.columns?.[key] !== undefined;
    if (at < 0 && (key === 'audio' || explicit))
      throw missingColumn(`no ${key} column ${JSON.stringify(names[key])}`);
    index[key] = at < 0 ? undefined : at;
  }
  if (index.caption === undefined && index.label === undefined)
    throw missingColumn(
      `neither a caption column ${JSON.stringify(names.caption)} nor a label column ${JSON.stringify(names.label)}`,
    );

  const baseDir = path.resolve(options.baseDir ?? path.dirname(file));
  const log = new ProblemLog(options.failFast ?? false);
  const checkFiles = options.checkFiles ?? true;
  // Rows are checked concurrently but problems are logged in row order, so fail-fast reports the first bad row.
  const results = await mapLimit(table.rows, STAT_CONCURRENCY, (row) => readRow(row));
  const items: CsvDatasetItem[] = [];
  for (const r of results) {
    if ('item' in r) items.push(r.item);
    else log.add(r.problem);
  }
  return requireItems({ items, problems: log.problems, classes: sortedLabels(items), metadataFile: file });

  function missingColumn(what: string): DatasetError {
    return new DatasetError(
      'MISSING_COLUMN',
      `${file}:${table.headerLine}: ${what} in the header (columns: ${table.header.join(', ')})`,
      { file, line: table.headerLine },
    );
  }

  async function readRow(row: CsvRow): Promise<{ item: CsvDatasetItem } | { problem: DatasetProblem }> {
    const at = { file, line: row.line, row: row.row };
    const bad = widthProblem(table, row);
    if (bad !== undefined) return { problem: bad };
    const cell = (key: Key): string => {
      const i = index[key];
      return i === undefined ? '' : (row.fields[i] ?? '').trim();
    };
    const audio = cell('audio');
    if (audio === '') return { problem: problem('EMPTY_VALUE', `empty ${names.audio} cell`, at) };
    const caption = cell('caption');
    const label = cell('label');
    if (caption === '' && label === '')
      return { problem: problem('EMPTY_VALUE', `row has neither a caption nor a label`, at) };
    const foldText = cell('fold');
    const fold = foldText === '' ? undefined : parseIntCell(foldText, 1);
    if (foldText !== '' && fold === undefined)
      return {
        problem: problem(
          'BAD_VALUE',
          `${names.fold} ${JSON.stringify(foldText)} is not a positive integer`,
          at,
        ),
      };
    const audioPath = path.resolve(baseDir, audio);
    const image = cell('image');
    const imagePath = image === '' ? undefined : path.resolve(baseDir, image);
    if (checkFiles) {
      const p =
        fileProblem(await checkFile(audioPath), audioPath, 'audio file', at) ??
        (imagePath === undefined
          ? undefined
          : fileProblem(await checkFile(imagePath), imagePath, 'image file', at));
      if (p !== undefined) return { problem: p };
    }
    const item: CsvDatasetItem = { audioPath, line: row.line, row: row.row };
    if (caption !== '') item.caption = caption;
    if (label !== '') item.label = label;
    if (imagePath !== undefined) item.imagePath = imagePath;
    if (fold !== undefined) item.fold = fold;
    return { item };
  }
}
