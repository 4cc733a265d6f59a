/** RFC 4180 CSV writing, the inverse of parseCsv: a field is quoted only when it has to be. */

/** A field as CSV text: quoted, with quotes doubled, when it holds the delimiter, a quote or a newline. */
export function formatCsvField(value: string, delimiter = ','): string {
  if (!value.includes(delimiter) && !/["\r\n]/.test(value)) return value;
  return `"${value.replaceAll('"', '""')}"`;
}

/** Records joined by LF, with a final LF so tools that append lines do not merge with the last record. */
export function formatCsv(records: readonly (readonly string[])[], delimiter = ','): string {
  return records.map((r) => r.map((f) => formatCsvField(f, delimiter)).join(delimiter) + '\n').join('');
}
