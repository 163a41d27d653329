import type { ContactDto } from '@parley/console/api-client';
import { parseAttributes } from './contact-form';
import { contactsCsv, csvField } from './csv';

const contact = (fields: Partial<ContactDto>): ContactDto =>
  ({ phone: '+5511987650101', name: null, tags: [], optInStatus: 'unknown', attributes: {}, ...fields }) as ContactDto;

describe('contacts as CSV', () => {
  it('quotes what must be quoted and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Souza, Maria')).toBe('"Souza, Maria"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('+cmd|calc')).toBe("'+cmd|calc");
    // Phone numbers stay importable.
    expect(csvField('+5511987650101')).toBe('+5511987650101');
  });

  it('writes the columns the import reads back, one per attribute', () => {
    const csv = contactsCsv([
      contact({ name: 'Maria', tags: ['vip', 'sp'], optInStatus: 'opted_in', attributes: { city: 'São Paulo' } }),
      contact({ phone: '+14155550142', attributes: { tier: 'gold' } }),
    ]);
    expect(csv.split('\r\n')).toEqual([
      'phone,name,tags,opt_in,city,tier',
      '+5511987650101,Maria,vip;sp,opted_in,São Paulo,',
      '+14155550142,,,unknown,,gold',
      '',
    ]);
  });
});

describe('contact attributes as "key: value" lines', () => {
  it('reads each line, ignoring blank ones, and names the line that has no key', () => {
    expect(parseAttributes('city: São Paulo\n\ntier: gold: plus')).toEqual({
      attributes: { city: 'São Paulo', tier: 'gold: plus' },
    });
    expect(parseAttributes('city: Rio\njust text')).toEqual({ error: 'Line 2: write it as key: value' });
  });
});
