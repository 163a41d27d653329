import { archiveFilename, slugOf } from './archive-name';

describe('archive file name', () => {
  const at = new Date('2026-03-09T23:30:00Z');

  it('names the org by a slug of its name and the UTC day the archive was made', () => {
    expect(archiveFilename({ id: 'b1e5', name: 'Acme Retail' }, at)).toBe('parley-export-acme-retail-2026-03-09.zip');
  });

  it('keeps only what is safe in a quoted Content-Disposition filename', () => {
    expect(slugOf('  Café "Zürich" / Ñandú & Co.  ')).toBe('cafe-zurich-nandu-co');
    expect(slugOf('a'.repeat(60))).toHaveLength(40);
    expect(slugOf('x'.repeat(39) + ' y')).toBe('x'.repeat(39));
  });

  it("falls back to the org's id when the name leaves nothing", () => {
    expect(archiveFilename({ id: '6f1c2a8e', name: '東京商店' }, at)).toBe('parley-export-6f1c2a8e-2026-03-09.zip');
  });
});
