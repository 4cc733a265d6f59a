/** RFC 4180 CSV reading: quoted fields with "" escapes, delimiters and newlines inside quotes, CRLF/LF/CR, BOM. */
import { readFile } from 'node:fs/promises';
import { DatasetError, problem, type DatasetProblem } from './errors.ts';

export interface CsvRecord {
  fields: string[];
  /** 1-based line the record starts on. */
  line: number;
}

export interface CsvParseOptions {
  /** One character; ',' unless told (a tab reads TSV). */
  delimiter?: string;
  /** Named in error messages. */
  file?: string;
}

export interface CsvRow extends CsvRecord {
  /** 1-based data row, the header not counted. */
  row: number;
}

export interface CsvTable {
  file: string;
  /** Column names as written, trimmed. */
  header: string[];
  /** Line the header starts on. */
  headerLine: number;
  rows: CsvRow[];
}

function checkDelimiter(delimiter: string): void {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n')
    throw new DatasetError(
      'INVALID_OPTION',
      `CSV delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`,
    );
}

/**
 * Split CSV text into records. Blank lines are skipped rather than read as one-empty-field records,
 * since editors leave them at the end of files and nothing meaningful is lost. Syntax errors throw
 * BAD_CSV naming the line, because after a broken quote nothing later in the file can be trusted.
 */
export function parseCsv(text: string, options: CsvParseOptions = {}): CsvRecord[] {
  const delim = options.delimiter ?? ',';
  checkDelimiter(delim);
  const at = (line: number): { file?: string; line: number } =>
    options.file === undefined ? { line } : { file: options.file, line };
  const fail = (line: number, message: string): never => {
    throw DatasetError.fromProblem(problem('BAD_CSV', message, at(line)));
  };

  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const records: CsvRecord[] = [];
  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    let quoted = false;
    for (;;) {
      if (text[i] === '"') {
        quoted = true;
        const openLine = line;
        i++;
        let value = '';
        let from = i;
        for (;;) {
          if (i >= n)
            fail(openLine, 'quoted field is never closed (a quote opened here has no closing quote)');
          const c = text[i];
          if (c === '"') {
            value += text.slice(from, i);
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              from = i;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          i++;
        }
        fields.push(value);
        const after = text[i];
        if (i < n && after !== delim && after !== '\r' && after !== '\n')
          fail(
            line,
            `unexpected ${JSON.stringify(after)} after a closing quote (a quote inside a quoted field is written "")`,
          );
      } else {
        const start = i;
        while (i < n) {
          const c = text[i];
          if (c === delim || c === '\r' || c === '\n') break;
          if (c === '"')
            fail(
              line,
              'quote inside an unquoted field (quote the whole field and double the quote: "a ""b"" c")',
            );
          i++;
        }
        fields.push(text.slice(start, i));
      }
      if (i < n && text[i] === delim) {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') {
      i += text[i + 1] === '\n' ? 2 : 1;
      line++;
    } else if (text[i] === '\n') {
      i++;
      line++;
    }
    if (!quoted && fields.length === 1 && fields[0] === '') continue;
    records.push({ fields, line: recordLine });
  }
  return records;
}

/** Parse text whose first record is a header of unique, non-empty column names. */
export function parseCsvTable(text: string, file: string, options: { delimiter?: string } = {}): CsvTable {
  const records = parseCsv(text, { ...options, file });
  const head = records[0];
  if (head === undefined)
    throw new DatasetError('EMPTY', `${file}: the CSV is empty (no header row)`, { file });
  const header = head.fields.map((f) => f.trim());
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (name === '') fail(`column ${index + 1} of the header has no name`);
    if (seen.has(name)) fail(`column ${JSON.stringify(name)} appears twice in the header`);
    seen.add(name);
  });
  return {
    file,
    header,
    headerLine: head.line,
    rows: records.slice(1).map((r, k) => ({ ...r, row: k + 1 })),
  };

  function fail(message: string): never {
    throw DatasetError.fromProblem(problem('BAD_CSV', message, { file, line: head?.line ?? 1 }));
  }
}

/** Decode CSV bytes: UTF-8 (BOM or not), or UTF-16 when a BOM says so, as spreadsheet programs write. */
export function decodeCsvBytes(bytes: Uint8Array, file: string): string {
  let encoding = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  try {
    // The decoder drops the BOM itself; parseCsv also tolerates one left in.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new DatasetError('BAD_CSV', `${file}: not valid ${encoding.toUpperCase()} text`, { file, cause });
  }
}

/** Read and parse a CSV file with a header; a missing or unreadable file is a typed error, not an fs error. */
export async function readCsvTable(file: string, options: { delimiter?: string } = {}): Promise<CsvTable> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new DatasetError('MISSING_FILE', `${file}: no such file`, { file, cause });
    throw new DatasetError('FILE_UNREADABLE', `${file}: cannot be read (${code ?? String(cause)})`, {
      file,
      cause,
    });
  }
  return parseCsvTable(decodeCsvBytes(bytes, file), file, options);
}

/**
 * Indices of the named columns; a missing one throws MISSING_COLUMN listing what the header has,
 * since a wrong column name is the commonest mistake and the fix is to see the real names.
 */
export function requireColumns<K extends string>(
  table: CsvTable,
  names: Record<K, string>,
): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of Object.keys(names) as K[]) {
    const index = table.header.indexOf(names[key]);
    if (index < 0)
      throw new DatasetError(
        'MISSING_COLUMN',
        `${table.file}:${table.headerLine}: no column ${JSON.stringify(names[key])} in the header (columns: ${table.header.join(', ')})`,
        { file: table.file, line: table.headerLine },
      );
    out[key] = index;
  }
  return out;
}

/** A row whose field count differs from the header's, as a problem; undefined when it fits. */
export function widthProblem(table: CsvTable, row: CsvRow): DatasetProblem | undefined {
  if (row.fields.length === table.header.length) return undefined;
  return problem('BAD_CSV', `row has ${row.fields.length} field(s), the header has ${table.header.length}`, {
    file: table.file,
    line: row.line,
    row: row.row,
  });
}
