import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AiSettingsService } from '@parley/api/ai';
import { AuditService } from '@parley/api/audit';
import { AutomationEngine, AutomationOutcome } from '@parley/api/automation';
import {
  AppliedMessage,
  InboundService,
  InboxEvents,
  inRounds,
  Message,
  MessageDto,
  OutboundService,
} from '@parley/api/conversations';
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
  KeyedBatcher,
  PartnerEventRecorder,
  Semaphore,
  TtlCache,
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
import { InboundMessageEvent, parseWebhook, StatusEvent, WebhookParseError } from '@parley/whatsapp/cloud-api';
import type { Queue } from 'bull';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { WebhookEvent, WebhookEventStatus } from './entities/webhook-event.entity';
import { processJobId, ProcessJob } from './webhook-ingest.service';

const SWEEP_BATCH = 500;
/** How long queueing a message's AI triage waits for Redis; the AI sweeper queues what it missed. */
const TRIAGE_ENQUEUE_WAIT_MS = 250;

/** The most events applied in one transaction. */
const MAX_BATCH = 50;
/** Transactions applying webhooks at once per process: each holds a pooled connection. */
const TRANSACTIONS = 8;

export type ProcessOutcome = 'processed' | 'already_processed' | 'dead';

/** What applying a stored webhook reads of it. */
type StoredEvent = Pick<WebhookEvent, 'id' | 'orgId' | 'wabaAccountId' | 'payload'>;

interface EventJob {
  eventId: string;
  lastAttempt: boolean;
}

/** What applying an event changed, acted on once it committed (never for a rolled-back attempt). */
class Effects {
  readonly createdMessages = new Set<string>();
  readonly updatedMessages = new Set<string>();
  readonly conversations = new Set<string>();
  readonly mediaDownloads: string[] = [];
  /** Our replies stored `queued` (opt-out and opt-in confirmations): queue them for sending. */
  readonly replies: string[] = [];
  /** Templates Meta reported that we had never synced: fetch them. */
  readonly unknownTemplates: { wabaAccountId: string; name: string; language: string }[] = [];
  /** What automation did in the same transaction, and has left for after it. */
  readonly automation = new AutomationOutcome();
  /** New customer messages with text AI triage can read. */
  readonly readable: string[] = [];
}

@Injectable()
export class WebhookEventsService {
  private readonly logger = new Logger(WebhookEventsService.name);
  private readonly transactions = new Semaphore(TRANSACTIONS);
  private readonly batches = new KeyedBatcher<EventJob, ProcessOutcome>(MAX_BATCH, (orgId, jobs) =>
    this.processBatch(orgId, jobs),
  );
  /** Per org, the end of what follows its committed batches (see `follow`). */
  private readonly following = new Map<string, Promise<void>>();

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
   * Applies a stored webhook. Those that arrive while the org's last batch is being applied go
   * together in the next one: one transaction, one read and one update of the event rows, each
   * lookup once, one realtime read. Customer messages are applied in the order they arrived, and
   * each is stamped after its conversation's last message (migration MessagesInConversationOrder),
   * so a conversation's history keeps that order within one transaction too.
   */
  async process(job: ProcessJob, lastAttempt: boolean): Promise<ProcessOutcome> {
    const outcome = await this.batches.submit(job.orgId, { eventId: job.eventId, lastAttempt });
    // The job ends once what follows its batch is done too, so a graceful shutdown waits for it.
    await this.following.get(job.orgId);
    return outcome;
  }

  /**
   * A batch in one transaction; if it fails, each event alone, so one that can't be applied fails
   * by itself and the others are not held back.
   */
  private async processBatch(orgId: string, jobs: EventJob[]): Promise<PromiseSettledResult<ProcessOutcome>[]> {
    if (jobs.length > 1) {
      try {
        const outcomes = await this.applyAll(
          orgId,
          jobs.map((job) => job.eventId),
        );
        return outcomes.map((value) => ({ status: 'fulfilled', value }));
      } catch (error) {
        this.logger.debug(
          `org ${orgId}: a batch of ${jobs.length} events failed (${error instanceof Error ? error.message : String(error)}); applying them one by one`,
        );
      }
    }
    const results: PromiseSettledResult<ProcessOutcome>[] = [];
    for (const job of jobs) {
      try {
        results.push({ status: 'fulfilled', value: await this.processOne(job, orgId) });
      } catch (reason) {
        results.push({ status: 'rejected', reason });
      }
    }
    return results;
  }

