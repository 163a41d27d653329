import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@parley/api/core';
import { ScheduledMessageDispatcher } from '../scheduled-message-dispatcher';

/** How often the worker looks for due messages: a message goes out at most about this late. */
const DISPATCH_INTERVAL_MS = 1_000;

/**
 * Worker side: sends scheduled messages when due. A periodic scan of PostgreSQL, not delayed Bull
 * jobs: the rows are the schedule, so a cancel is one UPDATE and nothing is lost with Redis's data.
 */
@Injectable()
export class ScheduledMessagesJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(dispatcher: ScheduledMessageDispatcher) {
    this.task = new PeriodicTask('ScheduledMessages', DISPATCH_INTERVAL_MS, () => dispatcher.dispatchDue());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }
}
