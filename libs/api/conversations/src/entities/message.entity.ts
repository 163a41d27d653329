import type { JsonObject } from '@parley/api/core';
import { Media } from '@parley/api/media';
import { OrgOwnedEntity } from '@parley/api/organizations';
import { User } from '@parley/api/users';
import { MESSAGE_STATUSES, MessageStatus } from '@parley/whatsapp/cloud-api';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Conversation } from './conversation.entity';

export const DIRECTIONS = ['inbound', 'outbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export interface Reaction {
  emoji: string;
  /** `contact` for the customer, or the user id of the agent. */
  by: string;
  at: string;
}

/**
 * What no index on messages names: the columns a delivery status changes (`status`, `sent_at`,
 * `delivered_at`, `read_at`). Each outbound message takes two or three statuses, so their updates
 * must stay HOT (heap-only: no new entry in any of the table's indexes, migration HotDeliveryUpdates).
 * The indexes that need "queued" or "failed" say it through columns that change once instead:
 * a message is failed exactly when it has an `error_title`, and queued (or retrying) while it has
 * neither Meta's id nor an error.
 */
export const UNSENT_SQL = 'wa_message_id IS NULL AND error_title IS NULL';
export const FAILED_SQL = 'error_title IS NOT NULL';

/**
 * One WhatsApp message, either way. Meta's id is unique per business number, which is what makes
 * a webhook delivered three times store one message.
 */
@Entity('messages')
@Index(['phoneNumberId', 'waMessageId'], { unique: true, where: 'wa_message_id IS NOT NULL' })
@Index(['conversationId', 'createdAt', 'id'])
@Index(['orgId', 'createdAt', 'id'])
@Index(['orgId', 'idempotencyKey'], { unique: true, where: 'idempotency_key IS NOT NULL' })
@Index('messages_unsent_created_at', ['createdAt'], { where: UNSENT_SQL })
@Index(['mediaId'], { where: 'media_id IS NOT NULL' })
@Index('messages_unsent_campaign_id', ['campaignId'], { where: `campaign_id IS NOT NULL AND ${UNSENT_SQL}` })
// Analytics: by org and time (INCLUDE columns for index-only scans), and each conversation's first message
// each way; made by hand in the AnalyticsIndexes migration, without `status` since HotDeliveryUpdates.
@Index('messages_org_occurred_at', { synchronize: false })
@Index('messages_org_failed_at', { synchronize: false })
@Index('messages_org_analysed_at', { synchronize: false })
@Index('messages_org_template_at', { synchronize: false })
@Index('messages_conversation_direction_occurred_at', { synchronize: false })
// AI triage's sweeper: recent customer messages not read yet; made by hand in the AiSettings migration.
@Index('messages_untriaged_inbound', { synchronize: false })
export class Message extends OrgOwnedEntity {
  @Column({ type: 'uuid' })
  conversationId!: string;

  @ManyToOne(() => Conversation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id' })
  conversation?: Conversation;

  @Column({ type: 'uuid' })
  contactId!: string;

  /** Our phone number row. */
  @Column({ type: 'uuid' })
  phoneNumberId!: string;

  @Column({ type: 'enum', enum: DIRECTIONS, enumName: 'message_direction' })
  direction!: Direction;

  /** Meta's type: text, image, interactive, template, reaction... */
  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'enum', enum: MESSAGE_STATUSES, enumName: 'message_status' })
  status!: MessageStatus;

  @Column({ type: 'text', nullable: true })
  waMessageId!: string | null;

  /** A readable rendering of any type, for lists, previews and search. */
  @Column({ type: 'text', default: '' })
  body!: string;

  /** Meta's message object as received or sent. */
  @Column({ type: 'jsonb' })
  payload!: JsonObject;

  /** Meta's id of the message this one replies to, and ours when we have it. */
  @Column({ type: 'text', nullable: true })
  contextWaMessageId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  contextMessageId!: string | null;

  /** Reactions on this message (WhatsApp allows one per person). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  reactions!: Reaction[];

  @Column({ type: 'integer', nullable: true })
  errorCode!: number | null;

  /** Set exactly when the message failed (never for another status: indexes rely on it, see `FAILED_SQL`). */
  @Column({ type: 'text', nullable: true })
  errorTitle!: string | null;

  /** When it happened at WhatsApp (the customer sent it, or Meta accepted it). */
  @Column({ type: 'timestamptz', precision: 3 })
  occurredAt!: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  deliveredAt!: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  readAt!: Date | null;

  /** The file of a media message: downloaded from Meta (inbound) or uploaded by us (outbound). */
  @Column({ type: 'uuid', nullable: true })
  mediaId!: string | null;

  @ManyToOne(() => Media, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'media_id' })
  media?: Media | null;

  /** The member who sent an outbound message; null for API keys and automation. */
  @Column({ type: 'uuid', nullable: true })
  senderId!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'sender_id' })
  sender?: User | null;

  /** The caller's `Idempotency-Key` for this send, and a hash of the request it came with. */
  @Column({ type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ type: 'text', nullable: true })
  requestHash!: string | null;

  /** Calls to Meta made for this outbound message so far. */
  @Column({ type: 'integer', default: 0 })
  sendAttempts!: number;

  /**
   * Set while a worker is talking to Meta about this message: if the worker dies (or the call times
   * out) the outcome is unknown, and nothing sends it again until Meta's webhooks had time to tell.
   */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  sendingAt!: Date | null;

  /** The AI's reading of an inbound message, once triage ran; null before (and for outbound). */
  @Column({ type: 'jsonb', nullable: true })
  ai!: MessageInsights | null;

  /** The campaign that sent it (its recipient row points back here). */
  @Column({ type: 'uuid', nullable: true })
  campaignId!: string | null;
}

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

/** What AI triage read in one customer message. */
export interface MessageInsights {
  sentiment: Sentiment;
  /** One of the org's intent labels. */
  intent: string;
  /** ISO 639-1 code, such as `pt`; `und` when unsure. */
  language: string;
}
