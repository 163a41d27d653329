import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { entityColumns, nestRow, preparedQuery, RealtimePublisher } from '@parley/api/core';
import { Media } from '@parley/api/media';
import { Contact } from '@parley/api/contacts';
import { PhoneNumber } from '@parley/api/waba-accounts';
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
      // Plain prepared SQL (this runs for every message the webhook path stores), by primary key
      // alone: a cached generic plan may otherwise walk the org's whole index. The org is checked here.
      const messages = (
        await preparedQuery<Message>(
          this.dataSource,
          `SELECT ${entityColumns(this.dataSource, Message, 'm')} FROM messages m WHERE m.id = ANY($1::uuid[])`,
          [ids],
        )
      )
        .filter((message) => message.orgId === orgId)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      const mediaIds = messages.flatMap((message) => (message.mediaId ? [message.mediaId] : []));
      const media = mediaIds.length > 0 ? await this.dataSource.getRepository(Media).findBy({ id: In(mediaIds) }) : [];
      for (const message of messages) {
        message.media = media.find((file) => file.id === message.mediaId) ?? null;
        this.message(event, message);
      }
    });
  }

  /** One message already loaded (with its `media`). */
  message(event: 'message.created' | 'message.updated', message: Message): void {
    this.publisher.toOrg(message.orgId, event, MessageDto.from(message));
  }

  async conversations(orgId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.safely(async () => {
      const rows = await preparedQuery(
        this.dataSource,
        `SELECT ${entityColumns(this.dataSource, Conversation, 'v')},
                ${entityColumns(this.dataSource, Contact, 'c', 'contact.')},
                ${entityColumns(this.dataSource, PhoneNumber, 'p', 'phoneNumber.')}
         FROM conversations v JOIN contacts c ON c.id = v.contact_id JOIN phone_numbers p ON p.id = v.phone_number_id
         WHERE v.id = ANY($1::uuid[])`,
        [[...new Set(ids)]],
      );
      for (const row of rows.filter((row) => row['orgId'] === orgId)) {
        const conversation = nestRow<Conversation>(row, ['contact', 'phoneNumber']);
        this.publisher.toOrg(orgId, 'conversation.updated', ConversationDto.from(conversation));
      }
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
