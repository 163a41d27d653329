import { OrgOwnedEntity } from '@parley/api/organizations';
import { Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import type { AiProviderName, IntentLabel } from '../providers/provider';

/**
 * An org's AI triage settings; an org without a row uses the defaults (`DEFAULT_AI_SETTINGS`). The
 * API key is AES-256-GCM sealed, bound to this row and column.
 */
@Entity('ai_settings')
@Index(['orgId'], { unique: true })
export class AiSettings extends OrgOwnedEntity {
  @Column({ type: 'text', default: 'local' })
  provider!: AiProviderName;

  /** The remote provider's base URL (http or https); null for the provider's public one. */
  @Column({ type: 'text', nullable: true })
  baseUrl!: string | null;

  @Column({ type: 'text', nullable: true })
  model!: string | null;

  @Column({ type: 'text', nullable: true })
  apiKeyEncrypted!: string | null;

  /** The key's last four characters (long keys only), so admins can tell keys apart without decrypting. */
  @Column({ type: 'text', default: '' })
  apiKeyHint!: string;

  /** The intents messages are sorted into, in order of precedence, with keywords for the local provider. */
  @Column({ type: 'jsonb' })
  intents!: IntentLabel[];

  /** Whether customer messages and conversations are read as they come: off until an admin turns it on. */
  @Column({ type: 'boolean', default: false })
  autoTriage!: boolean;

  /** Calls to the remote provider per UTC day; past it, triage uses the local provider and auto-replies hand off. */
  @Column({ type: 'integer', default: 1000 })
  dailyBudget!: number;

  /** A conversation is summarized after every this many customer messages (and when resolved). */
  @Column({ type: 'integer', default: 5 })
  summaryAfter!: number;

  /** How long one call to the remote provider may take. */
  @Column({ type: 'integer', default: 20000 })
  timeoutMs!: number;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
