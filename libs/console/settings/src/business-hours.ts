import type { OrganizationDto, UpdateOrganizationDto } from '@parley/console/api-client';

/*
 * The org's business hours as the settings page edits them: a time zone, and per weekday whether
 * it opens and its openings. The API takes `{ timezone, businessHours: { mon: [{open, close}] } }`
 * with closed days left out, or `businessHours: null` for always open. The "outside business
 * hours" automation trigger and the starter bot read them.
 */

export const WEEKDAYS = [
  { day: 'mon', label: 'Monday' },
  { day: 'tue', label: 'Tuesday' },
  { day: 'wed', label: 'Wednesday' },
  { day: 'thu', label: 'Thursday' },
  { day: 'fri', label: 'Friday' },
  { day: 'sat', label: 'Saturday' },
  { day: 'sun', label: 'Sunday' },
] as const;
export type Weekday = (typeof WEEKDAYS)[number]['day'];

export interface Opening {
  open: string;
  close: string;
}

export interface DayHours {
  day: Weekday;
  open: boolean;
  openings: Opening[];
}

export interface HoursForm {
  /** No schedule: the business is never "closed". */
  alwaysOpen: boolean;
  timezone: string;
  days: DayHours[];
}

const NINE_TO_SIX: Opening = { open: '09:00', close: '18:00' };
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The browser's IANA time zone (UTC when it cannot tell). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every IANA time zone the browser knows, with `preferred` first. */
export function timeZones(preferred: string): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return [preferred, ...supported.filter((zone) => zone !== preferred && zone !== 'UTC'), 'UTC'].filter(
    (zone, index, all) => all.indexOf(zone) === index,
  );
}

const isOpening = (value: unknown): value is Opening =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Opening).open === 'string' &&
  typeof (value as Opening).close === 'string';

/** The form for the org; with no schedule yet, Monday to Friday 9 to 6 is ready to switch on. */
export function hoursFormOf(org: Pick<OrganizationDto, 'timezone' | 'businessHours'>): HoursForm {
  const hours = org.businessHours;
  return {
    alwaysOpen: hours === null,
    timezone: org.timezone || browserTimeZone(),
    days: WEEKDAYS.map(({ day }) => {
      if (hours === null) return { day, open: !['sat', 'sun'].includes(day), openings: [{ ...NINE_TO_SIX }] };
      const openings = Array.isArray(hours[day]) ? (hours[day] as unknown[]).filter(isOpening) : [];
      return {
        day,
        open: openings.length > 0,
        // Midnight as the end of a day reads 00:00 on a time input.
        openings:
          openings.length > 0
            ? openings.map((o) => ({ open: o.open, close: o.close === '24:00' ? '00:00' : o.close }))
            : [{ ...NINE_TO_SIX }],
      };
    }),
  };
}

/** A closing time as the API takes it: 00:00 on the time input is the end of the day (24:00). */
const closeOf = (close: string) => (close === '00:00' ? '24:00' : close);

/** What to PATCH on the org. */
export function hoursOf(form: HoursForm): Pick<UpdateOrganizationDto, 'timezone' | 'businessHours'> {
  if (form.alwaysOpen) return { timezone: form.timezone, businessHours: null };
  return {
    timezone: form.timezone,
    businessHours: Object.fromEntries(
      form.days
        .filter((day) => day.open && day.openings.length > 0)
        .map((day) => [
          day.day,
          [...day.openings]
            .sort((a, b) => a.open.localeCompare(b.open))
            .map((opening) => ({ open: opening.open, close: closeOf(opening.close) })),
        ]),
    ),
  };
}

/**
 * What is wrong, by the API's field names (`businessHours.mon[0].close`), so the browser's and
 * the API's messages show in the same place. Indexes are the form's order (the API gets them
 * sorted; a day's openings are shown sorted after a save).
 */
export function hoursProblems(form: HoursForm): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!form.timezone) problems['timezone'] = 'Choose a time zone';
  if (form.alwaysOpen) return problems;
  for (const day of form.days) {
    if (!day.open) continue;
    day.openings.forEach((opening, i) => {
      const at = `businessHours.${day.day}[${i}]`;
      if (!TIME.test(opening.open)) problems[`${at}.open`] = 'Give an opening time';
      else if (!TIME.test(opening.close)) problems[`${at}.close`] = 'Give a closing time';
      else if (closeOf(opening.close) <= opening.open) problems[`${at}.close`] = 'Closes before it opens';
    });
    const sorted = [...day.openings].sort((a, b) => a.open.localeCompare(b.open));
    sorted.slice(1).forEach((opening, i) => {
      const previous = sorted[i] as Opening;
      if (opening.open < closeOf(previous.close))
        problems[`businessHours.${day.day}`] = 'Two openings of this day overlap';
    });
  }
  if (form.days.every((day) => !day.open)) problems['businessHours'] = 'Open at least one day, or choose “Always open”';
  return problems;
}

/** Monday's hours for Tuesday to Friday too. */
export function copyMondayToWeekdays(form: HoursForm): HoursForm {
  const monday = form.days.find((day) => day.day === 'mon');
  if (!monday) return form;
  return {
    ...form,
    days: form.days.map((day) =>
      ['tue', 'wed', 'thu', 'fri'].includes(day.day)
        ? { ...day, open: monday.open, openings: monday.openings.map((o) => ({ ...o })) }
        : day,
    ),
  };
}
