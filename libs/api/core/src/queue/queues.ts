import type { JobOptions, Queue } from 'bull';
import { withDeadline } from '../async/deadline';

/** Every Bull queue, by name. Producers live in the api, processors in the worker. */
export const QueueName = {
  /** Outgoing email (invitations), delivered by the worker through the configured mail transport. */
  Mail: 'mail',
  /** Repeating clean-up: expired sessions, refresh tokens and invitations. */
  Housekeeping: 'housekeeping',
  /** Stored Meta webhooks waiting to be applied to the inbox (and the sweeper that re-queues stragglers). */
  WebhookEvents: 'webhook-events',
  /** Outbound messages waiting to go to Meta (rate-limited per number), read receipts, and the sweeper of stragglers. */
  OutboundMessages: 'outbound-messages',
  /** Inbound media to download from Meta into storage. */
  Media: 'media',
  /** Automation's deferred work: drip-flow steps (delayed jobs), rule webhooks, tag triggers. */
  Automation: 'automation',
  /** AI triage: reading inbound messages and conversations, and automation's AI replies (and the sweeper of untriaged messages). */
  Ai: 'ai',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Retries with exponential backoff for jobs that talk to the outside world. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: 1_000,
  removeOnFail: 5_000,
} as const;

/**
 * Exponential backoff with jitter (`backoff: { type: 'jitter', options: { baseMs } }`): attempt n
 * waits between half and all of baseMs × 2^(n-1), so retries of many jobs that failed together
 * (a rate limit, an outage) spread out instead of arriving together again.
 */
export function jitteredBackoff(attemptsMade: number, _error: unknown, options: { baseMs?: number } | null): number {
  const ceiling = (options?.baseMs ?? 1_000) * 2 ** Math.max(attemptsMade - 1, 0);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * Every queue knows the `jitter` backoff. A job's lock lasts 15 s (renewed every 7.5 s while it
 * runs) and stalled jobs are looked for every 5 s: the jobs of a worker killed mid-work run again
 * within about 20 s instead of Bull's default minute. Jobs are idempotent, so a run taken over
 * after a long event-loop stall does no harm twice.
 */
export const QUEUE_SETTINGS = {
  lockDuration: 15_000,
  stalledInterval: 5_000,
  backoffStrategies: { jitter: jitteredBackoff },
};

/**
 * Adds a job, but gives up waiting after `timeoutMs`: with Redis down, Bull would hold the call
 * until it reconnects. Resolves whether the job was confirmed; a late add still lands (and is
 * harmless when the job id is stable).
 */
export function addWithin<T>(
  queue: Queue<T>,
  name: string,
  data: T,
  options: JobOptions,
  timeoutMs: number,
): Promise<boolean> {
  return withDeadline(queue.add(name, data, options), timeoutMs).then(
    () => true,
    () => false,
  );
}

/**
 * Queues a job under a stable id unless a live job already holds it; a job that ended (completed,
 * or failed when its worker died) still holds the id, so it is removed first. For sweepers that
 * put stragglers back: repeats are harmless. Resolves whether a job was added.
 */
export async function requeue<T>(
  queue: Queue<T>,
  name: string,
  data: T,
  options: JobOptions & { jobId: string },
): Promise<boolean> {
  const job = await queue.getJob(options.jobId);
  const state = job ? await job.getState() : null;
  if (state === 'waiting' || state === 'active' || state === 'delayed' || state === 'paused') return false;
  await job?.remove();
  await queue.add(name, data, options);
  return true;
}
