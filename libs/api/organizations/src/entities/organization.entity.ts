import type { BusinessHours } from '../business-hours';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A tenant: every org-owned row elsewhere carries its id. */
@Entity('organizations')
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Words that opt a contact out when sent alone (any language); null: the built-in list. */
  @Column({ type: 'text', array: true, nullable: true })
  optOutKeywords!: string[] | null;

  /** Words that opt a contact back in; null: the built-in list. */
  @Column({ type: 'text', array: true, nullable: true })
  optInKeywords!: string[] | null;

  /** The confirmations sent back; null: the built-in wording. */
  @Column({ type: 'text', nullable: true })
  optOutReply!: string | null;

  @Column({ type: 'text', nullable: true })
  optInReply!: string | null;

  /** IANA zone the org works in: business hours and analytics days are read in it. */
  @Column({ type: 'text', default: 'UTC' })
  timezone!: string;

  /** When the team answers (automation's "outside business hours"); null: always open. */
  @Column({ type: 'jsonb', nullable: true })
  businessHours!: BusinessHours | null;

  /** Days message bodies and files are kept (then cleared nightly, audited); null: kept for ever. */
  @Column({ type: 'integer', nullable: true })
  messageRetentionDays!: number | null;

  /** When the nightly retention pass last ran for the org. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  retentionRanAt!: Date | null;

  /** Messages created before this were cleared: the next pass starts here. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  retentionAppliedUntil!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
