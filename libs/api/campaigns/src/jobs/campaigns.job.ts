import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@parley/api/core';
import { CampaignDispatcher } from '../campaign-dispatcher';

/** How often the worker starts due campaigns, tops up running ones and publishes their funnels. */
const TICK_MS = 200;

/**
 * Drives campaigns in the worker. A tick in this process rather than a Bull repeatable job: the
 * state lives in PostgreSQL (recipients, messages), so a restarted worker simply carries on.
 */
@Injectable()
export class CampaignsJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(dispatcher: CampaignDispatcher) {
    this.task = new PeriodicTask('CampaignDispatcher', TICK_MS, () => dispatcher.tick());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }
}
