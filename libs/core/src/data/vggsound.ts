/**
 * VGGSound: the official metadata CSV is headerless, one clip per row as
 * `youtube_id,start_seconds,label,split` (labels holding commas are quoted; split is train or test),
 * and the clips are whatever a download script saved. The common scripts name each 10 s clip
 * `{youtube_id}_{start_seconds padded to 6 digits}.mp4` in one folder; an extracted .wav or .flac
 * with the same stem is used instead when present. Clips cut from one video share a group, so a
 * split never puts the same video on both sides.
 */
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeCsvBytes, parseCsv, type CsvRecord } from './csv.ts';
import { DEFAULT_CSV_COLUMNS } from './csv-dataset.ts';
import { formatCsv } from './csv-writer.ts';
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

export const VGGSOUND_SPLITS = ['train', 'test'] as const;
export type VggSoundSplit = (typeof VGGSOUND_SPLITS)[number];

/** The download scripts' container; the name used when files are not checked. */
export const VGGSOUND_CLIP_EXTENSION = '.mp4';
/** Looked for in this order: audio-only files first, since they decode without ffmpeg and faster. */
export const VGGSOUND_AUDIO_EXTENSIONS: readonly string[] = ['.wav', '.flac', '.mp4'];

export interface VggSoundItem extends DatasetItem {
  label: string;
  /** `vggsound:{youtubeId}`: every clip of one video. */
  group: string;
  youtubeId: string;
  startSeconds: number;
  split: VggSoundSplit;
  /** Line of the metadata file the row starts on. */
  line: number;
}

export interface VggSoundOptions extends LoadOptions {
  /** Keep only this split's rows; the other split's clips are not looked for. */
  split?: VggSoundSplit;
  /** Extensions to look for, in order of preference (lower-case, with the dot). Default VGGSOUND_AUDIO_EXTENSIONS. */
  extensions?: readonly string[];
}

/** YouTube ids are 11 characters of [A-Za-z0-9_-]; the length is not enforced, the alphabet is (it keeps paths inside the folder). */
const YOUTUBE_ID = /^[A-Za-z0-9_-]+$/;

/** `{youtube_id}_{start padded to 6 digits}`, the stem the download scripts give each clip. */
export function vggSoundClipStem(youtubeId: string, startSeconds: number): string {
  return `${youtubeId}_${String(startSeconds).padStart(6, '0')}`;
}

export async function loadVggSound(
  csvPath: string,
  audioDir: string,
  options: VggSoundOptions = {},
): Promise<LoadedDataset<VggSoundItem>> {
  const file = path.resolve(csvPath);
  const dir = path.resolve(audioDir);
  const extensions = checkExtensions(options.extensions ?? VGGSOUND_AUDIO_EXTENSIONS);
  if (options.split !== undefined && !VGGSOUND_SPLITS.includes(options.split))
    throw new DatasetError(
      'INVALID_OPTION',
      `split must be train or test, got ${JSON.stringify(options.split)}`,
    );
  const records = parseCsv(decodeCsvBytes(await readBytes(file, 'metadata file'), file), { file });
  const log = new ProblemLog(options.failFast ?? false);
  const checkFiles = options.checkFiles ?? true;
  const seen = new Map<string, number>();

  const rows = records.filter((r, i) => !(i === 0 && looksLikeHeader(r)));
  const parsed = rows.map((record, k) => parseRow(record, k + 1));
  const wanted = parsed.filter(
    (p) => 'problem' in p || options.split === undefined || p.item.split === options.split,
  );
  const onDisk = checkFiles ? await listAudio(dir) : undefined;
  const checked = await mapLimit(wanted, STAT_CONCURRENCY, async (p) => {
    if ('problem' in p || onDisk === undefined) return p;
    return locate(p.item, p.row, onDisk);
  });
  const items: VggSoundItem[] = [];
  for (const c of checked) {
    if ('problem' in c) log.add(c.problem);
    else items.push(c.item);
  }
  return requireItems({ items, problems: log.problems, classes: sortedLabels(items), metadataFile: file });

  function parseRow(
    record: CsvRecord,
    row: number,
  ): { item: VggSoundItem; row: number } | { problem: DatasetProblem } {
    const at = { file, line: record.line, row };
    if (record.fields.length !== 4)
      return {
        problem: problem(
          'BAD_CSV',
          `row has ${record.fields.length} field(s), VGGSound rows have 4 (youtube_id,start_seconds,label,split; quote labels holding commas)`,
          at,
        ),
      };
    const [id, startText, label, splitText] = record.fields.map((f) => f.trim()) as [
      string,
      string,
      string,
      string,
    ];
    if (id === '') return { problem: problem('EMPTY_VALUE', 'empty youtube_id', at) };
    if (!YOUTUBE_ID.test(id))
      return {
        problem: problem(
          'BAD_VALUE',
          `youtube_id ${JSON.stringify(id)} has characters outside [A-Za-z0-9_-]`,
          at,
        ),
      };
    const start = parseIntCell(startText, 0);
    if (start === undefined)
      return {
        problem: problem(
          'BAD_VALUE',
          `start_seconds ${JSON.stringify(startText)} is not a non-negative integer`,
          at,
        ),
      };
    if (label === '') return { problem: problem('EMPTY_VALUE', 'empty label', at) };
    const split = splitText.toLowerCase();
    if (split !== 'train' && split !== 'test')
      return { problem: problem('BAD_VALUE', `split ${JSON.stringify(splitText)} is not train or test`, at) };
    const stem = vggSoundClipStem(id, start);
    const earlier = seen.get(stem);
    if (earlier !== undefined)
      return { problem: problem('DUPLICATE', `clip ${stem} is already listed on line ${earlier}`, at) };
    seen.set(stem, record.line);
    return {
      row,
      item: {
        audioPath: path.join(dir, stem + VGGSOUND_CLIP_EXTENSION),
        label,
        group: `vggsound:${id}`,
        youtubeId: id,
        startSeconds: start,
        split,
        line: record.line,
      },
    };
  }

  async function locate(
    item: VggSoundItem,
    row: number,
    onDisk: Map<string, Map<string, { name: string; link: boolean }>>,
  ): Promise<{ item: VggSoundItem } | { problem: DatasetProblem }> {
    const at = { file, line: item.line, row };
    const stem = vggSoundClipStem(item.youtubeId, item.startSeconds);
    const found = onDisk.get(stem);
    const ext = extensions.find((e) => found?.has(e));
    const entry = ext === undefined ? undefined : found?.get(ext);
    if (entry === undefined)
      return {
        problem: problem(
          'MISSING_FILE',
          `no audio for clip ${stem} in ${dir} (looked for ${extensions.map((e) => stem + e).join(', ')})`,
          at,
        ),
      };
    const audioPath = path.join(dir, entry.name);
    // A symbolic link can dangle or point at a folder; a plain entry is known to be a file already.
    if (entry.link) {
      const bad = fileProblem(await checkFile(audioPath), audioPath, 'audio file', at);
      if (bad !== undefined) return { problem: bad };
    }
    return { item: { ...item, audioPath } };
  }

  function checkExtensions(list: readonly string[]): string[] {
    if (list.length === 0 || list.some((e) => !/^\.[a-z0-9]+$/.test(e)))
      throw new DatasetError(
        'INVALID_OPTION',
        `extensions must be lower-case with a leading dot, such as .wav, got ${JSON.stringify(list)}`,
      );
    return [...list];
  }
}

