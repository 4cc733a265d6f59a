import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.ts';
import { formatCsv, formatCsvField } from './csv-writer.ts';

describe('formatCsv', () => {
  it('quotes only fields that need it, doubling quotes', () => {
    expect(formatCsvField('plain text')).toBe('plain text');
    expect(formatCsvField('a, b')).toBe('"a, b"');
    expect(formatCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(formatCsvField('two\nlines')).toBe('"two\nlines"');
    expect(formatCsvField('a\tb', '\t')).toBe('"a\tb"');
  });

  it('writes what parseCsv reads back', () => {
    const records = [
      ['audio', 'label'],
      ['a.wav', 'male speech, man speaking'],
      ['b "x".wav', 'line\r\nbreak'],
      ['', 'empty first'],
    ];
    const text = formatCsv(records);
    expect(text.endsWith('\n')).toBe(true);
    expect(parseCsv(text).map((r) => r.fields)).toEqual(records);
  });
});
