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

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
