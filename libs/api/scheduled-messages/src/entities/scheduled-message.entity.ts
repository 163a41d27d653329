import { Contact } from '@parley/api/contacts';
import type { JsonObject } from '@parley/api/core';
import { OrgOwnedEntity } from '@parley/api/organizations';
import { User } from '@parley/api/users';
import { PhoneNumber } from '@parley/api/waba-accounts';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';

export const SCHEDULED_MESSAGE_STATUSES = ['scheduled', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type ScheduledMessageStatus = (typeof SCHEDULED_MESSAGE_STATUSES)[number];

/**
 * A template send to one contact at a set time. The worker claims it when due (`sending`), hands it
 * to the outbound path with the idempotency key `scheduled:<id>`, and records the message it made.
 */
@Entity('scheduled_messages')
// The worker's due scan, every second: only rows still waiting are in it.
@Index(['scheduledAt'], { where: "status = 'scheduled'" })
// Rows a dead worker left `sending` (updated_at is when it claimed them).
@Index(['updatedAt'], { where: "status = 'sending'" })
// The lists: the org's, and a contact's (which the contact's deletion cascades through too).
@Index(['orgId', 'scheduledAt', 'id'])
@Index(['contactId', 'scheduledAt', 'id'])
export class ScheduledMessage extends OrgOwnedEntity {
  @Column({ type: 'uuid' })
  contactId!: string;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id' })
  contact?: Contact;

  /** Our phone number row it goes from. */
  @Column({ type: 'uuid' })
  phoneNumberId!: string;

  @ManyToOne(() => PhoneNumber, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'phone_number_id' })
  phoneNumber?: PhoneNumber;

  /** Meta's template send object: `{ name, language: { code }, components? }`. */
  @Column({ type: 'jsonb' })
  template!: JsonObject;

  @Column({ type: 'timestamptz', precision: 3 })
  scheduledAt!: Date;

  @Column({
    type: 'enum',
    enum: SCHEDULED_MESSAGE_STATUSES,
    enumName: 'scheduled_message_status',
    default: 'scheduled',
  })
  status!: ScheduledMessageStatus;

  /**
   * The message the send made. No foreign key: messages go only with their contact or org, and
   * this row goes with them, so the key would only add a lookup to every message deletion.
   */
  @Column({ type: 'uuid', nullable: true })
  messageId!: string | null;

  /** Why the send was refused (the domain error's code and message), when `failed`. */
  @Column({ type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ type: 'text', nullable: true })
  errorMessage!: string | null;

  /** The member who scheduled it (the message's sender); null for API keys and former members. */
  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by' })
  creator?: User | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
