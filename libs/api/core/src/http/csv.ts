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
