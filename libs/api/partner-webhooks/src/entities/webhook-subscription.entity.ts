import { OrgOwnedEntity } from '@parley/api/organizations';
import { User } from '@parley/api/users';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';

/** Where a partner wants the org's events sent, and which ones. */
@Entity('webhook_subscriptions')
@Index(['orgId', 'createdAt', 'id'])
export class WebhookSubscription extends OrgOwnedEntity {
  @Column({ type: 'text' })
  url!: string;

  /** Event types (PARTNER_EVENT_TYPES). */
  @Column({ type: 'text', array: true })
  events!: string[];

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** The signing secret, sealed with SecretBox (bound to the subscription id); shown once, on creation or rotation. */
  @Column({ type: 'text', select: false })
  secretSealed!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** Why it stopped: `failing` when deliveries failed too many times in a row, else `disabled` by a person. */
  @Column({ type: 'text', nullable: true })
  disabledReason!: string | null;

  /** Failed attempts since the last success. */
  @Column({ type: 'integer', default: 0 })
  failureStreak!: number;

  @Column({ type: 'uuid', nullable: true })
  createdById!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: User | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
