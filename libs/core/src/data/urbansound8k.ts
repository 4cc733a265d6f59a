/**
 * UrbanSound8K layout: `metadata/UrbanSound8K.csv` (slice_file_name, fsID, start, end, salience, fold,
 * classID, class) with clips in `audio/fold{n}/`. Slices of one Freesound recording share a fold; the
 * dataset's authors ask for results by fold, never on a random re-split.
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

export const URBANSOUND8K_METADATA = path.join('metadata', 'UrbanSound8K.csv');
export const URBANSOUND8K_AUDIO_DIR = 'audio';

export interface UrbanSound8KItem extends DatasetItem {
  label: string;
  fold: number;
  group: string;
  /** Class index 0-9. */
  classId: number;
  /** Freesound id of the recording the slice was cut from. */
  fsId: string;
  /** Slice start and end in the source recording, seconds. */
  start: number;
  end: number;
  /** 1: foreground, 2: background (the dataset's own subjective rating). */
  salience: 1 | 2;
}

const COLUMNS = {
  file: 'slice_file_name',
  fsId: 'fsID',
  start: 'start',
  end: 'end',
  salience: 'salience',
  fold: 'fold',
  classId: 'classID',
  className: 'class',
} as const;

/** The dataset's file names are {fsID}-{classID}-{occurrence}-{slice}.wav; rows that contradict their name are mislabelled. */
const NAME_PATTERN = /^(\d+)-(\d+)-\d+-\d+\.[A-Za-z0-9]+$/;

export async function loadUrbanSound8K(
  root: string,
  options: LoadOptions = {},
): Promise<LoadedDataset<UrbanSound8KItem>> {
  const dir = path.resolve(root);
  const table = await readCsvTable(path.join(dir, URBANSOUND8K_METADATA));
  const col = requireColumns(table, COLUMNS);
  const log = new ProblemLog(options.failFast ?? false);
  const classes = new ClassMap();
  const seen = new Map<string, number>();
  const checkFiles = options.checkFiles ?? true;

  const parsed = table.rows.map((row) => {
    const r = parseRow(row);
    return 'item' in r ? { item: r.item, row } : r;
  });
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
  const items: UrbanSound8KItem[] = [];
  for (const c of checked) {
    if ('problem' in c) log.add(c.problem);
    else items.push(c.item);
  }
  return requireItems({ items, problems: log.problems, classes: classes.names(), metadataFile: table.file });

  function parseRow(row: CsvRow): { item: UrbanSound8KItem } | { problem: DatasetProblem } {
    const at = rowAt(table, row);
    const wide = widthProblem(table, row);
    if (wide !== undefined) return { problem: wide };
    const bad = (text: string): { problem: DatasetProblem } => ({ problem: problem('BAD_VALUE', text, at) });
    const name = cellOf(row, col.file);
    const badName = bareNameProblem(name, COLUMNS.file, at);
    if (badName !== undefined) return { problem: badName };
    const earlier = seen.get(name);
    if (earlier !== undefined)
      return { problem: problem('DUPLICATE', `${name} is already listed on line ${earlier}`, at) };
    seen.set(name, row.line);

    const fsId = cellOf(row, col.fsId);
    if (fsId === '') return { problem: problem('EMPTY_VALUE', 'empty fsID cell', at) };
    const startText = cellOf(row, col.start);
    const endText = cellOf(row, col.end);
    const start = startText === '' ? NaN : Number(startText);
    const end = endText === '' ? NaN : Number(endText);
    if (!Number.isFinite(start) || start < 0)
      return bad(`start ${JSON.stringify(startText)} is not a time in seconds`);
    if (!Number.isFinite(end) || end < start)
      return bad(`end ${JSON.stringify(endText)} is not a time after start ${start}`);
    const salienceText = cellOf(row, col.salience);
    if (salienceText !== '1' && salienceText !== '2')
      return bad(`salience ${JSON.stringify(salienceText)} is not 1 or 2`);
    const foldText = cellOf(row, col.fold);
    const fold = parseIntCell(foldText, 1);
    if (fold === undefined) return bad(`fold ${JSON.stringify(foldText)} is not a positive integer`);
    const classText = cellOf(row, col.classId);
    const classId = parseIntCell(classText, 0);
    if (classId === undefined)
      return bad(`classID ${JSON.stringify(classText)} is not a non-negative integer`);
    const className = cellOf(row, col.className);
    if (className === '') return { problem: problem('EMPTY_VALUE', 'empty class cell', at) };
    const named = NAME_PATTERN.exec(name);
    if (named !== null && (named[1] !== fsId || Number(named[2]) !== classId))
      return {
        problem: problem(
          'INCONSISTENT',
          `${name} names fsID ${named[1]} and classID ${named[2]} but the row says fsID ${fsId}, classID ${classId}`,
          at,
        ),
      };
    const clash = classes.check(classId, className, at);
    if (clash !== undefined) return { problem: clash };
    return {
      item: {
        audioPath: path.join(dir, URBANSOUND8K_AUDIO_DIR, `fold${fold}`, name),
        label: className,
        fold,
        group: `us8k:${fsId}`,
        classId,
        fsId,
        start,
        end,
        salience: salienceText === '1' ? 1 : 2,
      },
    };
  }
}
