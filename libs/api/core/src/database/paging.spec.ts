import { DomainError } from '../errors/domain-error';
import { decodeCursor, encodeCursor, toPage } from './paging';

describe('cursors', () => {
  it('round-trip opaque values', () => {
    const cursor = encodeCursor(['2026-11-22T10:00:00.123Z', 'b7c3']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 2)).toEqual(['2026-11-22T10:00:00.123Z', 'b7c3']);
  });

  it.each(['garbage!', encodeCursor(['only-one']), Buffer.from('{"a":1}').toString('base64url')])('refuse %j as a 400 on the cursor field', (cursor) => {
    expect(() => decodeCursor(cursor, 2)).toThrow(DomainError);
    try {
      decodeCursor(cursor, 2);
    } catch (error) {
      expect((error as DomainError).details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    }
  });
});

describe('toPage', () => {
  it('gives a next cursor only when an extra row came back', () => {
    expect(toPage([1, 2, 3], 2, (n) => [n])).toEqual({ data: [1, 2], nextCursor: encodeCursor([2]) });
    expect(toPage([1, 2], 2, (n) => [n])).toEqual({ data: [1, 2], nextCursor: null });
    expect(toPage([], 2, (n: number) => [n])).toEqual({ data: [], nextCursor: null });
  });
});
