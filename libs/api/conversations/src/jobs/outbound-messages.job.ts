import { Process, Processor } from '@nestjs/bull';
import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, PeriodicTask, QueueName } from '@parley/api/core';
import type { Job } from 'bull';
import { MessageSender, ReadReceiptJob, SendOutcome } from '../message-sender';
import type { SendBatchJob, SendJob } from '../outbound.service';

/** Worker side of the outbound path: sends, read receipts, and the sweeper of stragglers. */
@Processor(QueueName.OutboundMessages)
export class OutboundMessagesJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: PeriodicTask;

  constructor(
    private readonly sender: MessageSender,
    config: AppConfig,
  ) {
    this.sweeper = new PeriodicTask('SendSweeper', config.SEND_SWEEP_INTERVAL_MS, () => this.sender.sweep());
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** Many at once: each waits for its slot at the number's pace, then for Meta. */
  @Process({ name: 'send', concurrency: 32 })
  send(job: Job<SendJob>): Promise<SendOutcome> {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.sender.send(job.data.orgId, job.data.messageId, lastAttempt);
  }

  /** A few lots at once, each with every message in flight (paced): campaigns reach high throughput on few jobs. */
  @Process({ name: 'send-batch', concurrency: 4 })
  sendBatch(job: Job<SendBatchJob>): Promise<void> {
    return this.sender.sendBatch(job.data);
  }

  @Process({ name: 'read', concurrency: 4 })
  read(job: Job<ReadReceiptJob>): Promise<void> {
    return this.sender.markRead(job.data);
  }
}
