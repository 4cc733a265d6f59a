import { describe, expect, it } from 'vitest';
import { decodeCsvBytes, parseCsv, parseCsvTable } from './csv.ts';
import { DatasetError } from './errors.ts';

const fields = (text: string, delimiter?: string): string[][] =>
  parseCsv(text, delimiter === undefined ? {} : { delimiter }).map((r) => r.fields);

function caught(fn: () => unknown): DatasetError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DatasetError) return e;
    throw e;
  }
  throw new Error('expected a DatasetError');
}

describe('parseCsv (RFC 4180)', () => {
  it('splits plain records with and without a final newline', () => {
    expect(fields('a,b\n1,2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads quoted fields holding delimiters, escaped quotes and newlines', () => {
    const text = 'audio,caption\n"x.wav","a dog, barking"\ny.wav,"he said ""hi"""\nz.wav,"two\nlines"\n';
    expect(fields(text)).toEqual([
      ['audio', 'caption'],
      ['x.wav', 'a dog, barking'],
      ['y.wav', 'he said "hi"'],
      ['z.wav', 'two\nlines'],
    ]);
  });

  it('handles CRLF, lone CR and a UTF-8 BOM', () => {
    expect(fields('\uFEFFa,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\r1,2\r')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    // A CRLF inside quotes is data and kept as written.
    expect(fields('a\r\n"x\r\ny"\r\n')).toEqual([['a'], ['x\r\ny']]);
  });

  it('keeps empty fields, a trailing delimiter and a quoted empty field, but skips blank lines', () => {
    expect(fields('a,,c\n1,2,\n\n""\n\n')).toEqual([['a', '', 'c'], ['1', '2', ''], ['']]);
  });

  it('records the line each record starts on, counting newlines inside quotes', () => {
    const records = parseCsv('h\n"one\ntwo\r\nthree"\n\nlast\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 6]);
  });

  it('reads other delimiters (TSV) and leaves commas alone there', () => {
    expect(fields('a\tb\n"x\ty"\t1,2\n', '\t')).toEqual([
      ['a', 'b'],
      ['x\ty', '1,2'],
    ]);
  });

  it('rejects an unterminated quote, naming the line it opened on', () => {
    const e = caught(() => parseCsv('a,b\n1,2\n3,"never\nclosed\n', { file: 'x.csv' }));
    expect(e.code).toBe('BAD_CSV');
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^x\.csv:3: .*never closed/);
  });

  it('rejects a stray quote inside an unquoted field and text after a closing quote', () => {
    const stray = caught(() => parseCsv('a,b\n12" record,2\n', { file: 'y.csv' }));
    expect([stray.code, stray.line]).toEqual(['BAD_CSV', 2]);
    const after = caught(() => parseCsv('a\n"x"y\n'));
    expect([after.code, after.line]).toEqual(['BAD_CSV', 2]);
  });

  it('refuses a delimiter that cannot work', () => {
    for (const d of ['', ';;', '"', '\n'])
      expect(caught(() => parseCsv('a', { delimiter: d })).code).toBe('INVALID_OPTION');
  });
});

describe('parseCsvTable', () => {
  it('trims header names and numbers data rows from 1', () => {
    const t = parseCsvTable('\n audio , label \nx.wav,dog\n', 'm.csv');
    expect(t.header).toEqual(['audio', 'label']);
    expect(t.headerLine).toBe(2);
    expect(t.rows.map((r) => [r.row, r.line])).toEqual([[1, 3]]);
  });

  it('rejects an empty file, duplicate and unnamed columns', () => {
    expect(caught(() => parseCsvTable('\n\n', 'e.csv')).code).toBe('EMPTY');
    const dup = caught(() => parseCsvTable('a,b,a\n', 'd.csv'));
    expect(dup.code).toBe('BAD_CSV');
    expect(dup.message).toContain('"a" appears twice');
    expect(caught(() => parseCsvTable('a,,c\n', 'u.csv')).message).toContain('column 2');
  });
});

describe('decodeCsvBytes', () => {
  it('decodes UTF-8 and UTF-16 with a BOM', () => {
    expect(decodeCsvBytes(new TextEncoder().encode('é,ü'), 'f.csv')).toBe('é,ü');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,é\n', 'utf16le')]);
    expect(fields(decodeCsvBytes(le, 'f.csv'))).toEqual([['a', 'é']]);
  });

  it('rejects bytes that are not UTF-8', () => {
    const e = caught(() => decodeCsvBytes(Uint8Array.from([0x61, 0xc3, 0x28]), 'bad.csv'));
    expect(e.code).toBe('BAD_CSV');
    expect(e.message).toContain('bad.csv');
  });
});
