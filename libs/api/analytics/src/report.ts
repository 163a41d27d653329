import type { MessageStatus } from '@parley/whatsapp/cloud-api';
import type { DailyMessagesDto, LabelCountDto, OutboundTotalsDto } from './dto/analytics.dto';
import { daysOf, type Period } from './period';

/** One group of the period's messages: a day (in the period's zone), a direction, a status and an error code. */
export interface TrafficRow {
  day: string;
  direction: 'inbound' | 'outbound';
  status: MessageStatus;
  error_code: number | null;
  count: number;
}

/** `part / whole` to four decimals, or null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

/** Messages in and out on each day of the period, every day present (zeros included), in order. */
export function messagesPerDay(period: Pick<Period, 'from' | 'to'>, rows: TrafficRow[]): DailyMessagesDto[] {
  const days = new Map(daysOf(period).map((date) => [date, { date, inbound: 0, outbound: 0 }]));
  for (const row of rows) {
    const day = days.get(row.day);
    if (day) day[row.direction] += row.count;
  }
  return [...days.values()];
}

/** The funnel of the period's outbound messages, with Meta's delivery and read rates. */
export function outboundTotals(rows: TrafficRow[]): OutboundTotalsDto {
  const count = (statuses: MessageStatus[]) =>
    rows
      .filter((row) => row.direction === 'outbound' && statuses.includes(row.status))
      .reduce((sum, row) => sum + row.count, 0);
  const sent = count(['sent', 'delivered', 'read']);
  const delivered = count(['delivered', 'read']);
  const read = count(['read']);
  const failed = count(['failed']);
  return {
    total: rows.filter((row) => row.direction === 'outbound').reduce((sum, row) => sum + row.count, 0),
    queued: count(['queued']),
    sent,
    delivered,
    read,
    failed,
    deliveryRate: ratio(delivered, sent + failed),
    readRate: ratio(read, delivered),
  };
}

/** Counts by label, most frequent first (ties by label); rows without a label are left out. */
export function labelMix(rows: { label: string | null; count: number }[]): LabelCountDto[] {
  const counts = new Map<string, number>();
  for (const row of rows) if (row.label !== null) counts.set(row.label, (counts.get(row.label) ?? 0) + row.count);
  return [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
