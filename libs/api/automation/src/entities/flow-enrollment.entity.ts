import { Contact } from '@parley/api/contacts';
import { OrgOwnedEntity } from '@parley/api/organizations';
import { PhoneNumber } from '@parley/api/waba-accounts';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { Flow } from './flow.entity';

export const ENROLLMENT_STATUSES = ['active', 'completed', 'exited'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/**
 * One contact going through a flow. The state lives here; Bull's delayed jobs only wake it up, so
 * a restart (or a lost job) loses nothing: the sweeper re-queues whatever is due. `seq` grows on
 * every move, and a job carries the `seq` it was made for: a stale or repeated job does nothing.
 */
@Entity('flow_enrollments')
@Index(['flowId', 'contactId'], { unique: true, where: "status = 'active'" })
@Index(['contactId'], { where: "status = 'active'" })
@Index(['nextRunAt'], { where: "status = 'active'" })
@Index(['orgId', 'flowId', 'createdAt'])
export class FlowEnrollment extends OrgOwnedEntity {
  @Column({ type: 'uuid' })
  flowId!: string;

  @ManyToOne(() => Flow, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'flow_id' })
  flow?: Flow;

  @Column({ type: 'uuid' })
  contactId!: string;

  @ManyToOne(() => Contact, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id' })
  contact?: Contact;

  /** Our number the flow's messages go from. */
  @Column({ type: 'uuid' })
  phoneNumberId!: string;

  @ManyToOne(() => PhoneNumber, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'phone_number_id' })
  phoneNumber?: PhoneNumber;

  /** What enrolled the contact: `rule:<id>`, `campaign:<id>` or `api`. */
  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'text', default: 'active' })
  status!: EnrollmentStatus;

  /** The step to run (or being waited on). */
  @Column({ type: 'integer', default: 0 })
  step!: number;

  @Column({ type: 'integer', default: 0 })
  seq!: number;

  /** When the worker should next move it: now, after a wait, or when a reply wait times out. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  nextRunAt!: Date | null;

  /** A `wait_for_reply` step is waiting: a reply branches instead of ending the flow. */
  @Column({ type: 'boolean', default: false })
  awaitingReply!: boolean;

  /** `completed`, or why it was left: `replied`, `opted_out`, `resolved`, `flow_deleted`, `send_failed`, `loop`. */
  @Column({ type: 'text', nullable: true })
  exitReason!: string | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
