import { Process, Processor } from '@nestjs/bull';
import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AiJobName, type AiSummarizeJob, type AiTriageJob, AppConfig, PeriodicTask, QueueName } from '@parley/api/core';
import type { Job } from 'bull';
import { AiAutoReply, type AutoReplyJob, type AutoReplyOutcome } from '../ai-auto-reply';
import { AiTriage, type TriageOutcome } from '../ai-triage';

/** Worker side of AI triage: message and conversation readings, automation's replies, and the sweeper of untriaged messages. */
@Processor(QueueName.Ai)
export class AiJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: PeriodicTask;

  constructor(
    private readonly triage: AiTriage,
    private readonly autoReply: AiAutoReply,
    config: AppConfig,
  ) {
    this.sweeper = new PeriodicTask('AiTriageSweeper', config.AI_SWEEP_INTERVAL_MS, () => this.triage.sweep());
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** Many at once: each mostly waits on the provider. */
  @Process({ name: AiJobName.Triage, concurrency: 8 })
  triageMessage(job: Job<AiTriageJob>): Promise<TriageOutcome> {
    return this.triage.triage(job.data.orgId, job.data.messageId);
  }

  @Process({ name: AiJobName.Summarize, concurrency: 4 })
  summarize(job: Job<AiSummarizeJob>): Promise<TriageOutcome> {
    return this.triage.summarize(job.data.orgId, job.data.conversationId);
  }

  @Process({ name: AiJobName.AutoReply, concurrency: 8 })
  reply(job: Job<AutoReplyJob>): Promise<AutoReplyOutcome> {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.autoReply.run(job.data, lastAttempt);
  }
}