export interface VggSoundToCsvOptions extends VggSoundOptions {
  /** Write absolute audio paths instead of paths relative to the output CSV's folder (the default). */
  absolutePaths?: boolean;
  /** Add a caption column with this text per clip (a prompt built from the label, say). */
  caption?: (item: VggSoundItem) => string;
}

export interface VggSoundCsvResult {
  outFile: string;
  /** Data rows written. */
  rows: number;
  classes: string[];
  /** Rows set aside while loading (missing clips, bad rows), as loadVggSound reports them. */
  problems: DatasetProblem[];
}

/**
 * Convert VGGSound metadata plus a clip folder into this project's CSV dataset format (columns
 * audio[,caption],label,split; loadCsvDataset reads it back and ignores the split column).
 */
export async function vggSoundToCsv(
  csvPath: string,
  audioDir: string,
  outFile: string,
  options: VggSoundToCsvOptions = {},
): Promise<VggSoundCsvResult> {
  const out = path.resolve(outFile);
  const dataset = await loadVggSound(csvPath, audioDir, options);
  const base = path.dirname(out);
  const where = (audioPath: string): string =>
    options.absolutePaths === true ? audioPath : path.relative(base, audioPath).split(path.sep).join('/');
  const { caption } = options;
  const header = [
    DEFAULT_CSV_COLUMNS.audio,
    ...(caption === undefined ? [] : [DEFAULT_CSV_COLUMNS.caption]),
    DEFAULT_CSV_COLUMNS.label,
    'split',
  ];
  const records = dataset.items.map((item) => [
    where(item.audioPath),
    ...(caption === undefined ? [] : [caption(item)]),
    item.label,
    item.split,
  ]);
  try {
    await mkdir(base, { recursive: true });
    await writeFile(out, formatCsv([header, ...records]));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new DatasetError('FILE_UNREADABLE', `${out}: cannot be written (${code ?? String(cause)})`, {
      file: out,
      cause,
    });
  }
  return { outFile: out, rows: records.length, classes: dataset.classes, problems: dataset.problems };
}

/** Re-uploads of the metadata sometimes add a header row; the official file has none. */
function looksLikeHeader(record: CsvRecord): boolean {
  const [, start = '', , split = ''] = record.fields.map((f) => f.trim().toLowerCase());
  return (
    record.fields.length === 4 && !/^\d+$/.test(start) && (start.includes('start') || split.includes('split'))
  );
}

async function readBytes(file: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (cause) {
    throw fsError(cause, file, what);
  }
}

/** Clip files by stem, then by lower-case extension, read once so 200k rows need no 200k stats. */
async function listAudio(dir: string): Promise<Map<string, Map<string, { name: string; link: boolean }>>> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (cause) {
    throw fsError(cause, dir, 'audio folder');
  }
  const byStem = new Map<string, Map<string, { name: string; link: boolean }>>();
  for (const e of entries) {
    if (!e.isFile() && !e.isSymbolicLink()) continue;
    const ext = path.extname(e.name);
    const stem = e.name.slice(0, e.name.length - ext.length);
    let forStem = byStem.get(stem);
    if (forStem === undefined) byStem.set(stem, (forStem = new Map()));
    const key = ext.toLowerCase();
    if (!forStem.has(key)) forStem.set(key, { name: e.name, link: e.isSymbolicLink() });
  }
  return byStem;
}

function fsError(cause: unknown, file: string, what: string): DatasetError {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new DatasetError('MISSING_FILE', `${file}: no such ${what}`, { file, cause });
  return new DatasetError('FILE_UNREADABLE', `${file}: ${what} cannot be read (${code ?? String(cause)})`, {
    file,
    cause,
  });
}
