import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { QueueName } from '@parley/api/core';
import type { JobCounts, Queue } from 'bull';

/** Job counts of every queue, for /health and /metrics. */
@Injectable()
export class QueueDepths {
  private readonly queues: Queue[];

  constructor(
    @InjectQueue(QueueName.Mail) mail: Queue,
    @InjectQueue(QueueName.Housekeeping) housekeeping: Queue,
    @InjectQueue(QueueName.WebhookEvents) webhookEvents: Queue,
  ) {
    this.queues = [mail, housekeeping, webhookEvents];
  }

  async counts(): Promise<Record<string, JobCounts>> {
    return Object.fromEntries(
      await Promise.all(this.queues.map(async (queue) => [queue.name, await queue.getJobCounts()] as const)),
    );
  }
}
