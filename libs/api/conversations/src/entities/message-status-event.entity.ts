import type { JsonObject } from '@parley/api/core';
import { Organization } from '@parley/api/organizations';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Every status Meta reported for an outbound message, once each: the history behind the ticks,
 * kept by Meta's message id so a status that beats our own record of the send is not lost.
 */
@Entity('message_status_events')
@Index(['phoneNumberId', 'waMessageId', 'status'], { unique: true })
@Index(['orgId', 'id'])
export class MessageStatusEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  orgId!: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id' })
  org?: Organization;

  /** Our phone number row. */
  @Column({ type: 'uuid' })
  phoneNumberId!: string;

  @Column({ type: 'text' })
  waMessageId!: string;

  /** sent, delivered, read, played or failed. */
  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'timestamptz', precision: 3 })
  occurredAt!: Date;

  @Column({ type: 'jsonb', nullable: true })
  pricing!: JsonObject | null;

  @Column({ type: 'jsonb', nullable: true })
  errors!: { code: number; title: string; details: string | null }[] | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
