import { OrgOwnedEntity } from '@parley/api/organizations';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { WabaAccount } from './waba-account.entity';

export const QUALITY_RATINGS = ['GREEN', 'YELLOW', 'RED', 'NA', 'UNKNOWN'] as const;
export type QualityRating = (typeof QUALITY_RATINGS)[number];

/** Meta's default throughput per business number (messages per second); numbers can be raised to 1,000. */
export const DEFAULT_THROUGHPUT_MPS = 80;

/** A business phone number registered under a WABA; `phoneNumberId` is Meta's id and unique platform-wide. */
@Entity('phone_numbers')
@Index(['wabaAccountId', 'createdAt', 'id'])
@Index(['orgId'])
export class PhoneNumber extends OrgOwnedEntity {
  @Column({ type: 'uuid' })
  wabaAccountId!: string;

  @ManyToOne(() => WabaAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'waba_account_id' })
  wabaAccount?: WabaAccount;

  @Column({ type: 'text', unique: true })
  phoneNumberId!: string;

  @Column({ type: 'text' })
  displayPhoneNumber!: string;

  @Column({ type: 'text', nullable: true })
  verifiedName!: string | null;

  @Column({ type: 'text', default: 'UNKNOWN' })
  qualityRating!: QualityRating;

  @Column({ type: 'integer', default: DEFAULT_THROUGHPUT_MPS })
  throughputMps!: number;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
