/** The longest period the API reports on, in days. */
export const MAX_RANGE_DAYS = 366;

export type PresetDays = 7 | 30 | 90;

export const PRESETS: readonly { days: PresetDays; label: string }[] = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
];

/** What the user picked: a preset ending today, or two days of their own. */
export type RangeChoice = { kind: 'preset'; days: PresetDays } | { kind: 'custom'; from: string; to: string };

/** Days as the API takes them (YYYY-MM-DD, both included); none: the API's default, the last 30 days. */
export interface RangeQuery {
  from?: string;
  to?: string;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The day `days` after `date` (before, when negative). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Today on this browser's calendar, YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The `days` days up to and including `today`. */
export function presetRange(days: number, today: string): { from: string; to: string } {
  return { from: addDays(today, -(days - 1)), to: today };
}

/**
 * The query for a choice. Presets end on `today` as the organization's calendar has it (the API's
 * answers tell it); before the first answer the 30-day preset leaves the days to the API.
 */
export function rangeQuery(choice: RangeChoice, today: string | null): RangeQuery {
  if (choice.kind === 'custom') return { from: choice.from, to: choice.to };
  if (today === null && choice.days === 30) return {};
  return presetRange(choice.days, today ?? localToday());
}

/** Why a custom range can't be asked for, or null when it can. */
export function customRangeProblem(from: string, to: string): string | null {
  if (!ISO_DATE.test(from) || Number.isNaN(Date.parse(from))) return 'Choose a start date.';
  if (!ISO_DATE.test(to) || Number.isNaN(Date.parse(to))) return 'Choose an end date.';
  if (from > to) return 'The start date must be on or before the end date.';
  if (daysInRange(from, to) > MAX_RANGE_DAYS) return `Choose at most ${MAX_RANGE_DAYS} days.`;
  return null;
}
