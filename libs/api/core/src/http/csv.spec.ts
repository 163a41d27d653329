import { csvCell, csvLine } from './csv';

describe('csvCell', () => {
  it('quotes separators, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('defuses what a spreadsheet would run as a formula, but keeps E.164 phone numbers', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('+351912345678')).toBe('+351912345678');
  });

  it('writes null as an empty cell, numbers as they are and dates in ISO 8601', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(new Date('2026-05-01T10:00:00Z'))).toBe('2026-05-01T10:00:00.000Z');
  });

  it('lines up the columns asked for, in order', () => {
    expect(csvLine({ name: '=1+1', count: 3, rate: null }, ['count', 'name', 'rate'])).toBe("3,'=1+1,");
  });
});
