import type { JsonObject } from '@parley/api/core';
import { Organization } from '@parley/api/organizations';
import { WabaAccount } from '@parley/api/waba-accounts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export const WEBHOOK_EVENT_STATUSES = ['pending', 'processed', 'failed', 'dead'] as const;
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

/**
 * One webhook POST from Meta, stored as received before anything else happens (the transactional
 * outbox of the inbound path): processed by the worker, retried while `failed`, `dead` after the
 * last try, replayable.
 */
@Entity('webhook_events')
@Index(['status', 'id'])
@Index(['orgId', 'id'])
@Index(['orgId', 'status', 'id'])
export class WebhookEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  orgId!: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id' })
  org?: Organization;

  @Column({ type: 'uuid' })
  wabaAccountId!: string;

  @ManyToOne(() => WabaAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'waba_account_id' })
  wabaAccount?: WabaAccount;

  @Column({ type: 'text', default: 'pending' })
  status!: WebhookEventStatus;

  @Column({ type: 'jsonb' })
  payload!: JsonObject;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  receivedAt!: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  processedAt!: Date | null;
}
