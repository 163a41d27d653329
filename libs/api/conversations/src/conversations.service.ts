import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService, diff } from '@parley/api/audit';
import { normalizeTags } from '@parley/api/contacts';
import {
  addWithin,
  AiJobName,
  resolvedSummaryJobId,
  type AiSummarizeJob,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  DomainError,
  emitPartnerEvent,
  ErrorCode,
  isIsoTimestamp,
  isUniqueViolation,
  isUuid,
  OrgScopedRepository,
  Page,
  PageQuery,
  pageByCreatedAt,
  QueueName,
  toPage,
} from '@parley/api/core';
import { OrganizationsService } from '@parley/api/organizations';
import type { Queue } from 'bull';
import { DataSource, Repository } from 'typeorm';
import { ConversationDto, ConversationsQuery, UpdateConversationDto } from './dto/conversation.dto';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { Note } from './entities/note.entity';
import { InboxEvents } from './inbox-events';
import type { ReadReceiptJob } from './message-sender';

/** How long marking read waits for Redis before answering; the receipt is best effort. */
const RECEIPT_WAIT_MS = 250;

/** The inbox: conversations and their messages, read and triaged by agents. */
@Injectable()
export class ConversationsService {
  private readonly conversations: OrgScopedRepository<Conversation>;
  private readonly messages: OrgScopedRepository<Message>;
  private readonly notes: OrgScopedRepository<Note>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Conversation) conversations: Repository<Conversation>,
    @InjectRepository(Message) messages: Repository<Message>,
    @InjectRepository(Note) notes: Repository<Note>,
    @InjectQueue(QueueName.OutboundMessages) private readonly outbound: Queue<ReadReceiptJob>,
    @InjectQueue(QueueName.Ai) private readonly ai: Queue<AiSummarizeJob>,
    private readonly organizations: OrganizationsService,
    private readonly audit: AuditService,
    private readonly events: InboxEvents,
  ) {
    this.conversations = new OrgScopedRepository(conversations, 'Conversation');
    this.messages = new OrgScopedRepository(messages, 'Message');
    this.notes = new OrgScopedRepository(notes, 'Note');
  }

  /** Most recent activity first; filters combine. `assigneeId` takes a member id, `me` or `none`. */
  async list(orgId: string, userId: string | null, query: ConversationsQuery): Promise<Page<Conversation>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const qb = this.withContactAndNumber(orgId);
    if (query.status) qb.andWhere('conversation.status = :status', { status: query.status });
    if (query.assigneeId === 'me' && !userId) {
      throw DomainError.invalidField(
        ErrorCode.ValidationFailed,
        'assigneeId',
        'assigneeId=me needs a signed-in user, not an API key',
      );
    }
    if (query.assigneeId === 'none') qb.andWhere('conversation.assigneeId IS NULL');
    else if (query.assigneeId)
      qb.andWhere('conversation.assigneeId = :assigneeId', {
        assigneeId: query.assigneeId === 'me' ? userId : query.assigneeId,
      });
    if (query.unread === true) qb.andWhere('conversation.unreadCount > 0');
    if (query.unread === false) qb.andWhere('conversation.unreadCount = 0');
    if (query.tag) qb.andWhere(':tag = ANY(contact.tags)', { tag: normalizeTags([query.tag])[0] });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      // The org's matching contacts found once through their trigram indexes, then the conversations
      // walked newest first: a rare name no longer makes PostgreSQL join every contact (75 ms against
      // 16 at 10,000 conversations an org).
      qb.andWhere(
        `(conversation.contactId IN (SELECT c.id FROM contacts c WHERE c.org_id = :orgId
            AND (c.name ILIKE :like OR c.profile_name ILIKE :like OR c.phone LIKE :like))
          OR conversation.lastMessagePreview ILIKE :like)`,
        { like, orgId },
      );
    }
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, [isIsoTimestamp, isUuid]);
      qb.andWhere('(conversation.lastMessageAt, conversation.id) < (:at, :id)', { at, id });
    }
    const rows = await qb
      .orderBy('conversation.lastMessageAt', 'DESC')
      .addOrderBy('conversation.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last.lastMessageAt.toISOString(), last.id]);
  }

  async get(orgId: string, id: string): Promise<Conversation> {
    const conversation = isUuid(id)
      ? await this.withContactAndNumber(orgId).andWhere('conversation.id = :id', { id }).getOne()
      : null;
    if (!conversation) throw DomainError.notFound('Conversation');
    return conversation;
  }

  /** Status and assignment; the assignee must be a member. Reopening fails when another conversation with the contact is open. */
  async update(orgId: string, id: string, input: UpdateConversationDto): Promise<Conversation> {
    if (input.assigneeId && !(await this.organizations.roleOf(orgId, input.assigneeId))) {
      throw DomainError.invalidField(
        ErrorCode.NotAMember,
        'assigneeId',
        'assigneeId must be a member of this organization',
      );
    }
    /** Set when this update resolves the conversation. */
    let resolvedAt: Date | null = null;
    try {
      await this.dataSource.transaction(async (manager) => {
        const conversation = await this.conversations.in(manager).get(orgId, id, { lock: 'pessimistic_write' });
        const changes = diff(
          { status: conversation.status, assigneeId: conversation.assigneeId },
          { status: input.status, assigneeId: input.assigneeId },
        );
        if (!changes) return;
        if (input.status === 'resolved' && conversation.status !== 'resolved') resolvedAt = new Date();
        await manager.update(
          Conversation,
          { id: conversation.id },
          {
            ...(input.status !== undefined && {
              status: input.status,
              resolvedAt: input.status === 'resolved' ? (resolvedAt ?? conversation.resolvedAt) : null,
              // Resolving ends a handoff: the bot answers this customer again.
              ...(input.status === 'resolved' && { botActive: true }),
            }),
            ...(input.assigneeId !== undefined && { assigneeId: input.assigneeId }),
          },
        );
        await this.audit.record(manager, {
          orgId,
          action: 'conversation.updated',
          targetType: 'conversation',
          targetId: conversation.id,
          changes,
        });
        await emitPartnerEvent(manager, orgId, 'conversation.updated', async () => ({
          conversation: ConversationDto.from(
            await manager
              .getRepository(Conversation)
              .findOneOrFail({ where: { id, orgId }, relations: { contact: true, phoneNumber: true } }),
          ),
          changes,
        }));
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw DomainError.invalidField(
          ErrorCode.ConversationAlreadyOpen,
          'status',
          'Another conversation with this contact on this number is already open',
        );
      }
      throw error;
    }
    await this.events.conversations(orgId, [id]);
    if (resolvedAt) await this.queueResolvedSummary(orgId, id, resolvedAt);
    return this.get(orgId, id);
  }

  /**
   * AI triage reads a conversation once more when it is resolved. Queued by name (the AI feature
   * depends on this one, not the reverse); best effort, like the read receipt.
   */
  private async queueResolvedSummary(orgId: string, conversationId: string, resolvedAt: Date): Promise<void> {
    const job: AiSummarizeJob = { orgId, conversationId, reason: 'resolved' };
    const jobId = resolvedSummaryJobId(conversationId, resolvedAt);
    await addWithin(this.ai, AiJobName.Summarize, job, { jobId }, RECEIPT_WAIT_MS);
  }

  /**
   * The team has read the conversation: the unread count goes to zero and the customer's phone
   * shows blue ticks (a read receipt for their last message, which covers the ones before it).
   */
  async markRead(orgId: string, id: string): Promise<Conversation> {
    const conversation = await this.conversations.get(orgId, id);
    const last = await this.messages
      .query(orgId, 'message')
      .select(['message.id', 'message.waMessageId', 'message.phoneNumberId'])
      .andWhere("message.conversationId = :id AND message.direction = 'inbound' AND message.waMessageId IS NOT NULL", {
        id: conversation.id,
      })
      .orderBy('message.createdAt', 'DESC')
      .getOne();
    await this.dataSource.query('UPDATE conversations SET unread_count = 0 WHERE id = $1 AND unread_count <> 0', [
      conversation.id,
    ]);
    if (last?.waMessageId) {
      const job: ReadReceiptJob = { orgId, phoneNumberId: last.phoneNumberId, waMessageId: last.waMessageId };
      await addWithin(
        this.outbound,
        'read',
        job,
        { jobId: `read-${last.id}`, removeOnComplete: true },
        RECEIPT_WAIT_MS,
      );
    }
    await this.events.conversations(orgId, [conversation.id]);
    return this.get(orgId, id);
  }

  /** One message, by our id. */
  async getMessage(orgId: string, id: string): Promise<Message> {
    const message = isUuid(id)
      ? await this.messages
          .query(orgId, 'message')
          .leftJoinAndSelect('message.media', 'media')
          .andWhere('message.id = :id', { id })
          .getOne()
      : null;
    if (!message) throw DomainError.notFound('Message');
    return message;
  }

  /** A conversation's private notes, newest first. */
  async notesOf(orgId: string, conversationId: string, query: PageQuery): Promise<Page<Note>> {
    const conversation = await this.conversations.get(orgId, conversationId);
    const qb = this.notes
      .query(orgId, 'note')
      .andWhere('note.conversationId = :conversationId', { conversationId: conversation.id });
    return pageByCreatedAt(qb, query, 'DESC');
  }

  /** A private note for the team; the customer never sees it. */
  async addNote(orgId: string, conversationId: string, authorId: string | null, body: string): Promise<Note> {
    const note = await this.dataSource.transaction(async (manager) => {
      const conversation = await this.conversations
        .in(manager)
        .get(orgId, conversationId, { lock: 'pessimistic_read' });
      const saved = await manager.save(
        manager.create(Note, { orgId, conversationId: conversation.id, authorId, body }),
      );
      await this.audit.record(manager, {
        orgId,
        action: 'note.created',
        targetType: 'conversation',
        targetId: conversation.id,
        changes: { after: { noteId: saved.id } },
      });
      return saved;
    });
    this.events.note(note);
    return note;
  }

  /** A conversation's messages, newest first (a chat view reverses each page). */
  async messagesOf(orgId: string, conversationId: string, query: PageQuery): Promise<Page<Message>> {
    const conversation = await this.conversations.get(orgId, conversationId);
    const qb = this.messages
      .query(orgId, 'message')
      .leftJoinAndSelect('message.media', 'media')
      .andWhere('message.conversationId = :conversationId', { conversationId: conversation.id });
    return pageByCreatedAt(qb, query, 'DESC');
  }

  private withContactAndNumber(orgId: string) {
    return this.conversations
      .query(orgId, 'conversation')
      .innerJoinAndSelect('conversation.contact', 'contact')
      .innerJoinAndSelect('conversation.phoneNumber', 'phoneNumber');
  }
}
