import { OrgOwnedEntity } from '@parley/api/organizations';
import { User } from '@parley/api/users';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Conversation } from './conversation.entity';

/** A private note on a conversation: seen by the team, never sent to the customer. */
@Entity('notes')
@Index(['conversationId', 'createdAt', 'id'])
export class Note extends OrgOwnedEntity {
  @Column({ type: 'uuid' })
  conversationId!: string;

  @ManyToOne(() => Conversation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id' })
  conversation?: Conversation;

  /** The member who wrote it; null once they are gone, or when an API key wrote it. */
  @Column({ type: 'uuid', nullable: true })
  authorId!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_id' })
  author?: User | null;

  @Column({ type: 'text' })
  body!: string;
}
