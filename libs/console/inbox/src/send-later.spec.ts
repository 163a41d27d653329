import { isoToLocal, localToIso, sendLaterProblem } from './send-later';

describe('send later', () => {
  const now = new Date(2030, 0, 10, 12, 0); // local time, like the input

  it('reads the date-time input in the browser time zone and writes it back', () => {
    expect(localToIso('2030-01-10T13:30')).toBe(new Date(2030, 0, 10, 13, 30).toISOString());
    expect(isoToLocal(new Date(2030, 0, 10, 13, 30).toISOString())).toBe('2030-01-10T13:30');
    expect(localToIso('')).toBeNull();
    expect(localToIso('tomorrow')).toBeNull();
  });

  it('accepts a time in the next 30 days and says what is wrong with any other', () => {
    expect(sendLaterProblem('2030-01-10T12:01', now)).toBeNull();
    expect(sendLaterProblem('2030-02-09T12:00', now)).toBeNull();
    expect(sendLaterProblem('', now)).toBe('Choose a date and time');
    expect(sendLaterProblem('2030-01-10T12:00', now)).toBe('Choose a time in the future');
    expect(sendLaterProblem('2030-01-09T18:00', now)).toBe('Choose a time in the future');
    expect(sendLaterProblem('2030-02-09T12:01', now)).toBe('Messages can be scheduled at most 30 days ahead');
  });
});
