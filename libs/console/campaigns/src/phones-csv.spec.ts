import { csvRows, normalizedPhone, parsePhones } from './phones-csv';

describe('phone numbers from a CSV', () => {
  it('takes the column named phone, whatever its place, and skips the header', () => {
    const csv = 'name,Phone,city\r\n"Souza, Maria",+55 11 98765-0101,São Paulo\r\nJoão,+351 912 345 678,Lisboa\r\n';
    expect(parsePhones(csv)).toEqual({
      phones: ['+5511987650101', '+351912345678'],
      duplicates: 0,
      invalid: 0,
      invalidRows: [],
    });
  });

  it('takes the first column without a header, counting repeats and cells that are no number', () => {
    const list = parsePhones('+5511987650101\n\n0044 7700 900123\n+5511987650101\nnot a number\n(415) 555-0142\n12\n');
    expect(list.phones).toEqual(['+5511987650101', '+447700900123', '+4155550142']);
    expect(list.duplicates).toBe(1);
    expect(list.invalid).toBe(2);
    expect(list.invalidRows).toEqual([5, 7]);
  });

  it('reads a header that names no phone column as a header, and semicolon-separated files', () => {
    expect(parsePhones('number;name\n+14155550142;Ann\n+14155550143;Bob').phones).toEqual([
      '+14155550142',
      '+14155550143',
    ]);
    expect(parsePhones('\uFEFFmsisdn\n14155550142').phones).toEqual(['+14155550142']);
  });

  it('splits quoted cells as RFC 4180 says', () => {
    expect(csvRows('a,"b, ""c""",d\n"multi\nline",x')).toEqual([
      ['a', 'b, "c"', 'd'],
      ['multi\nline', 'x'],
    ]);
  });

  it('normalizes the ways people write numbers', () => {
    expect(normalizedPhone('+55 (11) 98765-0101')).toBe('+5511987650101');
    expect(normalizedPhone('00351912345678')).toBe('+351912345678');
    expect(normalizedPhone('5511.98765.0101')).toBe('+5511987650101');
    expect(normalizedPhone('0123')).toBeNull();
    expect(normalizedPhone('call me')).toBeNull();
  });
});
