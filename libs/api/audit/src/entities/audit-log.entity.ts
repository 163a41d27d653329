import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export interface AuditChanges {
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

/**
 * One row per mutation. Rows outlive the org they belong to (no foreign key): the record of
 * who deleted an org, or removed a member, must survive the deletion.
 */
@Entity('audit_logs')
@Index(['orgId', 'id'])
@Index(['orgId', 'action', 'id'])
@Index(['orgId', 'actorId', 'id'])
@Index(['orgId', 'targetType', 'targetId', 'id'])
export class AuditLog {
  /** Monotonic, so it doubles as the paging key. bigint comes back from pg as a string. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  /** Null for platform-level events (sign-up, sign-in). */
  @Column({ type: 'uuid', nullable: true })
  orgId!: string | null;

  @Column({ type: 'text' })
  actorType!: 'user' | 'api_key' | 'system';

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  /** Email or key prefix at the time, readable after the actor is gone. */
  @Column({ type: 'text' })
  actorLabel!: string;

  /** `<target>.<verb>`, e.g. `member.role_changed`. */
  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  targetType!: string;

  @Column({ type: 'text', nullable: true })
  targetId!: string | null;

  /** The fields that changed, never secrets. */
  @Column({ type: 'jsonb', nullable: true })
  changes!: AuditChanges | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ type: 'text', nullable: true })
  requestId!: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
