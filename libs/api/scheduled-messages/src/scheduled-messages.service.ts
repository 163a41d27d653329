import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import { Contact, ContactsService } from '@parley/api/contacts';
import { OutboundService } from '@parley/api/conversations';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  DomainError,
  ErrorCode,
  isIsoTimestamp,
  isUuid,
  JsonObject,
  OrgScopedRepository,
  Page,
  toPage,
} from '@parley/api/core';
import { DataSource, Repository } from 'typeorm';
import { CreateScheduledMessageDto, ScheduledMessagesQuery } from './dto/scheduled-message.dto';
import { ScheduledMessage } from './entities/scheduled-message.entity';
import { scheduleTime } from './schedule-window';
import { notCancellable, unknownContact } from './scheduled-messages.errors';

/**
 * Template sends to one contact at a set time. A send is checked when it is scheduled, as the
 * outbound path would check it now, so a mistake surfaces to the person scheduling it; the worker
 * sends it when due (see `ScheduledMessageDispatcher`), where the same checks run again.
 */
@Injectable()
export class ScheduledMessagesService {
  private readonly scheduled: OrgScopedRepository<ScheduledMessage>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ScheduledMessage) scheduled: Repository<ScheduledMessage>,
    private readonly contacts: ContactsService,
    private readonly outbound: OutboundService,
    private readonly audit: AuditService,
  ) {
    this.scheduled = new OrgScopedRepository(scheduled, 'Scheduled message');
  }

  async create(orgId: string, createdBy: string | null, input: CreateScheduledMessageDto): Promise<ScheduledMessage> {
    const scheduledAt = scheduleTime(input.scheduledAt, new Date());
    const contact = await this.contactOf(orgId, input.contactId);
    const number = await this.outbound.checkTemplateSend(orgId, contact, input.phoneNumberId, input.template);
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(ScheduledMessage, {
          orgId,
          contactId: contact.id,
          phoneNumberId: number.id,
          template: input.template as JsonObject,
          scheduledAt,
          status: 'scheduled',
          messageId: null,
          errorCode: null,
          errorMessage: null,
          createdBy,
        }),
      );
      await this.audit.record(manager, {
        orgId,
        action: 'scheduled_message.created',
        targetType: 'scheduled_message',
        targetId: saved.id,
        // Not the parameters: they may hold the customer's personal data, which erasure must be able to remove.
        changes: { after: { contactId: contact.id, ...this.summary(saved) } },
      });
      return saved;
    });
  }

  /**
   * In the order they go out (then by id), paged by both along the (org, scheduled_at, id) index,
   * or the (contact, scheduled_at, id) one when filtered by contact.
   */
  async list(orgId: string, query: ScheduledMessagesQuery): Promise<Page<ScheduledMessage>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const qb = this.scheduled.query(orgId, 'scheduled');
    if (query.contactId) qb.andWhere('scheduled.contactId = :contactId', { contactId: query.contactId });
    if (query.status) qb.andWhere('scheduled.status = :status', { status: query.status });
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, [isIsoTimestamp, isUuid]);
      qb.andWhere('(scheduled.scheduledAt, scheduled.id) > (:at, :id)', { at, id });
    }
    const rows = await qb
      .orderBy('scheduled.scheduledAt', 'ASC')
      .addOrderBy('scheduled.id', 'ASC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last.scheduledAt.toISOString(), last.id]);
  }

  get(orgId: string, id: string): Promise<ScheduledMessage> {
    return this.scheduled.get(orgId, id);
  }

  /** Only while `scheduled`: the row lock waits out a worker claiming it, which then makes it a 409. */
  cancel(orgId: string, id: string): Promise<ScheduledMessage> {
    return this.dataSource.transaction(async (manager) => {
      const scheduled = this.scheduled.in(manager);
      const row = await scheduled.get(orgId, id, { lock: 'pessimistic_write' });
      if (row.status !== 'scheduled') throw notCancellable(row.status);
      await manager.update(ScheduledMessage, { id: row.id, orgId }, { status: 'cancelled' });
      await this.audit.record(manager, {
        orgId,
        action: 'scheduled_message.cancelled',
        targetType: 'scheduled_message',
        targetId: row.id,
        changes: { before: { status: 'scheduled' }, after: { status: 'cancelled' } },
      });
      return scheduled.get(orgId, id);
    });
  }

  private summary(row: ScheduledMessage): Record<string, unknown> {
    const { name, language } = row.template as { name?: unknown; language?: { code?: unknown } };
    return { template: name, language: language?.code, scheduledAt: row.scheduledAt.toISOString() };
  }

  private async contactOf(orgId: string, contactId: string): Promise<Contact> {
    try {
      return await this.contacts.get(orgId, contactId);
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.NotFound) throw unknownContact(contactId);
      throw error;
    }
  }
}
