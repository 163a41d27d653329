import { isoToZoned, zonedToIso } from './schedule';

describe('a send time in a chosen time zone', () => {
  it('reads the wall clock in that zone, summer time included', () => {
    expect(zonedToIso('2026-01-15T09:30', 'Europe/Lisbon')).toBe('2026-01-15T09:30:00.000Z');
    expect(zonedToIso('2026-07-15T09:30', 'Europe/Lisbon')).toBe('2026-07-15T08:30:00.000Z');
    expect(zonedToIso('2026-07-15T09:30', 'America/Sao_Paulo')).toBe('2026-07-15T12:30:00.000Z');
    expect(zonedToIso('2026-03-29T12:00', 'Asia/Kolkata')).toBe('2026-03-29T06:30:00.000Z');
    expect(zonedToIso('not a date', 'UTC')).toBeNull();
  });

  it('shows a saved instant back on that zone’s clock', () => {
    expect(isoToZoned('2026-07-15T08:30:00.000Z', 'Europe/Lisbon')).toBe('2026-07-15T09:30');
    expect(isoToZoned('2026-07-15T12:30:00.000Z', 'America/Sao_Paulo')).toBe('2026-07-15T09:30');
  });
});
