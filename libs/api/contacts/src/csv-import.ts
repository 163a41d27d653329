import type { FieldError } from '@parley/api/core';
import {
  ATTRIBUTE_KEY,
  CONTACT_LIMITS,
  normalizeTags,
  OPT_IN_HINT,
  parseOptIn,
  splitTagList,
  tagsProblem,
} from './contact-fields';
import { badFile } from './contacts.errors';
import type { OptInStatus } from './entities/contact.entity';
import { toE164 } from './phone';

/** Where each field is in the file's rows, found from its header row. */
export interface CsvLayout {
  phone: Column;
  name: Column | null;
  tags: Column | null;
  optIn: Column | null;
  /** Every other named column, stored as an attribute under `key`. */
  attributes: (Column & { key: string })[];
}

interface Column {
  index: number;
  /** The header as written in the file: error reports name the column by it. */
  header: string;
}

/** Applied to every row of one import: the form fields sent with the file. */
export interface ImportDefaults {
  defaultCountry?: string;
  /** Added to each row's own tags. */
  tags: string[];
  /** For rows without an opt-in value of their own. */
  optInStatus?: OptInStatus;
}

/** One valid row, ready to upsert. */
export interface ImportRow {
  phone: string;
  name: string | null;
  tags: string[];
  /** Only the row's non-empty cells: an empty cell leaves an existing value alone. */
  attributes: Record<string, string>;
  /** Null leaves an existing contact's opt-in state alone (new contacts get `unknown`). */
  optInStatus: OptInStatus | null;
}

export type MappedRow = { row: ImportRow; errors?: undefined } | { row?: undefined; errors: FieldError[] };

/** Header matching ignores case, spaces, `-` and `_`: `Phone`, `opt-in`, `optInStatus`, `OPT_IN_STATUS`. */
const squash = (header: string) => header.toLowerCase().replace(/[\s_-]+/g, '');
const KNOWN: Record<string, 'phone' | 'name' | 'tags' | 'optIn'> = {
  phone: 'phone',
  name: 'name',
  tags: 'tags',
  optin: 'optIn',
  optinstatus: 'optIn',
};

/** The attribute key for a header: itself when it is a valid key, else snake_cased (`Loyalty tier` → `loyalty_tier`). */
function attributeKey(header: string): string | null {
  if (ATTRIBUTE_KEY.test(header)) return header;
  const key = header
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return ATTRIBUTE_KEY.test(key) ? key : null;
}

/** The layout of a file from its header row; a 400 on `file` when the header can't be used. */
export function csvLayout(headerCells: string[]): CsvLayout {
  const layout: Partial<Pick<CsvLayout, 'phone' | 'name' | 'tags' | 'optIn'>> = {};
  const attributes: CsvLayout['attributes'] = [];
  const seenKeys = new Set<string>();
  headerCells.forEach((cell, index) => {
    const header = cell.trim();
    if (!header) return; // an unnamed column (a trailing comma) holds nothing we can name
    const known = Object.hasOwn(KNOWN, squash(header)) ? KNOWN[squash(header)] : undefined;
    const key = known ?? attributeKey(header);
    if (!key)
      throw badFile(
        `column ${index + 1} ("${header.slice(0, 64)}") can't be an attribute name: start with a letter, then letters, digits or _`,
      );
    if (seenKeys.has(key)) throw badFile(`column "${header.slice(0, 64)}" appears twice`);
    seenKeys.add(key);
    if (known) layout[known] = { index, header };
    else attributes.push({ index, header, key });
  });
  if (!layout.phone) throw badFile('file must be a CSV file whose first row names its columns, one of them phone');
  if (attributes.length > CONTACT_LIMITS.attributes)
    throw badFile(`file has ${attributes.length} attribute columns; at most ${CONTACT_LIMITS.attributes} are allowed`);
  return {
    phone: layout.phone,
    name: layout.name ?? null,
    tags: layout.tags ?? null,
    optIn: layout.optIn ?? null,
    attributes,
  };
}

