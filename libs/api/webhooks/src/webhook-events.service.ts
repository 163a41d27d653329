import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AiSettingsService } from '@parley/api/ai';
import { AuditService } from '@parley/api/audit';
import { AutomationEngine, AutomationOutcome } from '@parley/api/automation';
import { InboundService, InboxEvents, Message, MessageDto, OutboundService } from '@parley/api/conversations';
import {
  addWithin,
  AI_READABLE_TYPES,
  AiJobName,
  aiTriageJobId,
  type AiTriageJob,
  AppConfig,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  DomainError,
  emitPartnerEvent,
  isBigintId,
  Page,
  PageQuery,
  preparedQuery,
  QueueName,
  requeue,
  toPage,
} from '@parley/api/core';
import { MediaService } from '@parley/api/media';
import { TemplatesService } from '@parley/api/templates';
import { PhoneNumber, WabaAccountsService } from '@parley/api/waba-accounts';
import { parseWebhook, WebhookParseError } from '@parley/whatsapp/cloud-api';
import type { Queue } from 'bull';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { WebhookEvent, WebhookEventStatus } from './entities/webhook-event.entity';
import { processJobId, ProcessJob } from './webhook-ingest.service';

const SWEEP_BATCH = 500;
/** How long queueing a message's AI triage waits for Redis; the AI sweeper queues what it missed. */
const TRIAGE_ENQUEUE_WAIT_MS = 250;

export type ProcessOutcome = 'processed' | 'already_processed' | 'dead';

/** What applying a stored webhook reads of it. */
type StoredEvent = Pick<WebhookEvent, 'id' | 'orgId' | 'wabaAccountId' | 'status' | 'payload'>;

/** What applying an event changed, acted on once it committed (never for a rolled-back attempt). */
class Effects {
  readonly createdMessages = new Set<string>();
  readonly updatedMessages = new Set<string>();
  readonly conversations = new Set<string>();
  readonly mediaDownloads: string[] = [];
  /** Our replies stored `queued` (opt-out and opt-in confirmations): queue them for sending. */
  readonly replies: string[] = [];
  /** Templates Meta reported that we had never synced: fetch them. */
  readonly unknownTemplates: { name: string; language: string }[] = [];
  /** What automation did in the same transaction, and has left for after it. */
  readonly automation = new AutomationOutcome();
  /** New customer messages with text AI triage can read. */
  readonly readable: string[] = [];
}

@Injectable()
export class WebhookEventsService {
  private readonly logger = new Logger(WebhookEventsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WebhookEvent) private readonly events: Repository<WebhookEvent>,
    @InjectQueue(QueueName.WebhookEvents) private readonly queue: Queue<ProcessJob>,
    @InjectQueue(QueueName.Ai) private readonly ai: Queue<AiTriageJob>,
    private readonly inbound: InboundService,
    private readonly outbound: OutboundService,
    private readonly inbox: InboxEvents,
    private readonly accounts: WabaAccountsService,
    private readonly templates: TemplatesService,
    private readonly media: MediaService,
    private readonly audit: AuditService,
    private readonly automation: AutomationEngine,
    private readonly aiSettings: AiSettingsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Applies one stored webhook to the inbox in one transaction, holding the event's row so two
   * workers can't apply it at once. A failure rolls everything back and marks the event `failed`
   * (`dead` on the last attempt) before the error goes back to Bull for the retry.
   */
  async process(eventId: string, orgId: string, lastAttempt: boolean): Promise<ProcessOutcome> {
    const effects = new Effects();
    let applied: { outcome: ProcessOutcome; wabaAccountId: string | null };
    try {
      applied = await this.dataSource.transaction(async (manager) => {
        // Prepared SQL by primary key (it runs for every webhook), held so two workers can't apply it at once.
        const [event] = await preparedQuery<StoredEvent>(
          manager,
          `SELECT id, org_id AS "orgId", waba_account_id AS "wabaAccountId", status, payload FROM webhook_events
           WHERE id = $1 FOR UPDATE`,
          [eventId],
        );
        if (!event || event.orgId !== orgId || event.status === 'processed')
          return { outcome: 'already_processed', wabaAccountId: null };
        await this.apply(manager, event, effects);
        await preparedQuery(
          manager,
          `UPDATE webhook_events SET status = 'processed', processed_at = now(), attempts = attempts + 1, last_error = NULL
           WHERE id = $1`,
          [event.id],
        );
        return { outcome: 'processed', wabaAccountId: event.wabaAccountId };
      });
    } catch (error) {
      // A body that is not a webhook will never parse: no point retrying it.
      const permanent = error instanceof WebhookParseError;
      await this.dataSource.query(
        `UPDATE webhook_events SET status = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1 AND status <> 'processed'`,
        [
          eventId,
          permanent || lastAttempt ? 'dead' : 'failed',
          error instanceof Error ? error.message.slice(0, 1000) : String(error),
        ],
      );
      if (permanent) return 'dead';
      throw error;
    }
    if (applied.wabaAccountId) await this.afterCommit(orgId, applied.wabaAccountId, effects);
    return applied.outcome;
  }

