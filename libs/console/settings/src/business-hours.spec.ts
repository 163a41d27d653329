import { copyMondayToWeekdays, hoursFormOf, hoursOf, hoursProblems } from './business-hours';

describe('business hours in the settings form and the API', () => {
  it('reads the org’s schedule and writes it back, closed days left out', () => {
    const businessHours = {
      mon: [
        { open: '09:00', close: '12:00' },
        { open: '13:00', close: '18:00' },
      ],
      sat: [{ open: '10:00', close: '24:00' }],
    };
    const form = hoursFormOf({ timezone: 'Europe/Lisbon', businessHours });
    expect(form.alwaysOpen).toBe(false);
    expect(form.days.find((day) => day.day === 'tue')?.open).toBe(false);
    // Midnight shows as 00:00 on a time input, and goes back as the end of the day.
    expect(form.days.find((day) => day.day === 'sat')?.openings).toEqual([{ open: '10:00', close: '00:00' }]);
    expect(hoursOf(form)).toEqual({ timezone: 'Europe/Lisbon', businessHours });
  });

  it('starts an org without hours as always open, with weekdays 9 to 6 ready to switch on', () => {
    const form = hoursFormOf({ timezone: 'America/Sao_Paulo', businessHours: null });
    expect(hoursOf(form)).toEqual({ timezone: 'America/Sao_Paulo', businessHours: null });
    expect(hoursOf({ ...form, alwaysOpen: false }).businessHours).toEqual({
      mon: [{ open: '09:00', close: '18:00' }],
      tue: [{ open: '09:00', close: '18:00' }],
      wed: [{ open: '09:00', close: '18:00' }],
      thu: [{ open: '09:00', close: '18:00' }],
      fri: [{ open: '09:00', close: '18:00' }],
    });
  });

  it('sorts a day’s openings and finds the ones that cannot be', () => {
    const form = hoursFormOf({ timezone: 'UTC', businessHours: { mon: [{ open: '09:00', close: '18:00' }] } });
    const monday = form.days[0];
    if (!monday) throw new Error('no Monday');
    monday.openings = [
      { open: '14:00', close: '18:00' },
      { open: '09:00', close: '15:00' },
    ];
    expect(hoursOf(form).businessHours).toEqual({
      mon: [
        { open: '09:00', close: '15:00' },
        { open: '14:00', close: '18:00' },
      ],
    });
    expect(hoursProblems(form)).toEqual({ 'businessHours.mon': 'Two openings of this day overlap' });
    monday.openings = [{ open: '18:00', close: '09:00' }];
    expect(hoursProblems(form)).toEqual({ 'businessHours.mon[0].close': 'Closes before it opens' });
    monday.open = false;
    expect(hoursProblems(form)).toEqual({ businessHours: 'Open at least one day, or choose “Always open”' });
  });

  it('copies Monday to the other weekdays', () => {
    const form = hoursFormOf({ timezone: 'UTC', businessHours: { mon: [{ open: '08:00', close: '17:00' }] } });
    const copied = hoursOf(copyMondayToWeekdays(form)).businessHours as Record<string, unknown>;
    expect(Object.keys(copied)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(copied['fri']).toEqual([{ open: '08:00', close: '17:00' }]);
  });
});
