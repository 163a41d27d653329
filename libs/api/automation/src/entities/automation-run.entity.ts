import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AutomationRule } from './automation-rule.entity';

export const RUN_OUTCOMES = ['fired', 'cooldown', 'loop_guard', 'failed'] as const;
/** `fired`: the actions ran; `cooldown`/`loop_guard`: matched but held back; `failed`: an action could not run. */
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** What one action did when a rule fired. */
export interface ActionResult {
  type: string;
  ok: boolean;
  /** What happened, for people: "replied", "assigned to Ana", "window closed"... */
  detail: string;
  /** The message it stored, when it sent one. */
  messageId?: string;
}

/**
 * The rule log: which rule fired on what, and what it did. One row per rule and triggering message
 * (unique), so a webhook applied twice never fires a rule twice.
 */
@Entity('automation_runs')
@Index(['ruleId', 'messageId'], { unique: true, where: 'message_id IS NOT NULL' })
@Index(['orgId', 'ruleId', 'id'])
@Index(['orgId', 'conversationId', 'id'])
@Index(['ruleId', 'contactId', 'createdAt'])
export class AutomationRun {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  orgId!: string;

  @Column({ type: 'uuid' })
  ruleId!: string;

  @ManyToOne(() => AutomationRule, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rule_id' })
  rule?: AutomationRule;

  /** The trigger type that fired. */
  @Column({ type: 'text' })
  trigger!: string;

  /** The customer message that fired it (message triggers). */
  @Column({ type: 'uuid', nullable: true })
  messageId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  conversationId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  contactId!: string | null;

  @Column({ type: 'text' })
  outcome!: RunOutcome;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  results!: ActionResult[];

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
