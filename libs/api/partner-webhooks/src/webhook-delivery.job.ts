import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, PeriodicTask } from '@parley/api/core';
import { WebhookDispatcher } from './webhook-dispatcher';

/**
 * Every PARTNER_WEBHOOKS_POLL_MS, delivers what is due. The deliveries table is the queue: rows are
 * written in the transaction that caused the event, so nothing is lost with Redis, and a worker
 * crashing mid-delivery leaves its rows to be taken again when their lease ends.
 */
@Injectable()
export class WebhookDeliveryJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(dispatcher: WebhookDispatcher, config: AppConfig) {
    this.task = new PeriodicTask('WebhookDelivery', config.PARTNER_WEBHOOKS_POLL_MS, async () => {
      // Until nothing is due: a backlog drains within one tick.
      while ((await dispatcher.deliverDue()) > 0);
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }
}
