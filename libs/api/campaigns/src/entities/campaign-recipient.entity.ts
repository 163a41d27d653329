import { Contact } from '@parley/api/contacts';
import { Message } from '@parley/api/conversations';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Campaign } from './campaign.entity';

export const RECIPIENT_STATES = ['pending', 'skipped', 'queued', 'cancelled'] as const;
/** Where a recipient is in the campaign; once `queued`, its message's status says the rest. */
export type RecipientState = (typeof RECIPIENT_STATES)[number];

/**
 * One contact of a launched campaign, snapshotted at launch (unique per campaign and contact, so
 * nobody is targeted twice). The worker turns `pending` ones into messages, `queued` from then on.
 */
@Entity('campaign_recipients')
@Index(['campaignId', 'contactId'], { unique: true })
@Index(['campaignId', 'id'], { where: "state = 'pending'" })
@Index(['messageId'], { unique: true, where: 'message_id IS NOT NULL' })
export class CampaignRecipient {
  /** Ordered, so the worker drains in snapshot order and lists page by it. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  orgId!: string;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Campaign;

  @Column({ type: 'uuid' })
  contactId!: string;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id' })
  contact?: Contact;

  /** E.164, as it was at launch. */
  @Column({ type: 'text' })
  phone!: string;

  @Column({ type: 'enum', enum: RECIPIENT_STATES, enumName: 'campaign_recipient_state', default: 'pending' })
  state!: RecipientState;

  /** not_opted_in, opted_out, invalid_number, missing_parameter, erased. */
  @Column({ type: 'text', nullable: true })
  skipReason!: string | null;

  /** The template parameter values for this contact, by key (`body.1`...). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  parameters!: Record<string, string>;

  /** The message sent to this recipient, once queued. */
  @Column({ type: 'uuid', nullable: true })
  messageId!: string | null;

  @ManyToOne(() => Message, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'message_id' })
  message?: Message | null;
}
