import type { JsonObject } from '@parley/api/core';
import { OrgOwnedEntity } from '@parley/api/organizations';
import { WabaAccount } from '@parley/api/waba-accounts';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** The status of a template written here and not yet submitted to Meta. */
export const DRAFT_STATUS = 'DRAFT';

/**
 * A message template of a WABA, one per name and language, as Meta holds it (synced, and kept
 * current by Meta's template webhooks), or a local draft. Only APPROVED templates can be sent.
 */
@Entity('templates')
@Index(['wabaAccountId', 'name', 'language'], { unique: true })
@Index(['orgId', 'createdAt', 'id'])
export class Template extends OrgOwnedEntity {
  @Column({ type: 'uuid' })
  wabaAccountId!: string;

  @ManyToOne(() => WabaAccount, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'waba_account_id' })
  wabaAccount?: WabaAccount;

  /** Meta's id; null for a local draft never submitted. */
  @Column({ type: 'text', nullable: true })
  metaTemplateId!: string | null;

  @Column({ type: 'text' })
  name!: string;

  /** Meta's language code, such as `en_US` or `pt_BR`. */
  @Column({ type: 'text' })
  language!: string;

  @Column({ type: 'text' })
  category!: string;

  /** `DRAFT` for a local draft never submitted; otherwise Meta's status: APPROVED, PENDING, REJECTED, PAUSED, DISABLED... */
  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text', default: 'POSITIONAL' })
  parameterFormat!: 'POSITIONAL' | 'NAMED';

  /** Meta's component definitions (HEADER, BODY, FOOTER, BUTTONS), as created. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  components!: JsonObject[];

  @Column({ type: 'text', nullable: true })
  rejectedReason!: string | null;

  /** GREEN, YELLOW, RED or UNKNOWN, from Meta's quality webhooks and syncs. */
  @Column({ type: 'text', nullable: true })
  qualityScore!: string | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
