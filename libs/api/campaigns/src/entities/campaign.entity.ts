import { OrgOwnedEntity } from '@parley/api/organizations';
import { Template } from '@parley/api/templates';
import { PhoneNumber } from '@parley/api/waba-accounts';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';

export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
  'failed',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Contact fields a template parameter can take its value from. */
export const CONTACT_FIELDS = ['name', 'first_name', 'phone'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** Where one template parameter's value comes from, per recipient. */
export type ParameterSource =
  | { source: 'contact'; field: ContactField; fallback?: string }
  | { source: 'attribute'; key: string; fallback?: string }
  | { source: 'text'; value: string };

export const ATTRIBUTE_OPERATORS = ['eq', 'neq', 'contains', 'exists', 'not_exists'] as const;
export type AttributeOperator = (typeof ATTRIBUTE_OPERATORS)[number];

/** Who a campaign goes to. Every condition given must hold; no condition at all means every contact. */
export interface Audience {
  tags?: { any?: string[]; all?: string[]; none?: string[] };
  attributes?: { key: string; op: AttributeOperator; value?: string }[];
  /** An explicit list of contacts. */
  contactIds?: string[];
  /** An explicit list of phone numbers (E.164), such as a CSV's column; numbers of no contact are skipped. */
  phones?: string[];
}

/**
 * A bulk send of one approved template to an audience, at the number's throughput. Launching
 * snapshots the audience into `campaign_recipients`; the worker drains them.
 */
@Entity('campaigns')
@Index(['orgId', 'createdAt', 'id'])
@Index(['scheduledAt'], { where: "status = 'scheduled'" })
@Index(['status'], { where: "status = 'running'" })
@Index('campaigns_org_reply_flow', ['orgId'], { where: 'reply_flow_id IS NOT NULL' })
export class Campaign extends OrgOwnedEntity {
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'enum', enum: CAMPAIGN_STATUSES, enumName: 'campaign_status', default: 'draft' })
  status!: CampaignStatus;

  /** Why the campaign is paused or failed when the platform did it (the template was paused by Meta...). */
  @Column({ type: 'text', nullable: true })
  statusReason!: string | null;

  /** Our phone number row the campaign sends from. */
  @Column({ type: 'uuid' })
  phoneNumberId!: string;

  @ManyToOne(() => PhoneNumber, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'phone_number_id' })
  phoneNumber?: PhoneNumber;

  /** The template (one name in one language) on the number's account. */
  @Column({ type: 'uuid' })
  templateId!: string;

  @ManyToOne(() => Template, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'template_id' })
  template?: Template;

  /** Template parameter key (`body.1`, `header.1`, `button.0`) → where its value comes from. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  parameters!: Record<string, ParameterSource>;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  audience!: Audience;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  scheduledAt!: Date | null;

  /** The IANA time zone the schedule was chosen in, to show it back as the user wrote it. */
  @Column({ type: 'text', nullable: true })
  timezone!: string | null;

  /** A drip flow that a recipient who replies (within 72 hours of the campaign's message) goes through. */
  @Column({ type: 'uuid', nullable: true })
  replyFlowId!: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  completedAt!: Date | null;

  /** Phone numbers of an explicit audience that matched no contact (counted as skipped). */
  @Column({ type: 'integer', default: 0 })
  unmatchedCount!: number;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
