import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, PeriodicTask } from '@parley/api/core';
import { TokenHealthService } from './token-health.service';

/**
 * Every TOKEN_HEALTH_POLL_MS, checks the WABA access tokens that are due (each daily). Due times
 * live on the accounts, so restarts and several workers neither skip nor repeat a day's check.
 */
@Injectable()
export class TokenHealthJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(health: TokenHealthService, config: AppConfig) {
    this.task = new PeriodicTask('TokenHealth', config.TOKEN_HEALTH_POLL_MS, () => health.checkDue());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }
}
