import { DomainError } from '@parley/api/core';
import { scheduleTime } from './schedule-window';

const now = new Date('2030-01-10T12:00:00.000Z');

function refusal(value: string): { field: string; message: string } | undefined {
  try {
    scheduleTime(value, now);
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainError) || !Array.isArray(error.details)) throw error;
    expect(error.status).toBe(400);
    return error.details[0];
  }
}

describe('scheduleTime', () => {
  it('accepts a time in the future, in any offset, up to exactly 30 days ahead', () => {
    expect(scheduleTime('2030-01-10T12:00:00.001Z', now)).toEqual(new Date('2030-01-10T12:00:00.001Z'));
    expect(scheduleTime('2030-01-10T09:30:00-03:00', now)).toEqual(new Date('2030-01-10T12:30:00.000Z'));
    expect(scheduleTime('2030-02-09T12:00:00Z', now)).toEqual(new Date('2030-02-09T12:00:00.000Z'));
  });

  it('refuses now, the past and beyond 30 days, naming scheduledAt', () => {
    expect(refusal('2030-01-10T12:00:00Z')).toEqual({
      field: 'scheduledAt',
      message: expect.stringContaining('future'),
    });
    expect(refusal('2029-12-31T00:00:00Z')).toEqual({
      field: 'scheduledAt',
      message: expect.stringContaining('future'),
    });
    expect(refusal('2030-02-09T12:00:00.001Z')).toEqual({
      field: 'scheduledAt',
      message: expect.stringContaining('30 days'),
    });
    expect(refusal('not a date')?.field).toBe('scheduledAt');
  });
});
