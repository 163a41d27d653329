/** What a CSV cell can hold; null is an empty cell and dates are written in ISO 8601. */
export type CsvValue = string | number | Date | null;

/** A CSV cell (RFC 4180), defused against spreadsheet formulas. */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^\+\d+$/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, without its line break: `row`'s `columns` in order. */
export function csvLine<K extends string>(row: Record<K, CsvValue>, columns: readonly K[]): string {
  return columns.map((column) => csvCell(row[column])).join(',');
}

/** Where a CSV download is written: an HTTP response (express's `Response` fits). */
export interface CsvSink {
  setHeader(name: string, value: string): unknown;
  write(chunk: string): unknown;
  end(): unknown;
}

/** Sends `batches` of rows as a CSV download named `filename`, a batch per write, every cell defused. */
export async function writeCsv<K extends string>(
  res: CsvSink,
  filename: string,
  columns: readonly K[],
  batches: Iterable<Record<K, CsvValue>[]> | AsyncIterable<Record<K, CsvValue>[]>,
): Promise<void> {
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="${filename}"`);
  res.write(`${columns.join(',')}\n`);
  for await (const rows of batches)
    if (rows.length > 0) res.write(rows.map((row) => csvLine(row, columns)).join('\n') + '\n');
  res.end();
}
