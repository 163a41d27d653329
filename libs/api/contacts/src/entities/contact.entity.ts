import { OrgOwnedEntity } from '@parley/api/organizations';
import { Column, Entity, Index, UpdateDateColumn } from 'typeorm';

export const OPT_IN_STATUSES = ['opted_in', 'opted_out', 'unknown'] as const;
export type OptInStatus = (typeof OPT_IN_STATUSES)[number];

/** A person the business talks to, once per org and phone number. */
@Entity('contacts')
@Index(['orgId', 'phone'], { unique: true })
@Index(['orgId', 'createdAt', 'id'])
// Search (ILIKE '%…%') and tag filters: trigram and GIN indexes, made by hand in the migration.
@Index('contacts_name_trgm', { synchronize: false })
@Index('contacts_profile_name_trgm', { synchronize: false })
@Index('contacts_phone_trgm', { synchronize: false })
@Index('contacts_tags_gin', { synchronize: false })
// Analytics: opt-outs by time, made by hand in the AnalyticsIndexes migration.
@Index('contacts_org_opted_out_at', { synchronize: false })
export class Contact extends OrgOwnedEntity {
  /** E.164, e.g. `+5511987654321`. */
  @Column({ type: 'text' })
  phone!: string;

  /** WhatsApp's id for the person (E.164 digits), as Meta reports it. */
  @Column({ type: 'text' })
  waId!: string;

  /** The name the business gave the contact; falls back to the WhatsApp profile name. */
  @Column({ type: 'text', nullable: true })
  name!: string | null;

  /** The name on the person's WhatsApp profile, from webhooks. */
  @Column({ type: 'text', nullable: true })
  profileName!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ type: 'jsonb', default: () => "'{}'" })
  attributes!: Record<string, string | number | boolean | null>;

  @Column({ type: 'enum', enum: OPT_IN_STATUSES, enumName: 'opt_in_status', default: 'unknown' })
  optInStatus!: OptInStatus;

  /** Where the opt-in state came from: `whatsapp_keyword`, `import`, `api`, `console`... */
  @Column({ type: 'text', nullable: true })
  optInSource!: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  optInChangedAt!: Date | null;

  /** When the contact last wrote to any of the org's numbers. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastInboundAt!: Date | null;

  /** When the contact's personal data was erased (GDPR); the row stays so counts add up. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  erasedAt!: Date | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
