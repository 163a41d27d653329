import { DomainError } from '../errors/domain-error';
import { decodeCursor, encodeCursor, isBigintId, isIsoTimestamp, toPage } from './paging';
import { isUuid } from './uuid';

const ID = '7d5c0a52-1f7e-4b53-9a43-0c6d8f1e2a3b';

describe('cursors', () => {
  it('round-trip opaque values', () => {
    const cursor = encodeCursor(['2026-11-22T10:00:00.123Z', ID]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, [isIsoTimestamp, isUuid])).toEqual(['2026-11-22T10:00:00.123Z', ID]);
    expect(decodeCursor(encodeCursor(['1042']), [isBigintId])).toEqual(['1042']);
  });

  it.each([
    ['not base64 JSON', 'garbage!'],
    ['the wrong number of parts', encodeCursor([ID])],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
    ['a timestamp that is not one', encodeCursor(['yesterday', ID])],
    ['an id that is not a uuid', encodeCursor(['2026-11-22T10:00:00.123Z', "x' OR 1=1"])],
  ])('refuse %s as a 400 on the cursor field', (_, cursor) => {
    expect(() => decodeCursor(cursor, [isIsoTimestamp, isUuid])).toThrow(DomainError);
    try {
      decodeCursor(cursor, [isIsoTimestamp, isUuid]);
    } catch (error) {
      expect((error as DomainError).details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    }
  });

  it('refuse a bigint id out of range or with signs', () => {
    for (const id of ['-1', '1e3', '9'.repeat(19)])
      expect(() => decodeCursor(encodeCursor([id]), [isBigintId])).toThrow(DomainError);
  });
});

describe('toPage', () => {
  it('gives a next cursor only when an extra row came back', () => {
    expect(toPage(['a', 'b', 'c'], 2, (n) => [n])).toEqual({ data: ['a', 'b'], nextCursor: encodeCursor(['b']) });
    expect(toPage(['a', 'b'], 2, (n) => [n])).toEqual({ data: ['a', 'b'], nextCursor: null });
    expect(toPage([], 2, (n: string) => [n])).toEqual({ data: [], nextCursor: null });
  });
});
