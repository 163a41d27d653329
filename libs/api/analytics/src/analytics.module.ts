import { Module } from '@nestjs/common';
import { CampaignsModule } from '@parley/api/campaigns';
import { AnalyticsRollup } from './analytics-rollup';
import { AnalyticsRollupJob } from './analytics-rollup.job';
import { AnalyticsController } from './analytics.controller';
import { PgTimeZones } from './time-zones';
import { AnalyticsService } from './analytics.service';

/** Read-only reports over the org's messages, conversations, contacts, templates and campaigns. */
@Module({
  imports: [CampaignsModule],
  controllers: [AnalyticsController],
  providers: [AnalyticsService, PgTimeZones],
  exports: [AnalyticsService],
})
export class AnalyticsModule {}

/** The worker's side: counts changed days into `message_stats_daily` every few seconds. */
@Module({
  providers: [AnalyticsRollup, AnalyticsRollupJob, PgTimeZones],
  exports: [AnalyticsRollup],
})
export class AnalyticsJobsModule {}
