import type { PartnerEvent } from '@parley/api/core';
import { OrgOwnedEntity } from '@parley/api/organizations';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { WebhookSubscription } from './webhook-subscription.entity';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event for one subscription, written in the transaction that caused the event
 * (`emitPartnerEvent`) and delivered by the worker. `pending` rows are due at `next_attempt_at`; a
 * worker taking one pushes that time a lease ahead, so a crashed attempt is tried again after it.
 */
@Entity('webhook_deliveries')
@Index(['subscriptionId', 'createdAt', 'id'])
@Index(['nextAttemptAt'], { where: "status = 'pending'" })
export class WebhookDelivery extends OrgOwnedEntity {
  @Column({ type: 'uuid' })
  subscriptionId!: string;

  @ManyToOne(() => WebhookSubscription, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: WebhookSubscription;

  /** The event's id: the same for every subscription and on redelivery. */
  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  eventType!: string;

  /** The exact body sent. */
  @Column({ type: 'jsonb' })
  payload!: PartnerEvent;

  @Column({ type: 'enum', enum: DELIVERY_STATUSES, enumName: 'webhook_delivery_status', default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', precision: 3, nullable: true, default: () => 'now()' })
  nextAttemptAt!: Date | null;

  @Column({ type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'integer', nullable: true })
  lastLatencyMs!: number | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  deliveredAt!: Date | null;
}
