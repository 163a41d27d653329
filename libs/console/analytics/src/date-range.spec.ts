import { addDays, customRangeProblem, daysInRange, localToday, presetRange, rangeQuery } from './date-range';

describe('date ranges', () => {
  it('takes presets up to and including today', () => {
    expect(presetRange(7, '2026-03-05')).toEqual({ from: '2026-02-27', to: '2026-03-05' });
    expect(presetRange(30, '2026-03-31')).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(presetRange(90, '2024-03-31')).toEqual({ from: '2024-01-02', to: '2024-03-31' });
    expect(daysInRange('2024-01-02', '2024-03-31')).toBe(90);
  });

  it("asks for a preset's days once the organization's today is known, and the API's default before", () => {
    expect(rangeQuery({ kind: 'preset', days: 30 }, null)).toEqual({});
    expect(rangeQuery({ kind: 'preset', days: 7 }, '2026-03-10')).toEqual({ from: '2026-03-04', to: '2026-03-10' });
    expect(rangeQuery({ kind: 'preset', days: 90 }, null)).toEqual(presetRange(90, localToday()));
    expect(rangeQuery({ kind: 'custom', from: '2026-01-01', to: '2026-01-31' }, '2026-03-10')).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
    });
  });

  it('checks a custom range before asking', () => {
    expect(customRangeProblem('2026-01-01', '2026-01-31')).toBeNull();
    expect(customRangeProblem('', '2026-01-31')).toBe('Choose a start date.');
    expect(customRangeProblem('2026-01-01', '')).toBe('Choose an end date.');
    expect(customRangeProblem('2026-02-01', '2026-01-31')).toBe('The start date must be on or before the end date.');
    expect(customRangeProblem('2024-01-01', '2024-12-31')).toBeNull();
    expect(customRangeProblem('2025-01-01', '2026-01-02')).toBe('Choose at most 366 days.');
  });

  it('walks days across month ends and leap days, and reads the local calendar', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(localToday(new Date(2026, 2, 9, 23, 59))).toBe('2026-03-09');
  });
});
