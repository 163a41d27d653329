import { labelMix, messagesPerDay, outboundTotals, ratio, type TrafficRow } from './report';

const row = (day: string, direction: TrafficRow['direction'], status: TrafficRow['status'], count: number) => ({
  day,
  direction,
  status,
  error_code: status === 'failed' ? 131026 : null,
  count,
});

describe('report', () => {
  it('lists every day of the period in order, quiet days as zeros', () => {
    const rows = [
      row('2026-03-02', 'inbound', 'received', 4),
      row('2026-03-02', 'outbound', 'read', 2),
      row('2026-03-02', 'outbound', 'failed', 1),
      row('2026-02-28', 'outbound', 'sent', 3),
    ];
    expect(messagesPerDay({ from: '2026-02-28', to: '2026-03-02' }, rows)).toEqual([
      { date: '2026-02-28', inbound: 0, outbound: 3 },
      { date: '2026-03-01', inbound: 0, outbound: 0 },
      { date: '2026-03-02', inbound: 4, outbound: 3 },
    ]);
  });

  it('counts the outbound funnel cumulatively, with delivery over what was attempted and reads over deliveries', () => {
    const totals = outboundTotals([
      row('2026-03-01', 'outbound', 'queued', 1),
      row('2026-03-01', 'outbound', 'sent', 2),
      row('2026-03-01', 'outbound', 'delivered', 3),
      row('2026-03-02', 'outbound', 'read', 5),
      row('2026-03-02', 'outbound', 'failed', 2),
      row('2026-03-02', 'inbound', 'received', 40),
    ]);
    expect(totals).toEqual({
      total: 13,
      queued: 1,
      sent: 10,
      delivered: 8,
      read: 5,
      failed: 2,
      deliveryRate: 0.6667,
      readRate: 0.625,
    });
    expect(outboundTotals([])).toMatchObject({ total: 0, deliveryRate: null, readRate: null });
  });

  it('rounds ratios to four decimals and has none for an empty whole', () => {
    expect(ratio(1, 3)).toBe(0.3333);
    expect(ratio(0, 0)).toBeNull();
  });

  it('mixes labels most frequent first, ties by label, leaving out missing ones', () => {
    expect(
      labelMix([
        { label: 'pricing', count: 2 },
        { label: 'complaint', count: 3 },
        { label: null, count: 9 },
        { label: 'pricing', count: 1 },
        { label: 'greeting', count: 3 },
      ]),
    ).toEqual([
      { label: 'complaint', count: 3 },
      { label: 'greeting', count: 3 },
      { label: 'pricing', count: 3 },
    ]);
  });
});
