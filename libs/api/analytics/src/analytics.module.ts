import { Module } from '@nestjs/common';
import { CampaignsModule } from '@parley/api/campaigns';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';

/** Read-only reports over the org's messages, conversations, contacts, templates and campaigns. */
@Module({
  imports: [CampaignsModule],
  controllers: [AnalyticsController],
  providers: [AnalyticsService],
  exports: [AnalyticsService],
})
export class AnalyticsModule {}
