import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuthService } from '@parley/api/auth';
import { purgeIdempotencyKeys, QueueName } from '@parley/api/core';
import { InvitationsService } from '@parley/api/organizations';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How long ended sessions and invitations are kept (for support questions) before they are deleted. */
export const RETENTION = { sessionsMs: 7 * DAY_MS, invitationsMs: 30 * DAY_MS };

export interface PurgeResult {
  sessions: number;
  invitations: number;
  idempotencyKeys: number;
}

/**
 * Hourly clean-up in the worker: expired or revoked sessions (with their refresh tokens), ended
 * invitations, and recorded Idempotency-Key answers older than a day.
 */
@Processor(QueueName.Housekeeping)
export class HousekeepingJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(HousekeepingJob.name);

  constructor(
    @InjectQueue(QueueName.Housekeeping) private readonly queue: Queue,
    private readonly auth: AuthService,
    private readonly invitations: InvitationsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Registers the repeating job; Bull keys repeatable jobs by name and interval, so every worker may do this. */
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.add('purge', {}, { repeat: { every: HOUR_MS }, removeOnComplete: 24, removeOnFail: 24 });
  }

  @Process('purge')
  async purge(): Promise<PurgeResult> {
    const now = Date.now();
    const result = {
      sessions: await this.auth.purgeEndedSessions(new Date(now - RETENTION.sessionsMs)),
      invitations: await this.invitations.purgeEnded(new Date(now - RETENTION.invitationsMs)),
      idempotencyKeys: await purgeIdempotencyKeys(this.dataSource),
    };
    if (result.sessions + result.invitations + result.idempotencyKeys > 0)
      this.logger.log(
        `purged ${result.sessions} sessions, ${result.invitations} invitations, ${result.idempotencyKeys} idempotency keys`,
      );
    return result;
  }
}
