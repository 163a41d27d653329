import { DomainError } from '@parley/api/core';
import { addDays, daysBetween, daysOf, isIsoDate, resolvePeriod, todayIn } from './period';

/** The error `fn` throws, as the API would answer it. */
function failure(fn: () => unknown): { status: number; code: string; field: string | undefined } {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const details = Array.isArray(error.details) ? error.details : [];
    return { status: error.status, code: error.code, field: details[0]?.field };
  }
  throw new Error('expected an error');
}

// 02:30 UTC on 1 March 2026: still 28 February in São Paulo (UTC−3), already 1 March in Lisbon.
const NOW = new Date('2026-03-01T02:30:00Z');

describe('dates', () => {
  it('knows a calendar day written YYYY-MM-DD from anything else', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(isIsoDate('01/05/2026')).toBe(false);
    expect(isIsoDate('2026-05-01T00:00:00Z')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });

  it('counts and walks days across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysOf({ from: '2026-02-27', to: '2026-03-02' })).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
  });

  it("reads today on the zone's wall clock", () => {
    expect(todayIn('America/Sao_Paulo', NOW)).toBe('2026-02-28');
    expect(todayIn('Europe/Lisbon', NOW)).toBe('2026-03-01');
    expect(todayIn('Not/AZone', NOW)).toBe('2026-03-01');
  });
});

describe('resolvePeriod', () => {
  it('defaults to the last 30 days, today in the zone included', () => {
    expect(resolvePeriod({}, 'America/Sao_Paulo', NOW)).toEqual({
      from: '2026-01-30',
      to: '2026-02-28',
      timezone: 'America/Sao_Paulo',
    });
    expect(resolvePeriod({}, 'Europe/Lisbon', NOW)).toMatchObject({ from: '2026-01-31', to: '2026-03-01' });
  });

  it('takes the 30 days up to `to`, or from `from` to today', () => {
    expect(resolvePeriod({ to: '2025-12-31' }, 'UTC', NOW)).toMatchObject({ from: '2025-12-02', to: '2025-12-31' });
    expect(resolvePeriod({ from: '2026-02-20' }, 'UTC', NOW)).toMatchObject({ from: '2026-02-20', to: '2026-03-01' });
    // A start long ago: as many days as a report covers. One in the future: that day alone.
    expect(resolvePeriod({ from: '2020-01-01' }, 'UTC', NOW)).toMatchObject({ to: '2020-12-31' });
    expect(resolvePeriod({ from: '2027-01-01' }, 'UTC', NOW)).toMatchObject({ to: '2027-01-01' });
  });

  it('covers one day up to 366', () => {
    expect(resolvePeriod({ from: '2026-05-01', to: '2026-05-01' }, 'UTC', NOW)).toMatchObject({ to: '2026-05-01' });
    expect(resolvePeriod({ from: '2024-01-01', to: '2024-12-31' }, 'UTC', NOW)).toMatchObject({ from: '2024-01-01' });
  });

  it('names the field at fault with a 422', () => {
    expect(failure(() => resolvePeriod({ from: '2026-02-30' }, 'UTC', NOW))).toEqual({
      status: 422,
      code: 'invalid_period',
      field: 'from',
    });
    expect(failure(() => resolvePeriod({ from: '2026-05-01', to: 'yesterday' }, 'UTC', NOW)).field).toBe('to');
    expect(failure(() => resolvePeriod({ from: '2026-05-02', to: '2026-05-01' }, 'UTC', NOW)).field).toBe('from');
    expect(failure(() => resolvePeriod({ from: '2025-01-01', to: '2026-01-02' }, 'UTC', NOW))).toEqual({
      status: 422,
      code: 'invalid_period',
      field: 'to',
    });
  });
});
