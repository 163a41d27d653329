import type { TemplateParameterKey } from '@parley/whatsapp/cloud-api/shared';

/** Contact fields a parameter can take its value from, as the API names them. */
export const CONTACT_FIELDS = [
  { field: 'first_name', label: 'First name' },
  { field: 'name', label: 'Full name' },
  { field: 'phone', label: 'Phone number' },
] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number]['field'];

/** Where one template parameter's value comes from, per recipient (the API's `parameters` values). */
export type ParameterSource =
  | { source: 'contact'; field: ContactField; fallback?: string }
  | { source: 'attribute'; key: string; fallback?: string }
  | { source: 'text'; value: string };

/** One row of the mapping form: a template parameter and the inputs of each kind of source. */
export interface MappingRow {
  key: string;
  label: string;
  /** The template's sample for it, shown as a hint. */
  example?: string;
  source: ParameterSource['source'];
  field: ContactField;
  attribute: string;
  value: string;
  fallback: string;
}

/** What the preview shows for a contact field: a sample recipient. */
const SAMPLE_CONTACT: Record<ContactField, string> = {
  first_name: 'Maria',
  name: 'Maria Souza',
  phone: '+5511987650101',
};

const isContactField = (value: unknown): value is ContactField =>
  CONTACT_FIELDS.some((option) => option.field === value);

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * One row per template parameter, filled from a saved mapping where it has the key. A new
 * `body.1` starts as the contact's first name (the usual "Hi {{1}}"); the rest as fixed text.
 */
export function mappingRows(keys: TemplateParameterKey[], saved: Record<string, unknown> = {}): MappingRow[] {
  return keys.map(({ key, label, example }, index) => {
    const row: MappingRow = {
      key,
      label,
      ...(example !== undefined && { example }),
      source: index === 0 && key.startsWith('body.') ? 'contact' : 'text',
      field: 'first_name',
      attribute: '',
      value: '',
      fallback: '',
    };
    const source = saved[key] as Record<string, unknown> | undefined;
    if (!source || typeof source !== 'object') return row;
    if (source['source'] === 'contact')
      return {
        ...row,
        source: 'contact',
        field: isContactField(source['field']) ? source['field'] : 'first_name',
        fallback: text(source['fallback']),
      };
    if (source['source'] === 'attribute')
      return { ...row, source: 'attribute', attribute: text(source['key']), fallback: text(source['fallback']) };
    return { ...row, source: 'text', value: text(source['value']) };
  });
}

/** The row as the API's source: trimmed, with no empty fallback. */
export function sourceOf(row: MappingRow): ParameterSource {
  const fallback = row.fallback.trim();
  switch (row.source) {
    case 'contact':
      return { source: 'contact', field: row.field, ...(fallback && { fallback }) };
    case 'attribute':
      return { source: 'attribute', key: row.attribute.trim(), ...(fallback && { fallback }) };
    case 'text':
      return { source: 'text', value: row.value.trim() };
  }
}

/** The campaign's `parameters`: template parameter key → source. */
export function parametersOf(rows: MappingRow[]): Record<string, ParameterSource> {
  return Object.fromEntries(rows.map((row) => [row.key, sourceOf(row)]));
}

/** What must be filled in before the API would take the row; null when it would. */
export function rowProblem(row: MappingRow): string | null {
  if (row.source === 'attribute' && !row.attribute.trim()) return 'Name the attribute';
  if (row.source === 'text' && !row.value.trim()) return 'Write the text';
  return null;
}

/**
 * The values the preview shows, keyed like `templateParameterKeys`: a sample contact for contact
 * fields, `[key]` for an attribute, the text itself for fixed text.
 * A blank value leaves the template's own sample in the preview.
 */
export function previewValues(rows: MappingRow[]): Record<string, string> {
  return Object.fromEntries(
    rows.map((row) => {
      if (row.source === 'contact') return [row.key, SAMPLE_CONTACT[row.field]];
      if (row.source === 'attribute')
        return [row.key, row.attribute.trim() ? `[${row.attribute.trim()}]` : row.fallback.trim()];
      return [row.key, row.value];
    }),
  );
}