  /**
   * What follows a committed event: realtime events, media downloads, opt-out confirmations,
   * unknown templates fetched. Each step is best effort — the event is processed either way, and
   * a retry would not redo these — so failures are logged, not thrown.
   */
  private async afterCommit(orgId: string, wabaAccountId: string, effects: Effects): Promise<void> {
    const steps: [string, () => Promise<unknown>][] = [
      [
        'queue media downloads',
        () => Promise.all(effects.mediaDownloads.map((id) => this.media.queueDownload(orgId, id))),
      ],
      ['publish new messages', () => this.inbox.messages(orgId, 'message.created', [...effects.createdMessages])],
      ['queue AI triage', () => this.queueTriage(orgId, effects.readable)],
      ['publish message changes', () => this.inbox.messages(orgId, 'message.updated', [...effects.updatedMessages])],
      ['publish conversations', () => this.inbox.conversations(orgId, [...effects.conversations])],
      ['queue replies', () => Promise.all(effects.replies.map((id) => this.outbound.enqueue({ id, orgId })))],
      ['run automation follow-ups', () => this.automation.afterCommit(orgId, effects.automation)],
      [
        'fetch unknown templates',
        () => Promise.all(effects.unknownTemplates.map((t) => this.templates.refresh(orgId, wabaAccountId, t))),
      ],
    ];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (error) {
        this.logger.warn(`org ${orgId}: could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Customer messages for AI triage, if the org has it on (the AI sweeper queues what Redis missed). */
  private async queueTriage(orgId: string, messageIds: string[]): Promise<void> {
    if (messageIds.length === 0 || !(await this.aiSettings.autoTriage(orgId))) return;
    await Promise.all(
      messageIds.map((messageId) =>
        addWithin(
          this.ai,
          AiJobName.Triage,
          { orgId, messageId },
          { jobId: aiTriageJobId(messageId) },
          TRIAGE_ENQUEUE_WAIT_MS,
        ),
      ),
    );
  }

  /**
   * Queues again what Redis never got (or a crashed worker dropped): events still `pending` or
   * `failed` after WEBHOOK_SWEEP_AFTER_MS. Stable job ids make repeats harmless.
   */
  async sweep(): Promise<number> {
    const stale: { id: string; org_id: string }[] = await this.dataSource.query(
      `SELECT id, org_id FROM webhook_events
       WHERE status IN ('pending', 'failed') AND received_at < now() - ($1 || ' milliseconds')::interval
       ORDER BY id LIMIT $2`,
      [this.config.WEBHOOK_SWEEP_AFTER_MS, SWEEP_BATCH],
    );
    let queued = 0;
    for (const row of stale) {
      const data = { eventId: row.id, orgId: row.org_id };
      if (await requeue(this.queue, 'process', data, { jobId: processJobId(row.id) })) queued += 1;
    }
    if (queued > 0) this.logger.log(`re-queued ${queued} webhook events`);
    return queued;
  }

  async list(orgId: string, query: PageQuery & { status?: WebhookEventStatus }): Promise<Page<WebhookEvent>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const qb = this.events.createQueryBuilder('event').where('event.orgId = :orgId', { orgId });
    if (query.status) qb.andWhere('event.status = :status', { status: query.status });
    if (query.cursor) qb.andWhere('event.id < :before', { before: decodeCursor(query.cursor, [isBigintId])[0] });
    const rows = await qb
      .orderBy('event.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last.id]);
  }

  /** Applies a stored event again (after a fix, or to check idempotency); applying twice changes nothing. */
  async replay(orgId: string, eventId: string): Promise<WebhookEvent> {
    const event = isBigintId(eventId) ? await this.events.findOneBy({ id: eventId, orgId }) : null;
    if (!event) throw DomainError.notFound('Webhook event');
    await this.dataSource.transaction(async (manager) => {
      await manager.update(WebhookEvent, { id: event.id }, { status: 'pending', lastError: null });
      await this.audit.record(manager, {
        orgId,
        action: 'webhook_event.replayed',
        targetType: 'webhook_event',
        targetId: event.id,
        changes: { before: { status: event.status } },
      });
    });
    // A fresh job id: the original job may still sit in Bull's failed set under its own.
    await this.queue.add(
      'process',
      { eventId: event.id, orgId },
      { jobId: `${processJobId(event.id)}-replay-${Date.now()}` },
    );
    return { ...event, status: 'pending', lastError: null };
  }

  private async apply(manager: EntityManager, event: StoredEvent, effects: Effects): Promise<void> {
    const numbers = new Map<string, PhoneNumber | null>();
    const numberFor = async (metaId: string) => {
      if (!numbers.has(metaId)) numbers.set(metaId, await this.accounts.phoneNumberByMetaId(event.orgId, metaId));
      return numbers.get(metaId) ?? null;
    };
    for (const item of parseWebhook(event.payload)) {
      if (item.kind === 'template_status' || item.kind === 'template_quality' || item.kind === 'template_category') {
        if (!(await this.templates.applyEvent(manager, event.wabaAccountId, item)))
          effects.unknownTemplates.push({ name: item.name, language: item.language });
        if (item.kind === 'template_status')
          await emitPartnerEvent(manager, event.orgId, 'template.status', () => ({
            template: {
              metaTemplateId: item.templateId,
              name: item.name,
              language: item.language,
              status: item.event,
              reason: item.reason,
            },
          }));
        continue;
      }
      if (item.kind !== 'message' && item.kind !== 'status') continue;
      const number = await numberFor(item.phoneNumberId);
      if (!number) {
        this.logger.warn(
          `event ${event.id}: phone number ${item.phoneNumberId} is not registered in org ${event.orgId}; skipped`,
        );
        continue;
      }
      if (item.kind === 'message') {
        const applied = await this.inbound.applyMessage(manager, number, item);
        if (!applied) continue;
        effects.createdMessages.add(applied.messageId);
        await emitPartnerEvent(manager, number.orgId, 'message.received', async () => ({
          message: await messageJson(manager, applied.messageId),
        }));
        if (AI_READABLE_TYPES.includes(item.type)) effects.readable.push(applied.messageId);
        effects.conversations.add(applied.conversationId);
        if (applied.reactedMessageId) effects.updatedMessages.add(applied.reactedMessageId);
        if (applied.mediaId) effects.mediaDownloads.push(applied.mediaId);
        if (applied.replyId) {
          effects.createdMessages.add(applied.replyId);
          effects.replies.push(applied.replyId);
        }
        await this.automation.onInbound(
          manager,
          {
            orgId: number.orgId,
            phoneNumberId: number.id,
            messageId: applied.messageId,
            conversationId: applied.conversationId,
            contactId: applied.contactId,
            newConversation: applied.newConversation,
            optIn: applied.optIn,
            type: item.type,
            body: item.body,
            replyId: item.reply?.id ?? null,
          },
          effects.automation,
        );
      } else {
        const changed = await this.inbound.applyStatus(manager, number, item);
        if (!changed) continue;
        effects.updatedMessages.add(changed);
        await emitPartnerEvent(manager, number.orgId, 'message.status', async () => ({
          message: await messageJson(manager, changed),
        }));
      }
    }
  }
}

/** A message as the API shows it (partners' webhooks carry the same JSON). */
async function messageJson(manager: EntityManager, id: string): Promise<MessageDto> {
  return MessageDto.from(
    await manager.getRepository(Message).findOneOrFail({ where: { id }, relations: { media: true } }),
  );
}
