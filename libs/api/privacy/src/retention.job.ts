import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, PeriodicTask } from '@parley/api/core';
import { RetentionService } from './retention.service';

/**
 * Every RETENTION_POLL_MS, runs the retention pass of the orgs whose night it is. When a pass last
 * ran is kept on the org, so restarts and several workers neither skip nor repeat a night.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(retention: RetentionService, config: AppConfig) {
    this.task = new PeriodicTask('Retention', config.RETENTION_POLL_MS, () => retention.applyDue());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }
}