  /**
   * One event in its own transaction. A failure rolls it back and marks the event `failed` (`dead`
   * on the last attempt) before the error goes back to Bull for the retry.
   */
  private async processOne(job: EventJob, orgId: string): Promise<ProcessOutcome> {
    try {
      const [outcome] = await this.applyAll(orgId, [job.eventId]);
      return outcome ?? 'already_processed';
    } catch (error) {
      // A body that is not a webhook will never parse: no point retrying it.
      const permanent = error instanceof WebhookParseError;
      await this.dataSource.query(
        `UPDATE webhook_events SET status = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1 AND status <> 'processed'`,
        [
          job.eventId,
          permanent || job.lastAttempt ? 'dead' : 'failed',
          error instanceof Error ? error.message.slice(0, 1000) : String(error),
        ],
      );
      if (permanent) return 'dead';
      throw error;
    }
  }

  /**
   * Applies the org's events, in the order they arrived, in one transaction that holds their rows
   * so no other worker applies them at once; then, once committed, what follows them. Resolves an
   * outcome per id given; throws (having changed nothing) if any event fails.
   */
  private async applyAll(orgId: string, eventIds: string[]): Promise<ProcessOutcome[]> {
    const effects = new Effects();
    const applied = await this.transactions.run(() =>
      this.dataSource.transaction(async (manager) => {
        // The org's events not yet applied, locked in id order and marked processed: if applying
        // them fails, the mark rolls back with the rest. Prepared SQL by primary key (it runs for
        // every webhook).
        const events = await preparedQuery<StoredEvent>(
          manager,
          `WITH applied AS (
             UPDATE webhook_events SET status = 'processed', processed_at = now(), attempts = attempts + 1, last_error = NULL
             WHERE id IN (SELECT id FROM webhook_events WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE)
               AND org_id = $2 AND status <> 'processed'
             RETURNING id, org_id, waba_account_id, payload
           )
           SELECT id, org_id AS "orgId", waba_account_id AS "wabaAccountId", payload FROM applied ORDER BY id`,
          [eventIds, orgId],
        );
        const batch = new Batch(manager, (metaId) => this.accounts.phoneNumberByMetaId(orgId, metaId, manager));
        for (const event of events) await this.apply(batch, event, effects);
        await this.applyMessages(batch, effects);
        await this.applyStatuses(batch, orgId, effects);
        return new Set(events.map((event) => String(event.id)));
      }),
    );
    if (applied.size > 0) this.follow(orgId, effects);
    return eventIds.map((id) => (applied.has(id) ? 'processed' : 'already_processed'));
  }

  /**
   * Runs what follows a committed batch while the org's next batch is applied: the two overlap,
   * but each runs after the one before it, so realtime events still go out in commit order.
   */
  private follow(orgId: string, effects: Effects): void {
    const next = (this.following.get(orgId) ?? Promise.resolve()).then(() => this.afterCommit(orgId, effects));
    this.following.set(orgId, next);
    void next.finally(() => {
      if (this.following.get(orgId) === next) this.following.delete(orgId);
    });
  }

