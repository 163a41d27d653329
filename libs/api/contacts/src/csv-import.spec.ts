import { DomainError } from '@parley/api/core';
import { csvLayout, ImportDefaults, isBlankRecord, mapCsvRow, mergeImportRows, mergeProblem } from './csv-import';

const noDefaults: ImportDefaults = { tags: [] };

function fileError(header: string[]): string {
  try {
    csvLayout(header);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).details).toEqual([{ field: 'file', message: (error as DomainError).message }]);
    return (error as DomainError).message;
  }
  throw new Error('expected a file error');
}

describe('csvLayout', () => {
  it('finds the known columns whatever their case or spelling, and makes the rest attributes', () => {
    const layout = csvLayout(['Phone', 'NAME', 'Tags', 'opt-in', 'Loyalty Tier', 'city', '']);
    expect(layout).toEqual({
      phone: { index: 0, header: 'Phone' },
      name: { index: 1, header: 'NAME' },
      tags: { index: 2, header: 'Tags' },
      optIn: { index: 3, header: 'opt-in' },
      attributes: [
        { index: 4, header: 'Loyalty Tier', key: 'loyalty_tier' },
        { index: 5, header: 'city', key: 'city' },
      ],
    });
    expect(csvLayout(['optInStatus', 'phone']).optIn).toEqual({ index: 0, header: 'optInStatus' });
  });

  it('refuses a header without phone, with a repeated column, or a column that cannot be named', () => {
    expect(fileError(['name', 'email'])).toMatch(/one of them phone/);
    expect(fileError(['\u0089PNG\r', 'IHDR'])).toMatch(/must be a CSV file/);
    expect(fileError(['phone', 'Phone'])).toMatch(/appears twice/);
    expect(fileError(['phone', 'Loyalty tier', 'loyalty_tier'])).toMatch(/appears twice/);
    expect(fileError(['phone', '2nd line'])).toMatch(/column 2 \("2nd line"\)/);
  });
});

describe('mapCsvRow', () => {
  const layout = csvLayout(['phone', 'name', 'tags', 'opt_in', 'city']);

  it('maps a row: E.164 phone, tags split and normalized with the defaults, opt-in read, attributes from the rest', () => {
    const mapped = mapCsvRow(['+55 (11) 98765-4321', ' Maria ', 'VIP; gold', 'yes', 'Recife'], layout, {
      tags: ['imported'],
    });
    expect(mapped).toEqual({
      row: {
        phone: '+5511987654321',
        name: 'Maria',
        tags: ['vip', 'gold', 'imported'],
        attributes: { city: 'Recife' },
        optInStatus: 'opted_in',
      },
    });
  });

  it('leaves empty cells out and applies the default opt-in and country', () => {
    const mapped = mapCsvRow(['(11) 98765-4321', '', '', ''], layout, {
      tags: [],
      defaultCountry: 'BR',
      optInStatus: 'opted_out',
    });
    expect(mapped.row).toEqual({
      phone: '+5511987654321',
      name: null,
      tags: [],
      attributes: {},
      optInStatus: 'opted_out',
    });
  });

  it('names every field at fault, by the header the file gave it', () => {
    const upper = csvLayout(['Phone', 'Opt In', 'City']);
    expect(mapCsvRow(['12', 'maybe', 'x'.repeat(1001)], upper, noDefaults).errors).toEqual([
      { field: 'Phone', message: expect.stringMatching(/not a valid phone number/) },
      { field: 'Opt In', message: expect.stringMatching(/not an opt-in value/) },
      { field: 'City', message: 'City must be at most 1000 characters' },
    ]);
    expect(mapCsvRow(['', 'yes', ''], upper, noDefaults).errors).toEqual([
      { field: 'Phone', message: 'phone is required' },
    ]);
    expect(mapCsvRow(['+14155551002', 'yes', 'a\u0000b'], upper, noDefaults).errors).toEqual([
      { field: 'City', message: 'City must not contain NUL characters' },
    ]);
  });

  it('refuses tags over the limits, naming the tags column', () => {
    const tags = Array.from({ length: 51 }, (_, i) => `t${i}`).join(';');
    expect(mapCsvRow(['+14155551002', '', tags, ''], layout, noDefaults).errors).toEqual([
      { field: 'tags', message: 'tags can hold at most 50 tags' },
    ]);
  });

  it('tells blank rows apart', () => {
    expect(isBlankRecord(['', '  ', ''])).toBe(true);
    expect(isBlankRecord([''])).toBe(true);
    expect(isBlankRecord(['', 'x'])).toBe(false);
  });
});

describe('mergeImportRows and mergeProblem', () => {
  const base = {
    phone: '+14155551002',
    name: 'John',
    tags: ['a'],
    attributes: { city: 'SF' },
    optInStatus: null,
  } as const;

  it('applies a later row for the same phone over an earlier one', () => {
    expect(
      mergeImportRows(
        { ...base, tags: ['a'], attributes: { city: 'SF' } },
        { ...base, name: null, tags: ['b', 'a'], attributes: { tier: 'gold' }, optInStatus: 'opted_out' },
      ),
    ).toEqual({
      phone: '+14155551002',
      name: 'John',
      tags: ['a', 'b'],
      attributes: { city: 'SF', tier: 'gold' },
      optInStatus: 'opted_out',
    });
  });

  it('refuses a row that would push a stored contact over the limits', () => {
    const row = { ...base, tags: ['new'], attributes: { fresh: 'x' } };
    const many = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);
    expect(mergeProblem({ tags: many(49), attributes: {} }, row)).toBeNull();
    expect(mergeProblem({ tags: many(50), attributes: {} }, row)?.field).toBe('tags');
    expect(mergeProblem({ tags: [], attributes: Object.fromEntries(many(50).map((k) => [k, 1])) }, row)?.field).toBe(
      'attributes',
    );
  });
});
