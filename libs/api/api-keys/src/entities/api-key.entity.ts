import { API_KEY_SCOPES, ApiKeyScope } from '@parley/api/core';
import { OrgOwnedEntity } from '@parley/api/organizations';
import { User } from '@parley/api/users';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';

/** A partner credential bound to one org. Only a SHA-256 of the key is stored; the prefix identifies it. */
@Entity('api_keys')
@Index(['orgId', 'createdAt', 'id'])
export class ApiKey extends OrgOwnedEntity {
  @Column({ type: 'text' })
  name!: string;

  /** `prl_` and 8 random characters: shown in lists and logs to tell keys apart. */
  @Column({ type: 'text', unique: true })
  prefix!: string;

  @Column({ type: 'text', unique: true, select: false })
  keyHash!: string;

  @Column({ type: 'enum', enum: API_KEY_SCOPES, enumName: 'api_key_scope', array: true })
  scopes!: ApiKeyScope[];

  @Column({ type: 'uuid', nullable: true })
  createdById!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: User | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  revokedAt!: Date | null;
}
