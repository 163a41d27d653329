import { OrgOwnedEntity } from '@parley/api/organizations';
import { Column, Entity, Index, UpdateDateColumn } from 'typeorm';

export const WABA_ACCOUNT_STATUSES = ['active', 'disabled'] as const;
export type WabaAccountStatus = (typeof WABA_ACCOUNT_STATUSES)[number];

/**
 * A WhatsApp Business Account connected through a Meta app. The app secret (webhook signatures)
 * and access token (Graph API calls) are AES-256-GCM sealed, bound to this row and column.
 */
@Entity('waba_accounts')
@Index(['orgId', 'createdAt', 'id'])
export class WabaAccount extends OrgOwnedEntity {
  @Column({ type: 'text' })
  name!: string;

  /** Meta's WABA id; one org owns a WABA. */
  @Column({ type: 'text', unique: true })
  wabaId!: string;

  @Column({ type: 'text' })
  appId!: string;

  @Column({ type: 'text' })
  appSecretEncrypted!: string;

  @Column({ type: 'text' })
  accessTokenEncrypted!: string;

  /** The token's last four characters (long tokens only), so admins can tell tokens apart without decrypting. */
  @Column({ type: 'text', default: '' })
  accessTokenHint!: string;

  /** Echoed to Meta's verification GET; shown to admins so they can paste it into the App Dashboard. */
  @Column({ type: 'text' })
  verifyToken!: string;

  @Column({ type: 'text' })
  graphApiVersion!: string;

  @Column({ type: 'text', default: 'active' })
  status!: WabaAccountStatus;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
