/**
 * The project's own recordings (../shared/data/sounds): one folder per class and a SOURCES.csv giving,
 * per file, its class, origin, licences, format and size. Read in place; never copied into the repo.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { readCsvTable, requireColumns, widthProblem, type CsvRow } from './csv.ts';
import {
  fileProblem,
  parseIntCell,
  requireItems,
  sortedLabels,
  type DatasetItem,
  type LoadedDataset,
  type LoadOptions,
} from './dataset.ts';
import { DatasetError, ProblemLog, problem, type DatasetProblem } from './errors.ts';
import { checkFile, mapLimit, STAT_CONCURRENCY } from './files.ts';
import { cellOf, rowAt } from './layout.ts';

export const SHARED_SOUNDS_METADATA = 'SOURCES.csv';

/** Where the clips live for a checkout at `repoRoot`: beside the repository, not inside it. */
export function sharedSoundsDir(repoRoot: string): string {
  return path.resolve(repoRoot, '..', 'shared', 'data', 'sounds');
}

export interface SharedSoundSource {
  repo: string;
  path: string;
  commit: string;
  repoLicense: string;
  clipLicense: string;
  note: string;
}

export interface SharedSoundItem extends DatasetItem {
  label: string;
  group: string;
  /** Container as SOURCES.csv names it: WAV, OGG, MP3. */
  format: string;
  /** Size SOURCES.csv records; checked against the disk when files are checked. */
  bytes: number;
  /** Free-text format details (rate, channels, duration) from SOURCES.csv. */
  detail: string;
  source: SharedSoundSource;
}

const COLUMNS = {
  className: 'class',
  file: 'file',
  repo: 'repo',
  path: 'path',
  commit: 'commit',
  repoLicense: 'repo_license',
  clipLicense: 'clip_license',
  note: 'note',
  format: 'format',
  detail: 'detail',
  bytes: 'bytes',
} as const;

/**
 * Clips derived from ESC-50 keep its name {fold}-{src_file}-{take}[-{target}] after a source prefix;
 * takes of one recording (and the same recording reached through two repositories) must stay together.
 */
const ESC_NAME = /(?:^|_)\d-(\d+)-[A-Z](?:-\d+)?$/;

export function sharedSoundGroup(file: string): string {
  const stem = path.basename(file, path.extname(file));
  const esc = ESC_NAME.exec(stem);
  return esc === null ? `file:${file}` : `esc50:${esc[1]}`;
}

/** A class name usable as a folder name inside the dataset. */
function safeFolder(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\\');
}

export async function loadSharedSounds(
  root: string,
  options: LoadOptions = {},
): Promise<LoadedDataset<SharedSoundItem>> {
  const dir = path.resolve(root);
  const table = await readCsvTable(path.join(dir, SHARED_SOUNDS_METADATA));
  const col = requireColumns(table, COLUMNS);
  const log = new ProblemLog(options.failFast ?? false);
  const checkFiles = options.checkFiles ?? true;
  const seen = new Map<string, number>();

  const parsed = table.rows.map((row) => {
    const r = parseRow(row);
    return 'item' in r ? { item: r.item, row } : r;
  });
  const checked = await mapLimit(parsed, STAT_CONCURRENCY, async (p) => {
    if (!('item' in p) || !checkFiles) return p;
    const at = rowAt(table, p.row);
    const check = await checkFile(p.item.audioPath);
    const bad = fileProblem(check, p.item.audioPath, 'audio file', at);
    if (bad !== undefined) return { problem: bad };
    if (check.kind === 'file' && check.size !== p.item.bytes)
      return {
        problem: problem(
          'INCONSISTENT',
          `${p.item.audioPath} has ${check.size} bytes, SOURCES.csv says ${p.item.bytes}`,
          at,
        ),
      };
    return p;
  });
  const items: SharedSoundItem[] = [];
  for (const c of checked) {
    if ('problem' in c) log.add(c.problem);
    else items.push(c.item);
  }
  const classes = sortedLabels(items);
  if (checkFiles) for (const p of await unlisted()) log.add(p);
  return requireItems({ items, problems: log.problems, classes, metadataFile: table.file });

  function parseRow(row: CsvRow): { item: SharedSoundItem } | { problem: DatasetProblem } {
    const at = rowAt(table, row);
    const wide = widthProblem(table, row);
    if (wide !== undefined) return { problem: wide };
    const label = cellOf(row, col.className);
    if (label === '') return { problem: problem('EMPTY_VALUE', 'empty class cell', at) };
    const file = cellOf(row, col.file);
    if (file === '') return { problem: problem('EMPTY_VALUE', 'empty file cell', at) };
    const parts = file.split('/');
    if (
      path.isAbsolute(file) ||
      file.includes('\\') ||
      parts.some((s) => s === '' || s === '.' || s === '..')
    )
      return {
        problem: problem(
          'BAD_VALUE',
          `file ${JSON.stringify(file)} must be a relative path inside the folder`,
          at,
        ),
      };
    if (parts.length !== 2 || parts[0] !== label)
      return {
        problem: problem('INCONSISTENT', `file ${file} is not directly in its class folder ${label}/`, at),
      };
    const earlier = seen.get(file);
    if (earlier !== undefined)
      return { problem: problem('DUPLICATE', `${file} is already listed on line ${earlier}`, at) };
    seen.set(file, row.line);
    const bytesText = cellOf(row, col.bytes);
    const bytes = parseIntCell(bytesText, 0);
    if (bytes === undefined)
      return { problem: problem('BAD_VALUE', `bytes ${JSON.stringify(bytesText)} is not a size`, at) };
    return {
      item: {
        audioPath: path.join(dir, ...parts),
        label,
        group: sharedSoundGroup(file),
        format: cellOf(row, col.format),
        bytes,
        detail: cellOf(row, col.detail),
        source: {
          repo: cellOf(row, col.repo),
          path: cellOf(row, col.path),
          commit: cellOf(row, col.commit),
          repoLicense: cellOf(row, col.repoLicense),
          clipLicense: cellOf(row, col.clipLicense),
          note: cellOf(row, col.note),
        },
      },
    };
  }

  /**
   * Files in the class folders that no SOURCES.csv row names (rejected rows included, since those are
   * already reported): clips added without provenance.
   */
  async function unlisted(): Promise<DatasetProblem[]> {
    const listed = new Set(table.rows.map((r) => cellOf(r, col.file)));
    const folders = [...new Set(table.rows.map((r) => cellOf(r, col.className)))].filter(safeFolder).sort();
    const out: DatasetProblem[] = [];
    for (const label of folders) {
      let names: string[];
      try {
        names = await readdir(path.join(dir, label));
      } catch (cause) {
        // A class whose folder is gone has its rows reported as missing files already.
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw new DatasetError('FILE_UNREADABLE', `${path.join(dir, label)}: cannot list the class folder`, {
          cause,
        });
      }
      for (const name of names.sort()) {
        if (name.startsWith('.') || listed.has(`${label}/${name}`)) continue;
        const file = path.join(dir, label, name);
        out.push(problem('UNLISTED_FILE', `not listed in ${SHARED_SOUNDS_METADATA}`, { file }));
      }
    }
    return out;
  }
}