  /**
   * What follows a committed event: realtime events, media downloads, opt-out confirmations,
   * unknown templates fetched. Each step is best effort — the event is processed either way, and
   * a retry would not redo these — so failures are logged, not thrown.
   */
  private async afterCommit(orgId: string, effects: Effects): Promise<void> {
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
        () =>
          Promise.all(
            effects.unknownTemplates.map(({ wabaAccountId, ...template }) =>
              this.templates.refresh(orgId, wabaAccountId, template),
            ),
          ),
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

  private async apply(batch: Batch, event: StoredEvent, effects: Effects): Promise<void> {
    const { manager, partnerEvents } = batch;
    for (const item of parseWebhook(event.payload)) {
      if (item.kind === 'template_status' || item.kind === 'template_quality' || item.kind === 'template_category') {
        if (!(await this.templates.applyEvent(manager, event.wabaAccountId, item)))
          effects.unknownTemplates.push({
            wabaAccountId: event.wabaAccountId,
            name: item.name,
            language: item.language,
          });
        if (item.kind === 'template_status')
          await partnerEvents.emit(event.orgId, 'template.status', () => ({
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
      const number = await batch.phoneNumber(item.phoneNumberId);
      if (!number) {
        this.logger.warn(
          `event ${event.id}: phone number ${item.phoneNumberId} is not registered in org ${event.orgId}; skipped`,
        );
        continue;
      }
      if (item.kind === 'message') batch.messages.push({ number, event: item });
      else batch.statuses.push({ number, event: item });
    }
  }

  /**
   * The batch's customer messages in the order they arrived, a round at a time (`inRounds`): each
   * round stored in one statement per number, then automation run on each of its messages before
   * the next round is stored, so a sender's second message sees what their first one set off.
   */
  private async applyMessages(batch: Batch, effects: Effects): Promise<void> {
    for (const round of inRounds(batch.messages, (held) => held.event)) {
      for (const { number, events } of perNumber(round)) {
        const results = await this.inbound.applyMessages(batch.manager, number, events);
        for (const [i, event] of events.entries()) {
          const applied = results[i];
          if (applied) await this.onStored(batch, number, event, applied, effects);
        }
      }
    }
  }

  /** What a stored customer message sets off in its transaction: partner event, automation, and effects for after it. */
  private async onStored(
    { manager, partnerEvents }: Batch,
    number: PhoneNumber,
    event: InboundMessageEvent,
    applied: AppliedMessage,
    effects: Effects,
  ): Promise<void> {
    effects.createdMessages.add(applied.messageId);
    await partnerEvents.emit(number.orgId, 'message.received', async () => ({
      message: await messageJson(manager, applied.messageId),
    }));
    if (AI_READABLE_TYPES.includes(event.type)) effects.readable.push(applied.messageId);
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
        type: event.type,
        body: event.body,
        replyId: event.reply?.id ?? null,
      },
      effects.automation,
    );
  }

  /** The batch's statuses, per number: all at once, or one by one when partners want an event for each. */
  private async applyStatuses(batch: Batch, orgId: string, effects: Effects): Promise<void> {
    if (batch.statuses.length === 0) return; // no lookup of who wants status events
    const { manager, partnerEvents } = batch;
    const eachAlone = await partnerEvents.wants(orgId, 'message.status');
    for (const { number, events } of perNumber(batch.statuses)) {
      for (const group of eachAlone ? events.map((event) => [event]) : [events]) {
        for (const changed of await this.inbound.applyStatuses(manager, number, group)) {
          effects.updatedMessages.add(changed);
          if (eachAlone)
            await partnerEvents.emit(orgId, 'message.status', async () => ({
              message: await messageJson(manager, changed),
            }));
        }
      }
    }
  }
}

/** An event of a batch, with the number it came to. */
interface Held<T> {
  number: PhoneNumber;
  event: T;
}

/** Held events per number, each number's in the order held. */
function perNumber<T>(held: Held<T>[]): { number: PhoneNumber; events: T[] }[] {
  const groups = new Map<string, { number: PhoneNumber; events: T[] }>();
  for (const { number, event } of held) {
    const group = groups.get(number.id);
    if (group) group.events.push(event);
    else groups.set(number.id, { number, events: [event] });
  }
  return [...groups.values()];
}

/** What the events of one batch share: the transaction, and lookups made once for all of them. */
class Batch {
  readonly partnerEvents: PartnerEventRecorder;
  /** Customer messages and statuses, applied once the batch's events have been read: messages first. */
  readonly messages: Held<InboundMessageEvent>[] = [];
  readonly statuses: Held<StatusEvent>[] = [];
  /** For the batch's life only: it never expires. */
  private readonly numbers = new TtlCache<string, PhoneNumber | null>(Number.POSITIVE_INFINITY);

  constructor(
    readonly manager: EntityManager,
    private readonly findNumber: (metaPhoneNumberId: string) => Promise<PhoneNumber | null>,
  ) {
    this.partnerEvents = new PartnerEventRecorder(manager);
  }

  phoneNumber(metaPhoneNumberId: string): Promise<PhoneNumber | null> {
    return this.numbers.get(metaPhoneNumberId, () => this.findNumber(metaPhoneNumberId));
  }
}

/** A message as the API shows it (partners' webhooks carry the same JSON). */
async function messageJson(manager: EntityManager, id: string): Promise<MessageDto> {
  return MessageDto.from(
    await manager.getRepository(Message).findOneOrFail({ where: { id }, relations: { media: true } }),
  );
}
