import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { containsPattern, decodeCursor, DEFAULT_PAGE_SIZE, isBigintId, Page, toPage } from '@parley/api/core';
import { DataSource } from 'typeorm';
import { SqlParams, UNKNOWN_NUMBER } from './audience';
import {
  CampaignRecipientDto,
  CampaignStatsDetailDto,
  CampaignStatsDto,
  RecipientsQuery,
  RecipientStatus,
} from './dto/campaign.dto';
import type { Campaign } from './entities/campaign.entity';

/** A reply counts for a campaign when it comes within this long of the message's delivery. */
const REPLY_WINDOW = '72 hours';

/** A recipient's status: its own state until it has a message, then the message's. */
const STATUS_SQL = `CASE WHEN r.state = 'queued' THEN m.status::text ELSE r.state::text END`;
/**
 * When the recipient first wrote back within the window after delivery (null: not). Meta dates
 * messages in whole seconds and a delivery may be dated by our send, in milliseconds: a reply in
 * the same second as the delivery counts.
 */
const REPLIED_AT_SQL = `(SELECT min(i.occurred_at) FROM messages i
   WHERE i.conversation_id = m.conversation_id AND i.direction = 'inbound'
     AND i.occurred_at >= date_trunc('second', COALESCE(m.delivered_at, m.read_at))
     AND i.occurred_at < COALESCE(m.delivered_at, m.read_at) + interval '${REPLY_WINDOW}')`;

const COUNTS_SQL = `
  count(*) AS targeted,
  count(*) FILTER (WHERE r.state = 'skipped') AS skipped,
  count(*) FILTER (WHERE r.state = 'cancelled') AS cancelled,
  count(*) FILTER (WHERE r.state = 'pending' OR m.status = 'queued') AS queued,
  count(*) FILTER (WHERE m.status IN ('sent', 'delivered', 'read')) AS sent,
  count(*) FILTER (WHERE m.status IN ('delivered', 'read')) AS delivered,
  count(*) FILTER (WHERE m.status = 'read') AS read,
  count(*) FILTER (WHERE m.status = 'failed') AS failed,
  count(*) FILTER (WHERE m.status IN ('delivered', 'read') AND ${REPLIED_AT_SQL} IS NOT NULL) AS replied`;

type Counts = Record<keyof CampaignStatsDto, string>;

/** The funnel of a campaign nobody was targeted by yet. */
export const NO_STATS: CampaignStatsDto = {
  targeted: 0,
  skipped: 0,
  queued: 0,
  sent: 0,
  delivered: 0,
  read: 0,
  replied: 0,
  failed: 0,
  cancelled: 0,
};

interface RecipientRow {
  id: string;
  contact_id: string;
  phone: string;
  name: string | null;
  status: RecipientStatus;
  skip_reason: string | null;
  message_id: string | null;
  error_code: number | null;
  error_title: string | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  replied_at: Date | null;
}

/**
 * A campaign's funnel and recipients, read from its recipient rows and their messages: the
 * messages' statuses come from Meta's webhooks, so the numbers are always what Meta said, with no
 * counters to drift.
 */
@Injectable()
export class CampaignStats {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The funnel of each campaign (unlaunched ones count nothing). */
  async forCampaigns(campaigns: Pick<Campaign, 'id' | 'unmatchedCount'>[]): Promise<Map<string, CampaignStatsDto>> {
    const stats = new Map(
      campaigns.map((c) => [c.id, { ...NO_STATS, targeted: c.unmatchedCount, skipped: c.unmatchedCount }]),
    );
    if (campaigns.length === 0) return stats;
    const rows: (Counts & { campaign_id: string })[] = await this.dataSource.query(
      `SELECT r.campaign_id, ${COUNTS_SQL}
       FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id
       WHERE r.campaign_id = ANY($1::uuid[]) GROUP BY r.campaign_id`,
      [campaigns.map((c) => c.id)],
    );
    for (const row of rows) {
      const base = stats.get(row.campaign_id) ?? NO_STATS;
      const counts = Object.fromEntries(
        (Object.keys(NO_STATS) as (keyof CampaignStatsDto)[]).map((key) => [key, Number(row[key]) + base[key]]),
      ) as unknown as CampaignStatsDto;
      stats.set(row.campaign_id, counts);
    }
    return stats;
  }

  async forCampaign(campaign: Pick<Campaign, 'id' | 'unmatchedCount'>): Promise<CampaignStatsDto> {
    return (await this.forCampaigns([campaign])).get(campaign.id) ?? NO_STATS;
  }

