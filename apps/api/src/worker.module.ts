import { Module } from '@nestjs/common';
import { AiJobsModule } from '@parley/api/ai';
import { AnalyticsJobsModule } from '@parley/api/analytics';
import { AuthModule } from '@parley/api/auth';
import { AutomationJobsModule } from '@parley/api/automation';
import { CampaignsJobsModule } from '@parley/api/campaigns';
import { ConversationsJobsModule } from '@parley/api/conversations';
import { CoreModule, MailJobsModule } from '@parley/api/core';
import { MediaJobsModule } from '@parley/api/media';
import { OrgExportsJobsModule } from '@parley/api/org-exports';
import { OrganizationsModule } from '@parley/api/organizations';
import { PartnerWebhooksJobsModule } from '@parley/api/partner-webhooks';
import { PrivacyJobsModule } from '@parley/api/privacy';
import { ScheduledMessagesJobsModule } from '@parley/api/scheduled-messages';
import { WabaAccountsJobsModule } from '@parley/api/waba-accounts';
import { WebhooksJobsModule } from '@parley/api/webhooks';
import { SCHEMA } from './database/schema';
import { HousekeepingJob } from './housekeeping/housekeeping.job';

/** The worker: Bull processors only, no HTTP. */
@Module({
  imports: [
    CoreModule.forRoot(SCHEMA),
    MailJobsModule,
    AuthModule,
    OrganizationsModule,
    WebhooksJobsModule,
    ConversationsJobsModule,
    MediaJobsModule,
    ScheduledMessagesJobsModule,
    CampaignsJobsModule,
    AutomationJobsModule,
    AiJobsModule,
    AnalyticsJobsModule,
    PartnerWebhooksJobsModule,
    OrgExportsJobsModule,
    WabaAccountsJobsModule,
    PrivacyJobsModule,
  ],
  providers: [HousekeepingJob],
})
export class WorkerModule {}
