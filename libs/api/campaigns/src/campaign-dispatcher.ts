import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { emitPartnerEvent, QueueName, RealtimePublisher, returning } from '@parley/api/core';
import { OutboundService, SendBatchJob, UNSENT_SQL } from '@parley/api/conversations';
import { Template } from '@parley/api/templates';
import { MESSAGING_LIMITS, MessagingLimitTier } from '@parley/api/waba-accounts';
import {
  describeOutbound,
  OutboundContent,
  TemplateDefinition,
  templateComponentsFrom,
  templateParameterKeys,
} from '@parley/whatsapp/cloud-api';
import type { Queue } from 'bull';
import { DataSource, EntityManager } from 'typeorm';
import { CampaignStats, NO_STATS } from './campaign-stats';
import { CampaignsService } from './campaigns.service';
import { CampaignDto } from './dto/campaign.dto';
import { Campaign } from './entities/campaign.entity';

/**
 * How much a campaign hands to the sender ahead of time: about one second of the number's
 * throughput. The sender paces itself; the window only bounds what is already queued, so a pause
 * or cancel takes effect within about a second.
 */
const WINDOW_SECONDS = 1;
/** Recipients turned into messages per transaction. */
const MAX_BATCH = 500;
/** Messages per send job: one claim and one record for the lot. */
const SEND_BATCH = 50;
/** Live funnels are published at most this often per campaign, and for this long after it ends. */
const PROGRESS_EVERY_MS = 1_000;
const PROGRESS_AFTER_END_MS = 10 * 60_000;
/**
 * Counting funnels (recipients joined to their messages) takes at most this share of the time: a
 * big campaign's count takes long enough that counting it every second would load the database.
 */
const PROGRESS_MAX_SHARE = 0.05;
/** How often an account's messaging-limit reach is counted again in PostgreSQL. */
const REACH_RECOUNT_MS = 1_000;

interface RunningCampaign {
  id: string;
  org_id: string;
  phone_number_id: string;
  template_id: string;
  parameters: Record<string, unknown>;
  throughput_mps: number;
  waba_account_id: string;
  messaging_limit_tier: MessagingLimitTier | null;
}

interface PendingRecipient {
  id: string;
  contact_id: string;
  parameters: Record<string, string>;
  opt_in_status: string;
  erased: boolean;
}

/**
 * Why the campaign's parameter mapping no longer fills its template (edited at Meta since launch),
 * or null: sends would fail at Meta (132000), so the campaign pauses instead.
 */
function mappingMismatch(template: Template, parameters: Record<string, unknown>): string | null {
  const keys = templateParameterKeys({ parameter_format: template.parameterFormat, components: template.components });
  const mapped = Object.keys(parameters);
  const same = keys.length === mapped.length && keys.every(({ key }) => mapped.includes(key));
  return same
    ? null
    : `the template's parameters changed since launch (${keys.map((k) => k.key).join(', ') || 'none'}): edit the campaign`;
}

/**
 * The worker side of campaigns, run on a short tick: starts scheduled campaigns when due, turns
 * pending recipients of running ones into queued messages (the outbound path sends them at the
 * number's pace, exactly once), completes campaigns with nothing left, and publishes live funnels.
 *
 * Safe with any number of workers: recipients are taken with `FOR UPDATE SKIP LOCKED` and turned
 * into messages in the same transaction, so each becomes one message whichever worker takes it; a
 * worker killed mid-batch rolls its batch back for another to take.
 */
