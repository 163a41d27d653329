import { MAX_SCHEDULE_AHEAD_DAYS } from './dto/scheduled-message.dto';
import { invalidScheduledAt } from './scheduled-messages.errors';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The time a message may be scheduled for: after `now` and at most 30 days later; otherwise a 400 on `scheduledAt`. */
export function scheduleTime(scheduledAt: string, now: Date): Date {
  const at = new Date(scheduledAt);
  if (Number.isNaN(at.getTime())) throw invalidScheduledAt('scheduledAt must be an ISO 8601 date-time');
  if (at.getTime() <= now.getTime())
    throw invalidScheduledAt(`scheduledAt must be in the future (it is now ${now.toISOString()})`);
  if (at.getTime() > now.getTime() + MAX_SCHEDULE_AHEAD_DAYS * DAY_MS)
    throw invalidScheduledAt(`scheduledAt must be at most ${MAX_SCHEDULE_AHEAD_DAYS} days ahead`);
  return at;
}
