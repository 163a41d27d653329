import { isWindowOpen, MessageStatus, nextStatus, windowExpiresAt } from './rules';

describe('nextStatus', () => {
  it.each<[MessageStatus, string, MessageStatus | null]>([
    ['queued', 'sent', 'sent'],
    ['sent', 'delivered', 'delivered'],
    ['delivered', 'read', 'read'],
    ['sent', 'read', 'read'],
    ['queued', 'read', 'read'],
    ['delivered', 'played', 'read'],
    ['read', 'delivered', null],
    ['read', 'sent', null],
    ['delivered', 'sent', null],
    ['delivered', 'delivered', null],
    ['sent', 'failed', 'failed'],
    ['queued', 'failed', 'failed'],
    ['delivered', 'failed', null],
    ['read', 'failed', null],
    ['failed', 'sent', null],
    ['failed', 'read', null],
    ['received', 'read', null],
    ['sent', 'deleted', null],
  ])('%s + %s → %s', (current, incoming, expected) => {
    expect(nextStatus(current, incoming)).toBe(expected);
  });

  it('ends at read whatever order sent, delivered and read arrive in', () => {
    const orders = [
      ['sent', 'delivered', 'read'],
      ['read', 'delivered', 'sent'],
      ['delivered', 'read', 'sent'],
      ['sent', 'read', 'delivered'],
    ];
    for (const order of orders) {
      const final = order.reduce<MessageStatus>((status, incoming) => nextStatus(status, incoming) ?? status, 'queued');
      expect(final).toBe('read');
    }
  });
});

describe('customer service window', () => {
  const last = new Date('2026-11-20T10:00:00Z');

  it('lasts 24 hours from the last inbound message', () => {
    expect(windowExpiresAt(last)).toEqual(new Date('2026-11-21T10:00:00Z'));
    expect(isWindowOpen(last, new Date('2026-11-21T09:59:59Z'))).toBe(true);
    expect(isWindowOpen(last, new Date('2026-11-21T10:00:00Z'))).toBe(false);
  });

  it('is closed when the customer never wrote', () => {
    expect(windowExpiresAt(null)).toBeNull();
    expect(isWindowOpen(null)).toBe(false);
  });
});
