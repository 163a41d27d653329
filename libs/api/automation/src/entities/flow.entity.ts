import { OrgOwnedEntity } from '@parley/api/organizations';
import { Column, Entity, UpdateDateColumn } from 'typeorm';
import type { FlowExitRules, FlowStep } from '../flow-model';

/** A drip sequence: steps run for each enrolled contact, with waits between them. */
@Entity('flows')
export class Flow extends OrgOwnedEntity {
  @Column({ type: 'text' })
  name!: string;

  /** A disabled flow takes no new enrollments; running ones continue. */
  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'jsonb' })
  steps!: FlowStep[];

  @Column({ type: 'jsonb', default: () => `'{"onReply": true, "onResolve": true}'` })
  exitRules!: FlowExitRules;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
