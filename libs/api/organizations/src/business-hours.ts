/** The days of a weekly schedule, in the order a week is shown (ISO: Monday first). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One opening on a day, `HH:MM` in the org's time zone; `close` after `open` (`24:00` ends the day). */
export interface OpeningHours {
  open: string;
  close: string;
}

/** When the business answers: per weekday, its openings (a day left out or empty is closed). */
export type BusinessHours = Partial<Record<Weekday, OpeningHours[]>>;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with a schedule, each problem naming its field; empty when it is fine. */
export function businessHoursProblems(hours: unknown, field = 'businessHours'): { field: string; message: string }[] {
  if (typeof hours !== 'object' || hours === null || Array.isArray(hours))
    return [{ field, message: `${field} must be an object of weekdays (mon..sun) to openings` }];
  const problems: { field: string; message: string }[] = [];
  for (const [day, openings] of Object.entries(hours)) {
    const at = `${field}.${day}`;
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      problems.push({ field: at, message: `${day} is not a weekday; use ${WEEKDAYS.join(', ')}` });
      continue;
    }
    if (!Array.isArray(openings) || openings.length > 6) {
      problems.push({ field: at, message: `${at} must be a list of at most 6 openings` });
      continue;
    }
    openings.forEach((opening: unknown, i) => {
      const { open, close } = (opening ?? {}) as Partial<OpeningHours>;
      if (typeof open !== 'string' || !TIME.test(open) || open === '24:00')
        problems.push({ field: `${at}[${i}].open`, message: 'open must be a time HH:MM' });
      else if (typeof close !== 'string' || !TIME.test(close))
        problems.push({ field: `${at}[${i}].close`, message: 'close must be a time HH:MM (24:00 for midnight)' });
      else if (close <= open) problems.push({ field: `${at}[${i}].close`, message: 'close must be after open' });
    });
  }
  return problems;
}

/** The weekday and `HH:MM` it is at `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { day: Weekday; time: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    day: part('weekday').toLowerCase().slice(0, 3) as Weekday,
    time: `${part('hour')}:${part('minute')}`,
  };
}

/** Whether the business is open at `at`. No schedule at all means always open. */
export function isOpen(hours: BusinessHours | null, timeZone: string, at: Date): boolean {
  if (!hours) return true;
  const { day, time } = localTime(at, timeZone);
  return (hours[day] ?? []).some((opening) => opening.open <= time && time < opening.close);
}
