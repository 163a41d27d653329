import type { ContactDto } from '@parley/console/api-client';

/** Numbers and phone numbers such as +5511987650101: safe in a spreadsheet as they are. */
const NUMERIC = /^[+-]?\d[\d ().-]*$/;

/** A CSV field, quoted when it must be; formula-looking values are defused for spreadsheets. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !NUMERIC.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Contacts in the columns the import takes back: phone, name, tags, opt-in, then one per attribute. */
export function contactsCsv(contacts: ContactDto[]): string {
  const attributeKeys = [...new Set(contacts.flatMap((contact) => Object.keys(contact.attributes ?? {})))].sort();
  const header = ['phone', 'name', 'tags', 'opt_in', ...attributeKeys];
  const rows = contacts.map((contact) => [
    contact.phone,
    contact.name ?? '',
    contact.tags.join(';'),
    contact.optInStatus,
    ...attributeKeys.map((key) => {
      const value = contact.attributes?.[key];
      return value === null || value === undefined ? '' : String(value);
    }),
  ]);
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function download(content: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
