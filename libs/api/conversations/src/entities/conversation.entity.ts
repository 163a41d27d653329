import { Contact } from '@parley/api/contacts';
import { OrgOwnedEntity } from '@parley/api/organizations';
import { User } from '@parley/api/users';
import { PhoneNumber } from '@parley/api/waba-accounts';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';

export const CONVERSATION_STATUSES = ['open', 'pending', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** A thread between one contact and one business number. At most one is unresolved per pair. */
@Entity('conversations')
@Index(['phoneNumberId', 'contactId'], { unique: true, where: `status <> 'resolved'` })
@Index(['orgId', 'lastMessageAt', 'id'])
@Index(['orgId', 'status', 'lastMessageAt', 'id'])
@Index(['orgId', 'assigneeId', 'lastMessageAt', 'id'])
@Index(['contactId'])
// Analytics: opened and resolved by time, made by hand in the AnalyticsIndexes migration.
@Index('conversations_org_created_at', { synchronize: false })
@Index('conversations_org_resolved_at', { synchronize: false })
export class Conversation extends OrgOwnedEntity {
  @Column({ type: 'uuid' })
  contactId!: string;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id' })
  contact?: Contact;

  /** Our phone number row (not Meta's id). */
  @Column({ type: 'uuid' })
  phoneNumberId!: string;

  @ManyToOne(() => PhoneNumber, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'phone_number_id' })
  phoneNumber?: PhoneNumber;

  @Column({ type: 'enum', enum: CONVERSATION_STATUSES, enumName: 'conversation_status', default: 'open' })
  status!: ConversationStatus;

  @Column({ type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assignee_id' })
  assignee?: User | null;

  @Column({ type: 'integer', default: 0 })
  unreadCount!: number;

  /** The latest activity: the inbox sorts and pages by it. */
  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  lastMessageAt!: Date;

  @Column({ type: 'text', nullable: true })
  lastMessagePreview!: string | null;

  /** The customer's last message here: the 24-hour window runs from it. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastInboundAt!: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt!: Date | null;

  /**
   * The customer's first message here, the first reply after it (by a person, automation or the
   * API; campaign sends are broadcasts, not replies) and who sent that reply: first-response times.
   * Kept by a trigger on messages (migration AnalyticsRollups), so every way a message is stored counts.
   */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  firstInboundAt!: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  firstResponseAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  firstResponderId!: string | null;

  /** Whether automation still answers here: false once handed off to a person, until the conversation is resolved. */
  @Column({ type: 'boolean', default: true })
  botActive!: boolean;

  /** The AI's reading of the whole conversation (after a few messages, and on resolve); null before. */
  @Column({ type: 'jsonb', nullable: true })
  ai!: ConversationInsights | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** What AI triage read in a whole conversation. */
export interface ConversationInsights {
  summary: string;
  priority: Priority;
  suggestedTags: string[];
  /** 0..100: how likely this customer is to buy. */
  leadScore: number;
}
