import { OrgOwnedEntity } from '@parley/api/organizations';
import { Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import type { Action, Condition, Trigger } from '../rule-model';

/** One automation rule of an org: evaluated in `position` order on what its trigger names. */
@Entity('automation_rules')
@Index(['orgId', 'position'])
export class AutomationRule extends OrgOwnedEntity {
  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** Lower runs first; `reorder` rewrites them 0..n-1. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'jsonb' })
  trigger!: Trigger;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  conditions!: Condition[];

  @Column({ type: 'jsonb' })
  actions!: Action[];

  /** When this rule fires, the rules after it are not tried for the same event. */
  @Column({ type: 'boolean', default: true })
  stopAfterMatch!: boolean;

  /** A contact fires this rule at most once per this many seconds (0: every time). */
  @Column({ type: 'integer', default: 0 })
  cooldownSeconds!: number;

  /** Set on the rules of the starter bot (`starter_bot`), which its switch turns on and off together. */
  @Column({ type: 'text', nullable: true })
  preset!: string | null;

  /** Where round-robin assignment continues from. */
  @Column({ type: 'integer', default: 0 })
  roundRobinCursor!: number;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
