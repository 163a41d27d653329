import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService, diff } from '@parley/api/audit';
import {
  containsPattern,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  isUniqueViolation,
  OrgScopedRepository,
  Page,
  toPage,
} from '@parley/api/core';
import { DataSource, Repository } from 'typeorm';
import { CreateQuickReplyDto, QuickRepliesQuery, SHORTCUT_PATTERN, UpdateQuickReplyDto } from './dto/quick-reply.dto';
import { QuickReply } from './entities/quick-reply.entity';
import { shortcutTaken } from './quick-replies.errors';

const isShortcut = (value: unknown) => typeof value === 'string' && SHORTCUT_PATTERN.test(value);

/** Quick replies: the team's canned responses, picked in the composer by shortcut. */
@Injectable()
export class QuickRepliesService {
  private readonly replies: OrgScopedRepository<QuickReply>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(QuickReply) replies: Repository<QuickReply>,
    private readonly audit: AuditService,
  ) {
    this.replies = new OrgScopedRepository(replies, 'Quick reply');
  }

  /**
   * In shortcut order, as the composer's `/` menu lists them, paged by shortcut (unique in the org,
   * so it alone is the cursor) along the (org, shortcut) index. `q` matches the shortcut or the text;
   * an org has tens or hundreds of replies, so the scan of its rows needs no trigram index.
   */
  async list(orgId: string, query: QuickRepliesQuery): Promise<Page<QuickReply>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const qb = this.replies.query(orgId, 'reply');
    if (query.q) {
      qb.andWhere('(reply.shortcut ILIKE :like OR reply.text ILIKE :like)', { like: containsPattern(query.q) });
    }
    if (query.cursor) {
      const [after] = decodeCursor(query.cursor, [isShortcut]);
      qb.andWhere('reply.shortcut > :after', { after });
    }
    const rows = await qb
      .orderBy('reply.shortcut', 'ASC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last.shortcut]);
  }

  async create(orgId: string, createdBy: string | null, input: CreateQuickReplyDto): Promise<QuickReply> {
    return uniqueShortcut(input.shortcut, () =>
      this.dataSource.transaction(async (manager) => {
        const saved = await manager.save(
          manager.create(QuickReply, { orgId, shortcut: input.shortcut, text: input.text, createdBy }),
        );
        await this.audit.record(manager, {
          orgId,
          action: 'quick_reply.created',
          targetType: 'quick_reply',
          targetId: saved.id,
          changes: { after: { shortcut: saved.shortcut, text: saved.text } },
        });
        return saved;
      }),
    );
  }

  async update(orgId: string, id: string, input: UpdateQuickReplyDto): Promise<QuickReply> {
    return uniqueShortcut(input.shortcut, () =>
      this.dataSource.transaction(async (manager) => {
        const replies = this.replies.in(manager);
        const reply = await replies.get(orgId, id, { lock: 'pessimistic_write' });
        const after = { shortcut: input.shortcut ?? reply.shortcut, text: input.text ?? reply.text };
        const changes = diff({ shortcut: reply.shortcut, text: reply.text }, after);
        if (!changes) return reply;
        await manager.update(QuickReply, { id: reply.id, orgId }, after);
        await this.audit.record(manager, {
          orgId,
          action: 'quick_reply.updated',
          targetType: 'quick_reply',
          targetId: reply.id,
          changes,
        });
        return replies.get(orgId, id);
      }),
    );
  }

  async delete(orgId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const reply = await this.replies.in(manager).get(orgId, id, { lock: 'pessimistic_write' });
      await manager.delete(QuickReply, { id: reply.id, orgId });
      await this.audit.record(manager, {
        orgId,
        action: 'quick_reply.deleted',
        targetType: 'quick_reply',
        targetId: reply.id,
        changes: { before: { shortcut: reply.shortcut, text: reply.text } },
      });
    });
  }
}

/** Runs `work`, turning the (org, shortcut) unique violation into a 409 on `shortcut`. */
async function uniqueShortcut<T>(shortcut: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error) && shortcut !== undefined) throw shortcutTaken(shortcut);
    throw error;
  }
}
