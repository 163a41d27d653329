import { OrgOwnedEntity } from '@parley/api/organizations';
import { Column, Entity, Index, UpdateDateColumn } from 'typeorm';

export const WABA_ACCOUNT_STATUSES = ['active', 'disabled'] as const;
export type WabaAccountStatus = (typeof WABA_ACCOUNT_STATUSES)[number];

/**
 * What the last check of the access token against Meta found: `expiring` is valid but ends within
 * TOKEN_EXPIRY_WARNING_DAYS; `invalid` is refused by Meta (expired, revoked) or lacks WhatsApp permissions.
 */
export const TOKEN_STATUSES = ['unchecked', 'valid', 'expiring', 'invalid'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

/**
 * Meta's messaging limit tiers: how many unique customers business-initiated messages may reach in
 * a rolling 24 hours (CLOUD-API.md §5.3).
 */
export const MESSAGING_LIMITS = {
  TIER_250: 250,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: null,
} as const;
export type MessagingLimitTier = keyof typeof MESSAGING_LIMITS;
export const MESSAGING_LIMIT_TIERS = Object.keys(MESSAGING_LIMITS) as MessagingLimitTier[];

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

  /** The business's messaging limit as Meta set it; campaigns stay within it. Null: unknown, not enforced here. */
  @Column({ type: 'text', nullable: true })
  messagingLimitTier!: MessagingLimitTier | null;

  @Column({ type: 'text', default: 'unchecked' })
  tokenStatus!: TokenStatus;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  tokenCheckedAt!: Date | null;

  /** When Meta says the token stops working; null: never (or unknown). */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  tokenExpiresAt!: Date | null;

  /** Why the token is not healthy, in Meta's words where it gave some. */
  @Column({ type: 'text', nullable: true })
  tokenProblem!: string | null;

  /** When the worker checks the token next (daily, sooner after a rotation or a failed check). */
  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  tokenCheckDueAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
