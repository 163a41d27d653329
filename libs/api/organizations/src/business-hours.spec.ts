import { businessHoursProblems, isOpen, localTime } from './business-hours';

describe('business hours', () => {
  const weekdays = {
    mon: [
      { open: '09:00', close: '12:00' },
      { open: '13:00', close: '18:00' },
    ],
    sat: [{ open: '10:00', close: '24:00' }],
  };

  it('reads the local weekday and time in the zone, across a date line', () => {
    // Monday 2026-11-23 02:30 UTC is Sunday 21:30 in New York and Monday 11:30 in Tokyo.
    const at = new Date('2026-11-23T02:30:00Z');
    expect(localTime(at, 'America/New_York')).toEqual({ day: 'sun', time: '21:30' });
    expect(localTime(at, 'Asia/Tokyo')).toEqual({ day: 'mon', time: '11:30' });
  });

  it('is open inside an opening and closed at its close, in the lunch gap and on days left out', () => {
    const zone = 'Europe/Lisbon'; // UTC+0 in November
    expect(isOpen(weekdays, zone, new Date('2026-11-23T09:00:00Z'))).toBe(true);
    expect(isOpen(weekdays, zone, new Date('2026-11-23T12:00:00Z'))).toBe(false);
    expect(isOpen(weekdays, zone, new Date('2026-11-23T17:59:00Z'))).toBe(true);
    expect(isOpen(weekdays, zone, new Date('2026-11-24T10:00:00Z'))).toBe(false);
    expect(isOpen(weekdays, zone, new Date('2026-11-28T23:59:00Z'))).toBe(true);
    expect(isOpen(null, zone, new Date('2026-11-24T03:00:00Z'))).toBe(true);
  });

  it('names every wrong field', () => {
    expect(
      businessHoursProblems({ mon: [{ open: '18:00', close: '09:00' }], fun: [], tue: [{ open: '9am' }] }),
    ).toEqual([
      { field: 'businessHours.mon[0].close', message: 'close must be after open' },
      { field: 'businessHours.fun', message: 'fun is not a weekday; use mon, tue, wed, thu, fri, sat, sun' },
      { field: 'businessHours.tue[0].open', message: 'open must be a time HH:MM' },
    ]);
    expect(businessHoursProblems(weekdays)).toEqual([]);
    expect(businessHoursProblems([])).toHaveLength(1);
  });
});
