import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AiModule } from '@parley/api/ai';
import { AuditModule } from '@parley/api/audit';
import { AutomationModule } from '@parley/api/automation';
import { ConversationsModule } from '@parley/api/conversations';
import { MediaModule } from '@parley/api/media';
import { TemplatesModule } from '@parley/api/templates';
import { WabaAccountsModule } from '@parley/api/waba-accounts';
import { WebhookEvent } from './entities/webhook-event.entity';
import { WebhookEventsJob } from './jobs/webhook-events.job';
import { WebhookEventsController, WhatsAppWebhookController } from './webhooks.controller';
import { WebhookEventsService } from './webhook-events.service';
import { WebhookIngestService } from './webhook-ingest.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEvent]),
    WabaAccountsModule,
    ConversationsModule,
    TemplatesModule,
    MediaModule,
    AuditModule,
    AutomationModule,
    AiModule,
  ],
  controllers: [WhatsAppWebhookController, WebhookEventsController],
  providers: [WebhookIngestService, WebhookEventsService],
  exports: [WebhookIngestService, WebhookEventsService],
})
export class WebhooksModule {}

/** Worker side: applies stored webhooks and runs the sweeper. */
@Module({ imports: [WebhooksModule], providers: [WebhookEventsJob] })
export class WebhooksJobsModule {}
