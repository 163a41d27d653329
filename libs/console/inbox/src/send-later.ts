/** How far ahead the API accepts a scheduled message. */
export const SEND_LATER_MAX_DAYS = 30;
const DAY_MS = 86_400_000;

/** A `datetime-local` value (`2026-11-24T09:30`, the browser's time zone) as an ISO instant, or null when unreadable. */
export function localToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An instant as a `datetime-local` value in the browser's time zone, to the minute. */
export function isoToLocal(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** What is wrong with a send-later time, as the API would say it, or null when it can be scheduled. */
export function sendLaterProblem(value: string, now = new Date()): string | null {
  const iso = localToIso(value);
  if (!iso) return 'Choose a date and time';
  const at = Date.parse(iso);
  if (at <= now.getTime()) return 'Choose a time in the future';
  if (at > now.getTime() + SEND_LATER_MAX_DAYS * DAY_MS)
    return `Messages can be scheduled at most ${SEND_LATER_MAX_DAYS} days ahead`;
  return null;
}
