import { Module } from '@nestjs/common';
import { AuthModule } from '@parley/api/auth';
import { ConfigModule, DatabaseModule, MailJobsModule, QueueModule, RedisModule, RequestContextModule } from '@parley/api/core';
import { OrganizationsModule } from '@parley/api/organizations';
import { SCHEMA } from './database/schema';
import { HousekeepingJob } from './housekeeping/housekeeping.job';

/** The worker: Bull processors only, no HTTP. */
@Module({
  imports: [
    ConfigModule,
    RequestContextModule,
    DatabaseModule.forRoot(SCHEMA),
    RedisModule,
    QueueModule,
    MailJobsModule,
    AuthModule,
    OrganizationsModule,
  ],
  providers: [HousekeepingJob],
})
export class WorkerModule {}
