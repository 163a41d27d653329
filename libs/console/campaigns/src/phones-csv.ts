/** What a pasted or uploaded list of phone numbers holds. */
export interface PhoneList {
  /** Distinct numbers in international format (`+` and digits), in the order given. */
  phones: string[];
  /** Numbers given more than once (after the first). */
  duplicates: number;
  /** 1-based line numbers of cells that are no phone number (the first few). */
  invalidRows: number[];
  invalid: number;
}

const MAX_INVALID_ROWS = 5;
const PHONE_HEADERS = ['phone', 'phone_number', 'phone number', 'mobile', 'msisdn', 'wa_id'];

/** Splits CSV text into rows of cells (RFC 4180 quotes; `,`, `;` or tab, whichever the first line uses). */
export function csvRows(text: string): string[][] {
  const source = text.replace(/^\uFEFF/, '');
  const firstLine = source.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].reduce((best, candidate) =>
    firstLine.split(candidate).length > firstLine.split(best).length ? candidate : best,
  );
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === delimiter) {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** `+55 (11) 98765-0101`, `0055…` or `5511…` as `+5511987650101`; null when it is no phone number. */
export function normalizedPhone(cell: string): string | null {
  const compact = cell.trim().replace(/[\s().\-/]/g, '');
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  const digits = international.replace(/^\+/, '');
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : null;
}

/**
 * The phone numbers of a CSV: the column named phone (or phone_number, mobile…) when the first row
 * is a header, else the first column. Blank lines are ignored; other cells that are no number are
 * counted, with their line numbers.
 */
export function parsePhones(text: string): PhoneList {
  const rows = csvRows(text);
  const header = (rows[0] ?? []).map((cell) => cell.trim().toLowerCase());
  const named = header.findIndex((cell) => PHONE_HEADERS.includes(cell));
  // A first row with a phone column's name, or with no number in its first cell, is a header.
  const hasHeader = named >= 0 || (rows.length > 0 && normalizedPhone(rows[0]?.[0] ?? '') === null);
  const column = Math.max(named, 0);
  const seen = new Set<string>();
  const list: PhoneList = { phones: [], duplicates: 0, invalidRows: [], invalid: 0 };
  rows.forEach((row, index) => {
    if (hasHeader && index === 0) return;
    const cell = row[column] ?? '';
    if (!cell.trim()) return;
    const phone = normalizedPhone(cell);
    if (!phone) {
      list.invalid++;
      if (list.invalidRows.length < MAX_INVALID_ROWS) list.invalidRows.push(index + 1);
    } else if (seen.has(phone)) list.duplicates++;
    else {
      seen.add(phone);
      list.phones.push(phone);
    }
  });
  return list;
}
