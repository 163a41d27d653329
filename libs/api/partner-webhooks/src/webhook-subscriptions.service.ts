import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService, diff } from '@parley/api/audit';
import {
  DomainError,
  ErrorCode,
  OrgScopedRepository,
  Page,
  pageByCreatedAt,
  type PartnerEvent,
  randomToken,
  SecretBox,
  UnsafeWebhookTarget,
  UrlGuard,
} from '@parley/api/core';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import type {
  CreateWebhookSubscriptionDto,
  UpdateWebhookSubscriptionDto,
  WebhookDeliveriesQuery,
} from './dto/webhook-subscription.dto';
import { WebhookDeliveryAttempt } from './entities/webhook-delivery-attempt.entity';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookSubscription } from './entities/webhook-subscription.entity';

const SECRET_PREFIX = 'whsec_';

/** Partners' webhook subscriptions, their secrets and their delivery logs. */
@Injectable()
export class WebhookSubscriptionsService {
  private readonly subscriptions: OrgScopedRepository<WebhookSubscription>;
  private readonly deliveries: OrgScopedRepository<WebhookDelivery>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WebhookSubscription) subscriptions: Repository<WebhookSubscription>,
    @InjectRepository(WebhookDelivery) deliveries: Repository<WebhookDelivery>,
    private readonly secrets: SecretBox,
    private readonly guard: UrlGuard,
    private readonly audit: AuditService,
  ) {
    this.subscriptions = new OrgScopedRepository(subscriptions, 'Webhook subscription');
    this.deliveries = new OrgScopedRepository(deliveries, 'Webhook delivery');
  }

  /** Creates a subscription; the secret is returned here and never again. */
  async create(
    orgId: string,
    input: CreateWebhookSubscriptionDto,
    createdById: string | null,
  ): Promise<{ subscription: WebhookSubscription; secret: string }> {
    await this.checkUrl(input.url);
    const id = randomUUID();
    const secret = SECRET_PREFIX + randomToken(32);
    const subscription = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(WebhookSubscription, {
          id,
          orgId,
          url: input.url,
          events: input.events,
          description: input.description ?? null,
          enabled: input.enabled ?? true,
          disabledReason: input.enabled === false ? 'disabled' : null,
          secretSealed: this.secrets.encrypt(secret, id),
          createdById,
        }),
      );
      await this.audit.record(manager, {
        orgId,
        action: 'webhook_subscription.created',
        targetType: 'webhook_subscription',
        targetId: id,
        changes: { after: { url: saved.url, events: saved.events, enabled: saved.enabled } },
      });
      return saved;
    });
    return { subscription, secret };
  }

  list(orgId: string, query: { limit?: number; cursor?: string }): Promise<Page<WebhookSubscription>> {
    return pageByCreatedAt(this.subscriptions.query(orgId, 'subscription'), query);
  }

  get(orgId: string, id: string): Promise<WebhookSubscription> {
    return this.subscriptions.get(orgId, id);
  }

  async update(orgId: string, id: string, input: UpdateWebhookSubscriptionDto): Promise<WebhookSubscription> {
    if (input.url !== undefined) await this.checkUrl(input.url);
    return this.dataSource.transaction(async (manager) => {
      const repository = this.subscriptions.in(manager);
      const subscription = await repository.get(orgId, id, { lock: 'pessimistic_write' });
      const before = { url: subscription.url, events: subscription.events.join(','), enabled: subscription.enabled };
      if (input.url !== undefined) subscription.url = input.url;
      if (input.events !== undefined) subscription.events = input.events;
      if (input.description !== undefined) subscription.description = input.description;
      if (input.enabled !== undefined && input.enabled !== subscription.enabled) {
        subscription.enabled = input.enabled;
        subscription.disabledReason = input.enabled ? null : 'disabled';
        // Switched back on: it starts over.
        if (input.enabled) subscription.failureStreak = 0;
      }
      const saved = await manager.save(subscription);
      const changes = diff(before, { url: saved.url, events: saved.events.join(','), enabled: saved.enabled });
      if (changes)
        await this.audit.record(manager, {
          orgId,
          action: 'webhook_subscription.updated',
          targetType: 'webhook_subscription',
          targetId: id,
          changes,
        });
      return saved;
    });
  }

  async remove(orgId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const subscription = await this.subscriptions.in(manager).get(orgId, id);
      await manager.remove(subscription);
      await this.audit.record(manager, {
        orgId,
        action: 'webhook_subscription.deleted',
        targetType: 'webhook_subscription',
        targetId: id,
        changes: { before: { url: subscription.url, events: subscription.events } },
      });
    });
  }

  /** A new secret, at once in force; returned here and never again. */
  async rotateSecret(orgId: string, id: string): Promise<string> {
    const secret = SECRET_PREFIX + randomToken(32);
    await this.dataSource.transaction(async (manager) => {
      await this.subscriptions.in(manager).get(orgId, id, { lock: 'pessimistic_write' });
      await manager.update(WebhookSubscription, { id, orgId }, { secretSealed: this.secrets.encrypt(secret, id) });
      await this.audit.record(manager, {
        orgId,
        action: 'webhook_subscription.secret_rotated',
        targetType: 'webhook_subscription',
        targetId: id,
      });
    });
    return secret;
  }

  /** Queues a `webhook.test` event for this subscription alone (even a disabled one, to check it before switching it on). */
  async test(orgId: string, id: string): Promise<WebhookDelivery> {
    const subscription = await this.get(orgId, id);
    const event: PartnerEvent<{ subscriptionId: string }> = {
      id: randomUUID(),
      type: 'webhook.test',
      orgId,
      createdAt: new Date().toISOString(),
      data: { subscriptionId: subscription.id },
    };
    return this.dataSource.getRepository(WebhookDelivery).save({
      orgId,
      subscriptionId: subscription.id,
      eventId: event.id,
      eventType: event.type,
      payload: event,
    });
  }

  async listDeliveries(
    orgId: string,
    subscriptionId: string,
    query: WebhookDeliveriesQuery,
  ): Promise<Page<WebhookDelivery>> {
    await this.get(orgId, subscriptionId);
    const qb = this.deliveries
      .query(orgId, 'delivery')
      .andWhere('delivery.subscriptionId = :subscriptionId', { subscriptionId });
    if (query.status) qb.andWhere('delivery.status = :status', { status: query.status });
    return pageByCreatedAt(qb, query);
  }

  async delivery(
    orgId: string,
    id: string,
  ): Promise<{ delivery: WebhookDelivery; attempts: WebhookDeliveryAttempt[] }> {
    const delivery = await this.deliveries.get(orgId, id);
    const attempts = await this.dataSource
      .getRepository(WebhookDeliveryAttempt)
      .find({ where: { orgId, deliveryId: id }, order: { attempt: 'ASC' } });
    return { delivery, attempts };
  }

  /** Sends a delivery's event again, as a new delivery with the same event id and body. */
  async redeliver(orgId: string, id: string): Promise<WebhookDelivery> {
    const original = await this.deliveries.get(orgId, id);
    const redelivery = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(WebhookDelivery, {
          orgId,
          subscriptionId: original.subscriptionId,
          eventId: original.eventId,
          eventType: original.eventType,
          payload: original.payload,
        }),
      );
      await this.audit.record(manager, {
        orgId,
        action: 'webhook_delivery.redelivered',
        targetType: 'webhook_delivery',
        targetId: saved.id,
        changes: { after: { redeliveryOf: original.id, eventId: original.eventId } },
      });
      return saved;
    });
    return redelivery;
  }

  private async checkUrl(url: string): Promise<void> {
    try {
      await this.guard.target(url);
    } catch (error) {
      if (error instanceof UnsafeWebhookTarget)
        throw DomainError.invalidField(ErrorCode.WebhookUrlRejected, 'url', error.message);
      throw error;
    }
  }
}