/** True for a row with nothing in it (spreadsheets leave these at the end). */
export function isBlankRecord(cells: string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

/** One data row as a contact to upsert, or every problem it has (a row with any problem is skipped whole). */
export function mapCsvRow(cells: string[], layout: CsvLayout, defaults: ImportDefaults): MappedRow {
  const errors: FieldError[] = [];
  const cell = (column: Column | null) => (column ? (cells[column.index] ?? '').trim() : '');
  // PostgreSQL can't store NUL in text; a file with them is usually not text at all.
  const columns = [layout.phone, layout.name, layout.tags, layout.optIn, ...layout.attributes];
  for (const column of columns) {
    if (column && cell(column).includes('\u0000'))
      errors.push({ field: column.header, message: `${column.header} must not contain NUL characters` });
  }
  if (errors.length > 0) return { errors };

  const phoneText = cell(layout.phone);
  const phone = phoneText ? toE164(phoneText, defaults.defaultCountry) : null;
  if (!phoneText) errors.push({ field: layout.phone.header, message: 'phone is required' });
  else if (!phone)
    errors.push({
      field: layout.phone.header,
      message: 'phone is not a valid phone number (use +country code, or send defaultCountry)',
    });

  const name = cell(layout.name) || null;
  if (name && name.length > CONTACT_LIMITS.nameLength && layout.name)
    errors.push({ field: layout.name.header, message: `name must be at most ${CONTACT_LIMITS.nameLength} characters` });

  const tags = normalizeTags([...splitTagList(cell(layout.tags)), ...defaults.tags]);
  const tagsField = layout.tags?.header ?? 'tags';
  const tagError = tagsProblem(tags, tagsField);
  if (tagError) errors.push({ field: tagsField, message: tagError });

  let optInStatus: OptInStatus | null = defaults.optInStatus ?? null;
  const optInText = cell(layout.optIn);
  if (optInText && layout.optIn) {
    optInStatus = parseOptIn(optInText);
    if (!optInStatus)
      errors.push({
        field: layout.optIn.header,
        message: `${layout.optIn.header} is not an opt-in value: ${OPT_IN_HINT}`,
      });
  }

  const attributes: Record<string, string> = {};
  for (const column of layout.attributes) {
    const value = cell(column);
    if (!value) continue;
    if (value.length > CONTACT_LIMITS.attributeValueLength)
      errors.push({
        field: column.header,
        message: `${column.header} must be at most ${CONTACT_LIMITS.attributeValueLength} characters`,
      });
    else attributes[column.key] = value;
  }

  if (errors.length > 0 || !phone) return { errors };
  return { row: { phone, name, tags, attributes, optInStatus } };
}

/** Two rows for the same phone in one file, as if applied one after the other. */
export function mergeImportRows(earlier: ImportRow, later: ImportRow): ImportRow {
  return {
    phone: earlier.phone,
    name: later.name ?? earlier.name,
    tags: normalizeTags([...earlier.tags, ...later.tags]),
    attributes: { ...earlier.attributes, ...later.attributes },
    optInStatus: later.optInStatus ?? earlier.optInStatus,
  };
}

/**
 * Why a row can't be merged into the contact already stored (too many tags or attributes
 * together), or null. Names the field as the API does.
 */
export function mergeProblem(
  existing: { tags: string[]; attributes: Record<string, unknown> },
  row: ImportRow,
): FieldError | null {
  const tags = normalizeTags([...existing.tags, ...row.tags]);
  if (tags.length > CONTACT_LIMITS.tags)
    return { field: 'tags', message: `the contact would have more than ${CONTACT_LIMITS.tags} tags` };
  const keys = new Set([...Object.keys(existing.attributes), ...Object.keys(row.attributes)]);
  if (keys.size > CONTACT_LIMITS.attributes)
    return { field: 'attributes', message: `the contact would have more than ${CONTACT_LIMITS.attributes} attributes` };
  return null;
}
