import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { SecretBox, URL_GUARD_PROVIDER } from '@parley/api/core';
import { WebhookDeliveryAttempt } from './entities/webhook-delivery-attempt.entity';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookSubscription } from './entities/webhook-subscription.entity';
import { WebhookDeliveryJob } from './webhook-delivery.job';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

/** Partners' webhook subscriptions and delivery logs (api). Events are recorded with `emitPartnerEvent`. */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookSubscription, WebhookDelivery, WebhookDeliveryAttempt]), AuditModule],
  controllers: [WebhookSubscriptionsController],
  providers: [WebhookSubscriptionsService, SecretBox, URL_GUARD_PROVIDER],
})
export class PartnerWebhooksModule {}

/** The worker's side: delivers what is due. */
@Module({
  imports: [AuditModule],
  providers: [WebhookDispatcher, WebhookDeliveryJob, SecretBox, URL_GUARD_PROVIDER],
  exports: [WebhookDispatcher],
})
export class PartnerWebhooksJobsModule {}
