import { Module } from '@nestjs/common';
import { AuthModule } from '@parley/api/auth';
import { CoreModule, MailJobsModule } from '@parley/api/core';
import { OrganizationsModule } from '@parley/api/organizations';
import { WebhooksJobsModule } from '@parley/api/webhooks';
import { SCHEMA } from './database/schema';
import { HousekeepingJob } from './housekeeping/housekeeping.job';

/** The worker: Bull processors only, no HTTP. */
@Module({
  imports: [CoreModule.forRoot(SCHEMA), MailJobsModule, AuthModule, OrganizationsModule, WebhooksJobsModule],
  providers: [HousekeepingJob],
})
export class WorkerModule {}
