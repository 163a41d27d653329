import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { ConversationsModule } from '@parley/api/conversations';
import { TemplatesModule } from '@parley/api/templates';
import { WabaAccountsModule } from '@parley/api/waba-accounts';
import { CampaignDispatcher } from './campaign-dispatcher';
import { CampaignStats } from './campaign-stats';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { CampaignRecipient } from './entities/campaign-recipient.entity';
import { Campaign } from './entities/campaign.entity';
import { CampaignsJob } from './jobs/campaigns.job';

@Module({
  imports: [TypeOrmModule.forFeature([Campaign, CampaignRecipient]), WabaAccountsModule, TemplatesModule, AuditModule],
  controllers: [CampaignsController],
  providers: [CampaignsService, CampaignStats],
  exports: [CampaignsService, CampaignStats],
})
export class CampaignsModule {}

/** Worker side: starts due campaigns and drains running ones into the outbound path. */
@Module({
  imports: [CampaignsModule, ConversationsModule],
  providers: [CampaignDispatcher, CampaignsJob],
})
export class CampaignsJobsModule {}
