import { ROLES, Role } from '@parley/api/core';
import { User } from '@parley/api/users';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OrgOwnedEntity } from './org-owned.entity';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

/** A one-time invitation: the token is shown once to the inviter; only its hash is kept. */
@Entity('invitations')
@Index(['orgId', 'createdAt', 'id'])
// At most one open invitation per address and org; inviting again replaces it.
@Index(['orgId', 'email'], { unique: true, where: 'accepted_at IS NULL AND revoked_at IS NULL' })
export class Invitation extends OrgOwnedEntity {
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'enum', enum: ROLES, enumName: 'member_role' })
  role!: Role;

  @Column({ type: 'text', unique: true })
  tokenHash!: string;

  @Column({ type: 'uuid', nullable: true })
  invitedById!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'invited_by_id' })
  invitedBy?: User | null;

  @Column({ type: 'timestamptz', precision: 3 })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  acceptedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  acceptedById!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'accepted_by_id' })
  acceptedBy?: User | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  revokedAt!: Date | null;

  status(now = new Date()): InvitationStatus {
    if (this.acceptedAt) return 'accepted';
    if (this.revokedAt) return 'revoked';
    return this.expiresAt <= now ? 'expired' : 'pending';
  }
}
