import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, PeriodicTask } from '@parley/api/core';
import { OrgExporter } from '../org-exporter';

/**
 * Every ORG_EXPORTS_POLL_MS, removes expired archives, then makes the exports waiting, one after the
 * other. The org_exports table is the queue: nothing is lost with Redis, and an export whose worker
 * died is taken again when its lease runs out.
 */
@Injectable()
export class OrgExportsJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    private readonly exporter: OrgExporter,
    config: AppConfig,
  ) {
    this.task = new PeriodicTask('OrgExports', config.ORG_EXPORTS_POLL_MS, async () => {
      await exporter.expireDue();
      while (await exporter.runNext());
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  /** Before the database closes: the export being made goes back to the queue for the next worker. */
  async beforeApplicationShutdown(): Promise<void> {
    this.task.stop();
    await this.exporter.stop();
  }
}
