import { OrgOwnedEntity } from '@parley/api/organizations';
import { PhoneNumber } from '@parley/api/waba-accounts';
import type { MediaType } from '@parley/whatsapp/cloud-api';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';

export const MEDIA_STATUSES = ['pending', 'stored', 'failed'] as const;
export type MediaStatus = (typeof MEDIA_STATUSES)[number];

/**
 * A media file: uploaded by an agent or partner to be sent, or sent by a customer and downloaded
 * from Meta. The bytes live in the configured storage under `storageKey`; the row is what we know.
 */
@Entity('media')
@Index(['orgId', 'createdAt', 'id'])
@Index(['createdAt'], { where: "status = 'pending'" })
export class Media extends OrgOwnedEntity {
  /** image, video, audio, document or sticker. */
  @Column({ type: 'text' })
  kind!: MediaType;

  @Column({ type: 'text' })
  mimeType!: string;

  /** Null until an inbound file is downloaded. */
  @Column({ type: 'integer', nullable: true })
  sizeBytes!: number | null;

  /** SHA-256 of the bytes, base64 (as Meta reports it). */
  @Column({ type: 'text', nullable: true })
  sha256!: string | null;

  @Column({ type: 'text', nullable: true })
  filename!: string | null;

  /** Where the bytes are in storage; null while an inbound file is not downloaded yet. */
  @Column({ type: 'text', nullable: true })
  storageKey!: string | null;

  /** `pending` (inbound, not downloaded yet), `stored`, or `failed` (see `error`). */
  @Column({ type: 'text', default: 'stored' })
  status!: MediaStatus;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** Meta's id for the file: from the customer's webhook, or from our upload to Meta. */
  @Column({ type: 'text', nullable: true })
  waMediaId!: string | null;

  /** Our business number Meta's id belongs to (uploads are per number). */
  @Column({ type: 'uuid', nullable: true })
  phoneNumberId!: string | null;

  @ManyToOne(() => PhoneNumber, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'phone_number_id' })
  phoneNumber?: PhoneNumber | null;

  /** When we uploaded it to Meta (Meta keeps uploads 30 days). */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  waUploadedAt!: Date | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
