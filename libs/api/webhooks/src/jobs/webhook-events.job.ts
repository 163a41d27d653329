import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, QueueName } from '@parley/api/core';
import type { Job, Queue } from 'bull';
import { ProcessOutcome, WebhookEventsService } from '../webhook-events.service';
import type { ProcessJob } from '../webhook-ingest.service';

/** Worker side of the inbound path: applies stored webhooks, and sweeps up any Redis never got. */
@Processor(QueueName.WebhookEvents)
export class WebhookEventsJob implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.WebhookEvents) private readonly queue: Queue,
    private readonly events: WebhookEventsService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.add(
      'sweep',
      {},
      { repeat: { every: this.config.WEBHOOK_SWEEP_INTERVAL_MS }, removeOnComplete: 10, removeOnFail: 10 },
    );
  }

  @Process({ name: 'process', concurrency: 8 })
  process(job: Job<ProcessJob>): Promise<ProcessOutcome> {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.events.process(job.data.eventId, job.data.orgId, lastAttempt);
  }

  @Process('sweep')
  sweep(): Promise<number> {
    return this.events.sweep();
  }
}
