import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RealtimePublisher } from '@parley/api/core';
import { DataSource, In } from 'typeorm';
import { ConversationDto } from './dto/conversation.dto';
import { MessageDto } from './dto/message.dto';
import { NoteDto } from './dto/note.dto';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import type { Note } from './entities/note.entity';

/**
 * Tells the org's open inboxes what changed, after the change committed: each event carries the
 * resource in its API JSON shape. Best effort: a failure here is logged, never thrown, because the
 * write it reports has already happened (clients reload to catch up).
 */
@Injectable()
export class InboxEvents {
  private readonly logger = new Logger(InboxEvents.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly publisher: RealtimePublisher,
  ) {}

  async messages(orgId: string, event: 'message.created' | 'message.updated', ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.safely(async () => {
      const messages = await this.dataSource.getRepository(Message).find({
        where: { orgId, id: In(ids) },
        relations: { media: true },
        order: { createdAt: 'ASC' },
      });
      for (const message of messages) this.message(event, message);
    });
  }

  /** One message already loaded (with its `media`). */
  message(event: 'message.created' | 'message.updated', message: Message): void {
    this.publisher.toOrg(message.orgId, event, MessageDto.from(message));
  }

  async conversations(orgId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.safely(async () => {
      const conversations = await this.dataSource
        .getRepository(Conversation)
        .createQueryBuilder('conversation')
        .innerJoinAndSelect('conversation.contact', 'contact')
        .innerJoinAndSelect('conversation.phoneNumber', 'phoneNumber')
        .where('conversation.orgId = :orgId AND conversation.id IN (:...ids)', { orgId, ids: [...new Set(ids)] })
        .getMany();
      for (const conversation of conversations)
        this.publisher.toOrg(orgId, 'conversation.updated', ConversationDto.from(conversation));
    });
  }

  note(note: Note): void {
    this.publisher.toOrg(note.orgId, 'note.created', NoteDto.from(note));
  }

  private async safely(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.logger.warn(`realtime event not sent: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
