import { ROLES, Role } from '@parley/api/core';
import { User } from '@parley/api/users';
import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { OrgOwnedEntity } from './org-owned.entity';

@Entity('memberships')
@Unique(['orgId', 'userId'])
@Index(['userId', 'createdAt'])
@Index(['orgId', 'createdAt', 'id'])
export class Membership extends OrgOwnedEntity {
  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'enum', enum: ROLES, enumName: 'member_role' })
  role!: Role;
}
