/**
 * ESC-50 layout: `meta/esc50.csv` (filename, fold, target, category, esc10, src_file, take) and the
 * clips in `audio/`. Folds are the dataset's own: clips cut from one Freesound recording share a fold,
 * so evaluation should split by fold rather than at random.
 */
import path from 'node:path';
import { readCsvTable, requireColumns, widthProblem, type CsvRow } from './csv.ts';
import {
  fileProblem,
  parseIntCell,
  requireItems,
  type DatasetItem,
  type LoadedDataset,
  type LoadOptions,
} from './dataset.ts';
import { ProblemLog, problem, type DatasetProblem } from './errors.ts';
import { checkFile, mapLimit, STAT_CONCURRENCY } from './files.ts';
import { bareNameProblem, cellOf, ClassMap, rowAt } from './layout.ts';

export const ESC50_METADATA = path.join('meta', 'esc50.csv');
export const ESC50_AUDIO_DIR = 'audio';

export interface Esc50Item extends DatasetItem {
  label: string;
  fold: number;
  group: string;
  /** Class index 0-49. */
  target: number;
  /** Whether the clip belongs to the ESC-10 subset. */
  esc10: boolean;
  /** Freesound id of the recording the clip was cut from. */
  srcFile: string;
  /** Which cut of that recording (A, B, ...). */
  take: string;
}

export interface Esc50Options extends LoadOptions {
  /** Keep only the ESC-10 subset. */
  esc10Only?: boolean;
}

const COLUMNS = {
  filename: 'filename',
  fold: 'fold',
  target: 'target',
  category: 'category',
  esc10: 'esc10',
  srcFile: 'src_file',
  take: 'take',
} as const;

export async function loadEsc50(root: string, options: Esc50Options = {}): Promise<LoadedDataset<Esc50Item>> {
  const dir = path.resolve(root);
  const table = await readCsvTable(path.join(dir, ESC50_METADATA));
  const col = requireColumns(table, COLUMNS);
  const log = new ProblemLog(options.failFast ?? false);
  const classes = new ClassMap();
  const seen = new Map<string, number>();
  const checkFiles = options.checkFiles ?? true;

  // Metadata checks are sequential (class map and duplicates depend on row order); file checks run concurrently.
  const parsed: Array<{ item: Esc50Item; row: CsvRow } | { problem: DatasetProblem }> = table.rows.map(
    (row) => {
      const r = parseRow(row);
      return 'item' in r ? { item: r.item, row } : r;
    },
  );
  const checked = await mapLimit(parsed, STAT_CONCURRENCY, async (p) => {
    if (!('item' in p) || !checkFiles) return p;
    const bad = fileProblem(
      await checkFile(p.item.audioPath),
      p.item.audioPath,
      'audio file',
      rowAt(table, p.row),
    );
    return bad === undefined ? p : { problem: bad };
  });
  const items: Esc50Item[] = [];
  for (const c of checked) {
    if ('problem' in c) log.add(c.problem);
    else if (!options.esc10Only || c.item.esc10) items.push(c.item);
  }
  const names = new Set(items.map((i) => i.label));
  return requireItems({
    items,
    problems: log.problems,
    classes: classes.names().filter((n) => names.has(n)),
    metadataFile: table.file,
  });

  function parseRow(row: CsvRow): { item: Esc50Item } | { problem: DatasetProblem } {
    const at = rowAt(table, row);
    const wide = widthProblem(table, row);
    if (wide !== undefined) return { problem: wide };
    const filename = cellOf(row, col.filename);
    const badName = bareNameProblem(filename, COLUMNS.filename, at);
    if (badName !== undefined) return { problem: badName };
    const earlier = seen.get(filename);
    if (earlier !== undefined)
      return { problem: problem('DUPLICATE', `${filename} is already listed on line ${earlier}`, at) };
    seen.set(filename, row.line);

    const foldText = cellOf(row, col.fold);
    const fold = parseIntCell(foldText, 1);
    if (fold === undefined)
      return {
        problem: problem('BAD_VALUE', `fold ${JSON.stringify(foldText)} is not a positive integer`, at),
      };
    const targetText = cellOf(row, col.target);
    const target = parseIntCell(targetText, 0);
    if (target === undefined)
      return {
        problem: problem(
          'BAD_VALUE',
          `target ${JSON.stringify(targetText)} is not a non-negative integer`,
          at,
        ),
      };
    const category = cellOf(row, col.category);
    if (category === '') return { problem: problem('EMPTY_VALUE', 'empty category cell', at) };
    const esc10Text = cellOf(row, col.esc10).toLowerCase();
    if (esc10Text !== 'true' && esc10Text !== 'false')
      return {
        problem: problem(
          'BAD_VALUE',
          `esc10 ${JSON.stringify(cellOf(row, col.esc10))} is not True or False`,
          at,
        ),
      };
    const srcFile = cellOf(row, col.srcFile);
    if (srcFile === '') return { problem: problem('EMPTY_VALUE', 'empty src_file cell', at) };
    const clash = classes.check(target, category, at);
    if (clash !== undefined) return { problem: clash };
    return {
      item: {
        audioPath: path.join(dir, ESC50_AUDIO_DIR, filename),
        label: category,
        fold,
        group: `esc50:${srcFile}`,
        target,
        esc10: esc10Text === 'true',
        srcFile,
        take: cellOf(row, col.take),
      },
    };
  }
}
