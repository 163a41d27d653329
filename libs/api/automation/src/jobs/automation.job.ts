import { Process, Processor } from '@nestjs/bull';
import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ContactTaggedJob } from '@parley/api/contacts';
import {
  AppConfig,
  isRetryable,
  PeriodicTask,
  postToTarget,
  QueueName,
  type ResolvedTarget,
  UnsafeWebhookTarget,
  UrlGuard,
} from '@parley/api/core';
import type { Job } from 'bull';
import { AutomationEngine, type RuleWebhookJob } from '../automation-engine';
import { type FlowJob, FlowRunner } from '../flow-runner';

const WEBHOOK_TIMEOUT_MS = 5_000;

/**
 * Worker side of automation: drip-flow steps when their wait ends, rules on tags people added,
 * rule webhooks; and, periodically, idle conversations and flow wake-ups that were lost.
 */
@Processor(QueueName.Automation)
export class AutomationJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AutomationJob.name);
  private readonly scan: PeriodicTask;

  constructor(
    private readonly engine: AutomationEngine,
    private readonly flows: FlowRunner,
    private readonly guard: UrlGuard,
    config: AppConfig,
  ) {
    this.scan = new PeriodicTask('AutomationScan', config.AUTOMATION_SCAN_INTERVAL_MS, async () => {
      await this.engine.scanIdle();
      await this.flows.sweep();
    });
  }

  onApplicationBootstrap(): void {
    this.scan.start();
  }

  onApplicationShutdown(): void {
    this.scan.stop();
  }

  @Process({ name: 'flow', concurrency: 4 })
  advance(job: Job<FlowJob>): Promise<void> {
    return this.flows.advance(job.data);
  }

  @Process({ name: 'contact-tagged', concurrency: 2 })
  tagged(job: Job<ContactTaggedJob>): Promise<void> {
    return this.engine.onContactTagged(job.data.orgId, job.data.contactId, job.data.tags);
  }

  /**
   * POSTs what fired to the rule's URL, if it still resolves to a public address (SSRF guard, the
   * address checked is the one connected to); retried on network errors, 5xx, 408 and 429, given up
   * on other 4xx.
   */
  @Process({ name: 'rule-webhook', concurrency: 4 })
  async webhook(job: Job<RuleWebhookJob>): Promise<void> {
    const { url, payload, ruleId } = job.data;
    let target: ResolvedTarget;
    try {
      target = await this.guard.target(url);
    } catch (error) {
      if (!(error instanceof UnsafeWebhookTarget)) throw error;
      this.logger.warn(`rule ${ruleId}: webhook not called: ${error.message}`);
      return;
    }
    const answer = await postToTarget(
      url,
      target,
      { 'content-type': 'application/json', 'user-agent': 'Parley-Automation/1.0' },
      JSON.stringify(payload),
      WEBHOOK_TIMEOUT_MS,
    );
    if (answer.error === null) return;
    if (isRetryable(answer.status)) throw new Error(`rule ${ruleId}: webhook ${answer.error}`);
    this.logger.warn(`rule ${ruleId}: webhook ${answer.error}; not retried`);
  }
}