  /** The funnel with skips by reason and failures by Meta's error code. */
  async detail(campaign: Pick<Campaign, 'id' | 'unmatchedCount'>): Promise<CampaignStatsDetailDto> {
    const [stats, skips, failures] = await Promise.all([
      this.forCampaign(campaign),
      this.dataSource.query(
        `SELECT skip_reason AS reason, count(*) AS count FROM campaign_recipients
         WHERE campaign_id = $1 AND state = 'skipped' GROUP BY skip_reason ORDER BY count DESC`,
        [campaign.id],
      ) as Promise<{ reason: string; count: string }[]>,
      this.dataSource.query(
        `SELECT m.error_code AS code, min(m.error_title) AS title, count(*) AS count
         FROM campaign_recipients r JOIN messages m ON m.id = r.message_id
         WHERE r.campaign_id = $1 AND m.status = 'failed' GROUP BY m.error_code ORDER BY count DESC`,
        [campaign.id],
      ) as Promise<{ code: number | null; title: string | null; count: string }[]>,
    ]);
    const skippedByReason = Object.fromEntries(skips.map((row) => [row.reason, Number(row.count)]));
    if (campaign.unmatchedCount > 0) skippedByReason[UNKNOWN_NUMBER] = campaign.unmatchedCount;
    return {
      ...stats,
      skippedByReason,
      failedByCode: failures.map((row) => ({ code: row.code, title: row.title ?? '', count: Number(row.count) })),
    };
  }

  /** One page of recipients in snapshot order, filtered by status, reply or phone. */
  async recipients(campaignId: string, query: RecipientsQuery): Promise<Page<CampaignRecipientDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const params = new SqlParams();
    const where = this.filters(campaignId, query, params);
    if (query.cursor) where.push(`r.id > ${params.bind(decodeCursor(query.cursor, [isBigintId])[0])}`);
    const rows = await this.select(where, params, `LIMIT ${limit + 1}`);
    return toPage(rows.map(toDto), limit, (last) => [last.id]);
  }

  /** Every matching recipient, a page of rows at a time (for the CSV export). */
  async *allRecipients(campaignId: string, query: RecipientsQuery): AsyncGenerator<CampaignRecipientDto[]> {
    let after = '0';
    for (;;) {
      const params = new SqlParams();
      const where = [...this.filters(campaignId, query, params), `r.id > ${params.bind(after)}`];
      const rows = await this.select(where, params, 'LIMIT 2000');
      if (rows.length === 0) return;
      yield rows.map(toDto);
      after = rows[rows.length - 1]?.id ?? after;
    }
  }

  private filters(campaignId: string, query: RecipientsQuery, params: SqlParams): string[] {
    const where = [`r.campaign_id = ${params.bind(campaignId)}`];
    if (query.status) where.push(`${STATUS_SQL} = ${params.bind(query.status)}`);
    if (query.q) where.push(`r.phone LIKE ${params.bind(containsPattern(query.q))}`);
    if (query.replied === 'true') where.push(`${REPLIED_AT_SQL} IS NOT NULL`);
    if (query.replied === 'false') where.push(`(m.id IS NULL OR ${REPLIED_AT_SQL} IS NULL)`);
    return where;
  }

  private select(where: string[], params: SqlParams, tail: string): Promise<RecipientRow[]> {
    return this.dataSource.query(
      `SELECT r.id, r.contact_id, r.phone, COALESCE(c.name, c.profile_name) AS name, ${STATUS_SQL} AS status,
              r.skip_reason, r.message_id, m.error_code, m.error_title, m.sent_at, m.delivered_at, m.read_at,
              CASE WHEN m.id IS NULL THEN NULL ELSE ${REPLIED_AT_SQL} END AS replied_at
       FROM campaign_recipients r
       JOIN contacts c ON c.id = r.contact_id
       LEFT JOIN messages m ON m.id = r.message_id
       WHERE ${where.join(' AND ')}
       ORDER BY r.id ${tail}`,
      params.values,
    );
  }
}

function toDto(row: RecipientRow): CampaignRecipientDto {
  return {
    id: String(row.id),
    contactId: row.contact_id,
    phone: row.phone,
    name: row.name,
    status: row.status,
    skipReason: row.skip_reason,
    messageId: row.message_id,
    errorCode: row.error_code,
    errorTitle: row.error_title,
    sentAt: row.sent_at,
    deliveredAt: row.delivered_at,
    readAt: row.read_at,
    repliedAt: row.replied_at,
  };
}