@Injectable()
export class CampaignDispatcher {
  private readonly logger = new Logger(CampaignDispatcher.name);
  /** Each account's reach in the last 24 hours, and when it was counted. */
  private readonly reached = new Map<string, { at: number; count: number }>();
  /** What was last published per campaign, and when. */
  private readonly published = new Map<string, { at: number; json: string }>();
  /** When funnels may be counted again (`PROGRESS_MAX_SHARE`). */
  private progressDueAt = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.OutboundMessages) private readonly queue: Queue<SendBatchJob>,
    private readonly campaigns: CampaignsService,
    private readonly outbound: OutboundService,
    private readonly stats: CampaignStats,
    private readonly publisher: RealtimePublisher,
  ) {}

  async tick(): Promise<void> {
    await this.safely('starting scheduled campaigns', () => this.startDue());
    const running: RunningCampaign[] = await this.dataSource.query(
      `SELECT c.id, c.org_id, c.phone_number_id, c.template_id, c.parameters, p.throughput_mps, p.waba_account_id, w.messaging_limit_tier
       FROM campaigns c
       JOIN phone_numbers p ON p.id = c.phone_number_id
       JOIN waba_accounts w ON w.id = p.waba_account_id
       WHERE c.status = 'running'`,
    );
    for (const campaign of running) await this.safely(`campaign ${campaign.id}`, () => this.dispatch(campaign));
    await this.safely('publishing progress', () => this.publishProgress());
  }

  /** One campaign's trouble (or a scheduled start's) must not hold up the others: logged, tried next tick. */
  private async safely(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.logger.warn(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Scheduled campaigns whose time came: snapshot and run (one worker wins each). */
  private async startDue(): Promise<void> {
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM campaigns WHERE status = 'scheduled' AND scheduled_at <= now() ORDER BY scheduled_at LIMIT 10`,
    );
    for (const { id } of due) {
      await this.dataSource.transaction(async (manager) => {
        const campaign = await manager
          .createQueryBuilder(Campaign, 'campaign')
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .where('campaign.id = :id AND campaign.status = :status', { id, status: 'scheduled' })
          .getOne();
        if (!campaign) return;
        const template = await manager.findOneBy(Template, { id: campaign.templateId });
        if (template?.status !== 'APPROVED') {
          await manager.update(
            Campaign,
            { id },
            {
              status: 'failed',
              completedAt: new Date(),
              statusReason: `The template was ${template?.status ?? 'deleted'} when the campaign was due`,
            },
          );
          return;
        }
        await this.campaigns.start(manager, campaign);
      });
    }
  }

  /** Tops up the campaign's window of queued messages from its pending recipients. */
  private async dispatch(campaign: RunningCampaign): Promise<void> {
    // A claim older than a few seconds is a send whose outcome is unknown (its worker died): it waits
    // for Meta's webhook or its lease, and must not hold the rest of the campaign back meanwhile.
    const [{ queued }]: { queued: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS queued FROM messages
       WHERE campaign_id = $1 AND status = 'queued' AND ${UNSENT_SQL} AND (sending_at IS NULL OR sending_at > now() - interval '5 seconds')`,
      [campaign.id],
    );
    const window = Math.max(1, Math.ceil(campaign.throughput_mps * WINDOW_SECONDS));
    let room = Math.min(window - queued, MAX_BATCH);
    if (room <= 0) return;
    const limit = campaign.messaging_limit_tier ? MESSAGING_LIMITS[campaign.messaging_limit_tier] : null;
    if (limit !== null) {
      const left = limit - (await this.reachedToday(campaign.waba_account_id));
      if (left <= 0) return this.waitForLimit(campaign, limit);
      room = Math.min(room, left);
    }
    const template = await this.dataSource.getRepository(Template).findOneBy({ id: campaign.template_id });
    const problem =
      !template || template.status !== 'APPROVED'
        ? `Meta reports the template as ${template?.status ?? 'deleted'}`
        : mappingMismatch(template, campaign.parameters);
    if (!template || problem) {
      await this.dataSource.query(
        `UPDATE campaigns SET status = 'paused', status_reason = $2, updated_at = now() WHERE id = $1 AND status = 'running'`,
        [campaign.id, `Paused: ${problem}`],
      );
      return;
    }
    const messageIds = await this.dataSource.transaction((manager) =>
      this.queueBatch(manager, campaign, template, room),
    );
    if (messageIds === null) return this.completeIfDone(campaign);
    if (messageIds.length === 0) return;
    // Counted until the next recount, which finds them in PostgreSQL.
    const reach = this.reached.get(campaign.waba_account_id);
    if (reach) reach.count += messageIds.length;
    // Redis may refuse: the messages stay queued and the send sweeper queues them one by one.
    const batches = Array.from({ length: Math.ceil(messageIds.length / SEND_BATCH) }, (_, i) =>
      messageIds.slice(i * SEND_BATCH, (i + 1) * SEND_BATCH),
    );
    await this.queue
      .addBulk(
        batches.map((ids) => ({
          name: 'send-batch',
          data: { orgId: campaign.org_id, phoneNumberId: campaign.phone_number_id, messageIds: ids },
          opts: {
            ...this.outbound.sendJobOptions(ids[0] ?? ''),
            jobId: `send-batch-${ids[0]}`,
            removeOnComplete: true,
          },
        })),
      )
      .catch((error: unknown) =>
        this.logger.warn(`campaign ${campaign.id}: ${messageIds.length} sends left to the sweeper (${String(error)})`),
      );
  }

  /**
   * Turns up to `room` pending recipients into queued template messages, in their contacts'
   * conversations. Null when no recipient was pending.
   */
  private async queueBatch(
    manager: EntityManager,
    campaign: RunningCampaign,
    template: Template,
    room: number,
  ): Promise<string[] | null> {
    const recipients: PendingRecipient[] = await manager.query(
      `SELECT r.id, r.contact_id, r.parameters, c.opt_in_status, c.erased_at IS NOT NULL AS erased
       FROM campaign_recipients r JOIN contacts c ON c.id = r.contact_id
       WHERE r.campaign_id = $1 AND r.state = 'pending'
       ORDER BY r.id LIMIT $2
       FOR UPDATE OF r SKIP LOCKED`,
      [campaign.id, room],
    );
    if (recipients.length === 0) return null;
    // Opted out (or erased) since launch: they get nothing.
    const gone = recipients.filter((r) => r.erased || r.opt_in_status !== 'opted_in');
    if (gone.length > 0)
      await manager.query(
        `UPDATE campaign_recipients r SET state = 'skipped', skip_reason = x.reason
         FROM unnest($1::bigint[], $2::text[]) AS x(id, reason) WHERE r.id = x.id`,
        [
          gone.map((r) => r.id),
          gone.map((r) => (r.erased ? 'erased' : r.opt_in_status === 'opted_out' ? 'opted_out' : 'not_opted_in')),
        ],
      );
    const sendable = recipients.filter((r) => !gone.includes(r));
    if (sendable.length === 0) return [];

    const definition: TemplateDefinition = {
      parameter_format: template.parameterFormat,
      components: template.components,
    };
    const sends = sendable.map((recipient) => {
      const content: OutboundContent = {
        type: 'template',
        template: {
          name: template.name,
          language: { code: template.language },
          components: templateComponentsFrom(definition, recipient.parameters),
        },
      };
      return { recipient, content, body: describeOutbound(content, definition) };
    });
    // A recipient without an open conversation gets one that already shows the message: it is not
    // written a second time below.
    const contactIds = sendable.map((r) => r.contact_id);
    const opened: { id: string }[] = await manager.query(
      `INSERT INTO conversations (org_id, phone_number_id, contact_id, status, last_message_at, last_message_preview)
       SELECT $1, $2, x.contact_id, 'open', now(), left(x.body, 200) FROM unnest($3::uuid[], $4::text[]) AS x(contact_id, body)
       ON CONFLICT (phone_number_id, contact_id) WHERE status <> 'resolved' DO NOTHING
       RETURNING id`,
      [campaign.org_id, campaign.phone_number_id, contactIds, sends.map((send) => send.body)],
    );
    const fresh = new Set(opened.map((c) => c.id));
    const conversations: { id: string; contact_id: string }[] = await manager.query(
      `SELECT id, contact_id FROM conversations WHERE phone_number_id = $1 AND contact_id = ANY($2::uuid[]) AND status <> 'resolved'`,
      [campaign.phone_number_id, contactIds],
    );
    const conversationOf = new Map(conversations.map((c) => [c.contact_id, c.id]));
    const rows = sends.map(({ recipient, content, body }) => {
      const conversationId = conversationOf.get(recipient.contact_id);
      return {
        recipient_id: recipient.id,
        conversation_id: conversationId,
        contact_id: recipient.contact_id,
        body,
        payload: content,
        fresh: conversationId !== undefined && fresh.has(conversationId),
      };
    });
    const messages: { id: string; recipient_id: string }[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, body, payload,
                               occurred_at, campaign_id)
         SELECT $1, x.conversation_id, x.contact_id, $2, 'outbound', 'template', 'queued', x.body, x.payload, now(), $3
         FROM jsonb_to_recordset($4::jsonb) AS x(conversation_id uuid, contact_id uuid, body text, payload jsonb)
         RETURNING id, contact_id
       ), marked AS (
         UPDATE campaign_recipients r SET state = 'queued', message_id = i.id
         FROM inserted i JOIN jsonb_to_recordset($4::jsonb) AS x(recipient_id bigint, contact_id uuid) ON x.contact_id = i.contact_id
         WHERE r.id = x.recipient_id
         RETURNING r.id AS recipient_id, i.id
       ), touched AS (
         UPDATE conversations c SET last_message_at = now(), last_message_preview = left(x.body, 200), updated_at = now()
         FROM jsonb_to_recordset($4::jsonb) AS x(conversation_id uuid, body text, fresh boolean)
         WHERE c.id = x.conversation_id AND NOT x.fresh
       )
       SELECT id, recipient_id FROM marked`,
      [campaign.org_id, campaign.phone_number_id, campaign.id, JSON.stringify(rows)],
    );
    return messages.map((m) => m.id);
  }

  /**
   * Unique customers the account's numbers reached with templates in the last 24 hours. Counted
   * in PostgreSQL at most once a second per account (a distinct count over a day of messages is too
   * heavy for every tick); in between, this process adds what it queues.
   */
  private async reachedToday(wabaAccountId: string): Promise<number> {
    const known = this.reached.get(wabaAccountId);
    if (known && Date.now() - known.at < REACH_RECOUNT_MS) return known.count;
    const count = await this.countReached(wabaAccountId);
    this.reached.set(wabaAccountId, { at: Date.now(), count });
    return count;
  }

  private async countReached(wabaAccountId: string): Promise<number> {
    const [row]: { reached: number }[] = await this.dataSource.query(
      `SELECT count(DISTINCT m.contact_id)::int AS reached
       FROM messages m JOIN phone_numbers p ON p.id = m.phone_number_id
       WHERE p.waba_account_id = $1 AND m.direction = 'outbound' AND m.type = 'template'
         AND m.created_at > now() - interval '24 hours' AND m.status <> 'failed'`,
      [wabaAccountId],
    );
    return row?.reached ?? 0;
  }

  private async waitForLimit(campaign: RunningCampaign, limit: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE campaigns SET status_reason = $2, updated_at = now() WHERE id = $1 AND status_reason IS DISTINCT FROM $2`,
      [campaign.id, `Waiting for the messaging limit: ${limit.toLocaleString('en')} customers per 24 hours reached`],
    );
  }

  /** Completed when nothing is pending and nothing is waiting to be sent; partners hear of it. */
  private async completeIfDone(campaign: RunningCampaign): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [completed] = await returning<{ id: string }>(
        manager,
        `UPDATE campaigns SET status = 'completed', completed_at = now(), status_reason = NULL, updated_at = now()
         WHERE id = $1 AND status = 'running'
           AND NOT EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id = $1 AND state = 'pending')
           AND NOT EXISTS (SELECT 1 FROM messages WHERE campaign_id = $1 AND status = 'queued' AND ${UNSENT_SQL})
         RETURNING id`,
        [campaign.id],
      );
      if (!completed) return;
      await emitPartnerEvent(manager, campaign.org_id, 'campaign.completed', async () => {
        const row = await manager.getRepository(Campaign).findOneByOrFail({ id: campaign.id });
        return { campaign: CampaignDto.from(row, await this.stats.forCampaign(row)) };
      });
    });
  }

  /** Tells the org's consoles how running (and recently ended) campaigns are doing, when it changed. */
  private async publishProgress(): Promise<void> {
    const now = Date.now();
    if (now < this.progressDueAt) return;
    const live = await this.dataSource
      .getRepository(Campaign)
      .createQueryBuilder('campaign')
      .where(
        `campaign.status IN ('running', 'paused') OR (campaign.status IN ('completed', 'cancelled', 'failed') AND campaign.updatedAt > :since)`,
        { since: new Date(now - PROGRESS_AFTER_END_MS) },
      )
      .getMany();
    const due = live.filter((c) => now - (this.published.get(c.id)?.at ?? 0) >= PROGRESS_EVERY_MS);
    if (due.length === 0) return;
    const stats = await this.stats.forCampaigns(due);
    this.progressDueAt = now + (Date.now() - now) / PROGRESS_MAX_SHARE;
    for (const campaign of due) {
      const dto = CampaignDto.from(campaign, stats.get(campaign.id) ?? NO_STATS);
      const json = JSON.stringify(dto);
      if (this.published.get(campaign.id)?.json === json) continue;
      this.published.set(campaign.id, { at: now, json });
      this.publisher.toOrg(campaign.orgId, 'campaign.updated', dto);
    }
    for (const id of this.published.keys()) if (!live.some((c) => c.id === id)) this.published.delete(id);
  }
}
