import { DomainError, ErrorCode } from '@parley/api/core';

/** The longest period one report covers, in days (a leap year). */
export const MAX_PERIOD_DAYS = 366;
/** The period when none is given: the last 30 days, today included. */
export const DEFAULT_PERIOD_DAYS = 30;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Whole days, `from` to `to` inclusive, read in `timezone`. */
export interface Period {
  /** YYYY-MM-DD. */
  from: string;
  /** YYYY-MM-DD, on or after `from`. */
  to: string;
  /** IANA zone the days are read in. */
  timezone: string;
}

/** What the caller asked for; every part optional. */
export interface PeriodInput {
  from?: string;
  to?: string;
}

/** Whether `value` is a calendar day written YYYY-MM-DD (2026-02-30 is not). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The day `days` after (or before, when negative) `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to` (0 for the same day, negative when `to` comes first). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Every day of the period, in order. */
export function daysOf(period: Pick<Period, 'from' | 'to'>): string[] {
  const count = daysBetween(period.from, period.to) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, i) => addDays(period.from, i));
}

/** Today's date on the wall clocks of `timezone` (UTC for a zone this runtime does not know). */
export function todayIn(timezone: string, now: Date = new Date()): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function invalid(field: 'from' | 'to', message: string): DomainError {
  return DomainError.invalidField(ErrorCode.InvalidPeriod, field, message);
}

/**
 * The period a report covers: the days asked for, or the last 30 days (today included) in
 * `timezone`. Only `to`: the 30 days up to it. Only `from`: from it to today, at most 366 days.
 * Throws a 422 naming the field at fault.
 */
export function resolvePeriod(input: PeriodInput, timezone: string, now: Date = new Date()): Period {
  if (input.from !== undefined && !isIsoDate(input.from))
    throw invalid('from', `from must be a date written YYYY-MM-DD, such as 2026-05-01 (got "${input.from}")`);
  if (input.to !== undefined && !isIsoDate(input.to))
    throw invalid('to', `to must be a date written YYYY-MM-DD, such as 2026-05-31 (got "${input.to}")`);

  const today = todayIn(timezone, now);
  let { from, to } = input;
  if (to === undefined) {
    if (from === undefined) to = today;
    else {
      const latest = addDays(from, MAX_PERIOD_DAYS - 1);
      to = today < from ? from : today > latest ? latest : today;
    }
  }
  from ??= addDays(to, -(DEFAULT_PERIOD_DAYS - 1));

  if (from > to) throw invalid('from', `from (${from}) must be on or before to (${to})`);
  const days = daysBetween(from, to) + 1;
  if (days > MAX_PERIOD_DAYS)
    throw invalid('to', `The period covers ${days} days; a report covers at most ${MAX_PERIOD_DAYS}`);
  return { from, to, timezone };
}
