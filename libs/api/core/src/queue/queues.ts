/** Every Bull queue, by name. Producers live in the api, processors in the worker. */
export const QueueName = {
  /** Outgoing email (invitations), delivered by the worker through the configured mail transport. */
  Mail: 'mail',
  /** Repeating clean-up: expired sessions, refresh tokens and invitations. */
  Housekeeping: 'housekeeping',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Retries with exponential backoff for jobs that talk to the outside world. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: 1_000,
  removeOnFail: 5_000,
} as const;
