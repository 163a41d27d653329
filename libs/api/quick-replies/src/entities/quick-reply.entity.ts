import { OrgOwnedEntity } from '@parley/api/organizations';
import { User } from '@parley/api/users';
import { Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';

/** A canned response the team shares; agents insert it in the composer by typing `/` and its shortcut. */
@Entity('quick_replies')
// One shortcut per org; the list pages by shortcut within the org through this index too.
@Index(['orgId', 'shortcut'], { unique: true })
export class QuickReply extends OrgOwnedEntity {
  /** Lower-case letters, digits, `-` and `_`, without the leading `/`. */
  @Column({ type: 'text' })
  shortcut!: string;

  @Column({ type: 'text' })
  text!: string;

  /** The member who created it; null once they are gone, or when an API key created it. */
  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by' })
  creator?: User | null;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
