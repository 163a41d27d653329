import { Process, Processor } from '@nestjs/bull';
import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, PeriodicTask, QueueName } from '@parley/api/core';
import type { Job } from 'bull';
import { ProcessOutcome, WebhookEventsService } from '../webhook-events.service';
import type { ProcessJob } from '../webhook-ingest.service';

/** Worker side of the inbound path: applies stored webhooks, and sweeps up any Redis never got. */
@Processor(QueueName.WebhookEvents)
export class WebhookEventsJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: PeriodicTask;

  constructor(
    private readonly events: WebhookEventsService,
    config: AppConfig,
  ) {
    this.sweeper = new PeriodicTask('WebhookSweeper', config.WEBHOOK_SWEEP_INTERVAL_MS, () => this.events.sweep());
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** Many jobs at once: an org's jobs wait on its running batch and form the next one (see `process`). */
  @Process({ name: 'process', concurrency: 64 })
  process(job: Job<ProcessJob>): Promise<ProcessOutcome> {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.events.process(job.data, lastAttempt);
  }
}
