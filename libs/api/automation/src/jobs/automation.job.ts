import { Process, Processor } from '@nestjs/bull';
import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ContactTaggedJob } from '@parley/api/contacts';
import { AppConfig, PeriodicTask, QueueName } from '@parley/api/core';
import type { Job } from 'bull';
import { AutomationEngine } from '../automation-engine';
import { type FlowJob, FlowRunner } from '../flow-runner';

/**
 * Worker side of automation: drip-flow steps when their wait ends, rules on tags people added;
 * and, periodically, idle conversations and flow wake-ups that were lost.
 */
@Processor(QueueName.Automation)
export class AutomationJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly scan: PeriodicTask;

  constructor(
    private readonly engine: AutomationEngine,
    private readonly flows: FlowRunner,
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
}
