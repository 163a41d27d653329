import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, PeriodicTask } from '@parley/api/core';
import { AnalyticsRollup } from './analytics-rollup';

/** Every ANALYTICS_ROLLUP_INTERVAL_MS, counts the days whose messages changed. */
@Injectable()
export class AnalyticsRollupJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(rollup: AnalyticsRollup, config: AppConfig) {
    this.task = new PeriodicTask('AnalyticsRollup', config.ANALYTICS_ROLLUP_INTERVAL_MS, () => rollup.catchUp());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }
}
