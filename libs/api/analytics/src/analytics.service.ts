import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CampaignStats, NO_STATS } from '@parley/api/campaigns';
import { DomainError, ErrorCode, type Role } from '@parley/api/core';
import { DataSource } from 'typeorm';
import type {
  AgentStatsDto,
  AnalyticsOverviewDto,
  AnalyticsQuery,
  CampaignSummaryDto,
  DurationStatsDto,
  FailureCodeDto,
  TemplateStatsDto,
} from './dto/analytics.dto';
import { daysOf, type Period, resolvePeriod } from './period';
import { labelMix, messagesPerDay, outboundTotals, ratio, type TrafficRow } from './report';

/** A period with its bounds as instants: [start, end). */
export interface ReportWindow extends Period {
  start: Date;
  end: Date;
  /** When each day of the period starts, then when the last one ends. */
  dayStarts: Date[];
}

/*
 * Every statement takes $1 = org id, $2 = start, $3 = end (the window's instants, so days follow the
 * zone's DST changes) and reads through an index led by org_id (migration AnalyticsIndexes).
 */

/**
 * Messages by day, direction, status and error code: an index-only scan of messages_org_occurred_at.
 * $4 holds the instants each day starts at (and the one after the last day ends), so a message's
 * day is a binary search (width_bucket), twice as fast as converting every row to local time.
 */
const TRAFFIC_SQL = `
  SELECT width_bucket(m.occurred_at, $4::timestamptz[]) AS day, m.direction, m.status, m.error_code,
         count(*)::int AS count
  FROM messages m
  WHERE m.org_id = $1 AND m.occurred_at >= $2 AND m.occurred_at < $3
  GROUP BY 1, 2, 3, 4`;

/** Failed outbound messages by Meta's code, with the title Meta gave: an index-only scan of messages_org_failed_at. */
const FAILURES_SQL = `
  SELECT m.error_code AS code, COALESCE(min(m.error_title), '') AS title, count(*)::int AS count
  FROM messages m
  WHERE m.org_id = $1 AND m.status = 'failed' AND m.direction = 'outbound' AND m.occurred_at >= $2 AND m.occurred_at < $3
  GROUP BY m.error_code
  ORDER BY count DESC, code NULLS LAST`;

/** Messages the AI read, by intent and sentiment: an index-only scan of messages_org_analysed_at (those alone, with `ai`). */
const AI_SQL = `
  SELECT m.ai->>'intent' AS intent, m.ai->>'sentiment' AS sentiment, count(*)::int AS count
  FROM messages m
  WHERE m.org_id = $1 AND m.ai IS NOT NULL AND m.occurred_at >= $2 AND m.occurred_at < $3
    AND jsonb_typeof(m.ai) = 'object'
  GROUP BY 1, 2`;

/** Seconds from `from` to `to`, as a float, for percentiles. */
const seconds = (from: string, to: string) => `extract(epoch FROM ${to} - ${from})::float8`;

/** Contacts added and opted out, conversations opened and resolved, and how long resolving took. */
const PEOPLE_SQL = `
  SELECT
    (SELECT count(*)::int FROM contacts c
     WHERE c.org_id = $1 AND c.created_at >= $2 AND c.created_at < $3) AS contacts_added,
    (SELECT count(*)::int FROM contacts c
     WHERE c.org_id = $1 AND c.opt_in_status = 'opted_out' AND c.opt_in_changed_at >= $2 AND c.opt_in_changed_at < $3)
      AS contacts_opted_out,
    (SELECT count(*)::int FROM conversations v
     WHERE v.org_id = $1 AND v.created_at >= $2 AND v.created_at < $3) AS conversations_opened,
    r.count AS resolved, r.median, r.p90
  FROM (SELECT count(*)::int AS count,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY ${seconds('v.created_at', 'v.resolved_at')}) AS median,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY ${seconds('v.created_at', 'v.resolved_at')}) AS p90
        FROM conversations v
        WHERE v.org_id = $1 AND v.resolved_at >= $2 AND v.resolved_at < $3) r`;

/**
 * For each conversation opened in the window: the customer's first message, then the first reply
 * after it (by an agent, automation or the API: campaign sends are broadcasts, not replies), who
 * sent it and how long it took. Two index-only probes per conversation
 * (messages_conversation_direction_occurred_at); the messages belong to the org through their
 * org-scoped conversation.
 */
const FIRST_RESPONSES_SQL = `
  SELECT reply.sender_id, ${seconds('first_in.at', 'reply.at')} AS seconds
  FROM conversations v
  CROSS JOIN LATERAL (
    SELECT m.occurred_at AS at FROM messages m
    WHERE m.conversation_id = v.id AND m.direction = 'inbound'
    ORDER BY m.occurred_at LIMIT 1) first_in
  CROSS JOIN LATERAL (
    SELECT m.occurred_at AS at, m.sender_id FROM messages m
    WHERE m.conversation_id = v.id AND m.direction = 'outbound' AND m.campaign_id IS NULL AND m.occurred_at >= first_in.at
    ORDER BY m.occurred_at LIMIT 1) reply
  WHERE v.org_id = $1 AND v.created_at >= $2 AND v.created_at < $3`;

const FIRST_RESPONSE_SQL = `
  WITH responses AS (${FIRST_RESPONSES_SQL})
  SELECT count(*)::int AS count,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90
  FROM responses`;

/** Every member with what they did in the window. */
const AGENTS_SQL = `
  WITH assigned AS (
    SELECT v.assignee_id AS user_id, count(*)::int AS count FROM conversations v
    WHERE v.org_id = $1 AND v.created_at >= $2 AND v.created_at < $3 AND v.assignee_id IS NOT NULL
    GROUP BY 1
  ), resolved AS (
    SELECT v.assignee_id AS user_id, count(*)::int AS count FROM conversations v
    WHERE v.org_id = $1 AND v.resolved_at >= $2 AND v.resolved_at < $3 AND v.assignee_id IS NOT NULL
    GROUP BY 1
  ), sent AS (
    SELECT m.sender_id AS user_id, count(*)::int AS count FROM messages m
    WHERE m.org_id = $1 AND m.occurred_at >= $2 AND m.occurred_at < $3 AND m.direction = 'outbound'
      AND m.sender_id IS NOT NULL
    GROUP BY 1
  ), responses AS (${FIRST_RESPONSES_SQL}
  ), first_responses AS (
    SELECT r.sender_id AS user_id, count(*)::int AS count,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY r.seconds) AS median
    FROM responses r WHERE r.sender_id IS NOT NULL
    GROUP BY 1
  )
  SELECT u.id AS user_id, u.name, u.email, ms.role,
         COALESCE(a.count, 0) AS assigned, COALESCE(r.count, 0) AS resolved, COALESCE(s.count, 0) AS sent,
         COALESCE(f.count, 0) AS first_responses, f.median
  FROM memberships ms
  JOIN users u ON u.id = ms.user_id
  LEFT JOIN assigned a ON a.user_id = ms.user_id
  LEFT JOIN resolved r ON r.user_id = ms.user_id
  LEFT JOIN sent s ON s.user_id = ms.user_id
  LEFT JOIN first_responses f ON f.user_id = ms.user_id
  WHERE ms.org_id = $1
  ORDER BY sent DESC, assigned DESC, u.name, u.email`;

/** Template messages by name and language, with their funnel. */
const TEMPLATES_SQL = `
  SELECT t.name, t.language, t.sent, t.delivered, t.read, t.failed
  FROM (SELECT COALESCE(m.payload->'template'->>'name', '') AS name,
               COALESCE(m.payload->'template'->'language'->>'code', '') AS language,
               count(*) FILTER (WHERE m.status IN ('sent', 'delivered', 'read'))::int AS sent,
               count(*) FILTER (WHERE m.status IN ('delivered', 'read'))::int AS delivered,
               count(*) FILTER (WHERE m.status = 'read')::int AS read,
               count(*) FILTER (WHERE m.status = 'failed')::int AS failed
        FROM messages m
        WHERE m.org_id = $1 AND m.type = 'template' AND m.direction = 'outbound'
          AND m.occurred_at >= $2 AND m.occurred_at < $3
        GROUP BY 1, 2) t
  ORDER BY t.sent DESC, t.name, t.language`;

const CAMPAIGNS_SQL = `
  SELECT c.id, c.name, c.status, c.started_at, c.unmatched_count
  FROM campaigns c
  WHERE c.org_id = $1 AND c.started_at >= $2 AND c.started_at < $3
  ORDER BY c.started_at DESC, c.id`;

/** A traffic row whose day is the 1-based index of the period's day. */
type BucketRow = Omit<TrafficRow, 'day'> & { day: number };

interface DurationRow {
  count: number;
  median: number | null;
  p90: number | null;
}

function durations(row: DurationRow | undefined): DurationStatsDto {
  return { count: row?.count ?? 0, medianSeconds: row?.median ?? null, p90Seconds: row?.p90 ?? null };
}

/**
 * The org's numbers over a period of whole days in a time zone: traffic, delivery, failures,
 * contacts, conversations and response times, AI triage's reading, and per agent, template and
 * campaign. Read live from the rows (no counters to drift), through indexes that keep a month
 * of a busy org in the low hundreds of milliseconds.
 */
@Injectable()
export class AnalyticsService {
  /** PostgreSQL's zone names (what `AT TIME ZONE` understands), by lower-cased name. */
  private zones: Promise<Map<string, string>> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly campaignStats: CampaignStats,
  ) {}

  /** The period asked for, in the zone asked for or the org's, with its bounds; 422 naming the field at fault. */
  async window(orgId: string, query: AnalyticsQuery): Promise<ReportWindow> {
    const timezone = await this.timezone(orgId, query.tz);
    const period = resolvePeriod(query, timezone);
    // When each day starts in the zone (days are 23 or 25 hours long across DST changes), and the last ends.
    const [row]: { starts: Date[] }[] = await this.dataSource.query(
      `SELECT array_agg(day::timestamp AT TIME ZONE $3 ORDER BY day) AS starts
       FROM generate_series($1::date, $2::date + 1, interval '1 day') AS day`,
      [period.from, period.to, period.timezone],
    );
    const starts = row?.starts ?? [];
    const [start, end] = [starts[0], starts[starts.length - 1]];
    if (!start || !end) throw new Error(`no day boundaries for ${period.from}..${period.to} in ${period.timezone}`);
    return { ...period, start, end, dayStarts: starts };
  }

  async overview(orgId: string, window: ReportWindow): Promise<AnalyticsOverviewDto> {
    const params = [orgId, window.start, window.end];
    const [buckets, failures, ai, [people], [firstResponse]] = await Promise.all([
      this.dataSource.query(TRAFFIC_SQL, [...params, window.dayStarts]) as Promise<BucketRow[]>,
      this.dataSource.query(FAILURES_SQL, params) as Promise<FailureCodeDto[]>,
      this.dataSource.query(AI_SQL, params) as Promise<
        { intent: string | null; sentiment: string | null; count: number }[]
      >,
      this.dataSource.query(PEOPLE_SQL, params) as Promise<
        ({
          contacts_added: number;
          contacts_opted_out: number;
          conversations_opened: number;
          resolved: number;
        } & Omit<DurationRow, 'count'>)[]
      >,
      this.dataSource.query(FIRST_RESPONSE_SQL, params) as Promise<DurationRow[]>,
    ]);
    const days = daysOf(window);
    const traffic = buckets.flatMap(({ day, ...row }) => {
      const date = days[day - 1];
      return date ? [{ ...row, day: date }] : [];
    });
    return {
      period: periodOf(window),
      messagesPerDay: messagesPerDay(window, traffic),
      messages: {
        inbound: traffic.filter((row) => row.direction === 'inbound').reduce((sum, row) => sum + row.count, 0),
        outbound: outboundTotals(traffic),
      },
      failuresByCode: failures,
      contacts: { added: people?.contacts_added ?? 0, optedOut: people?.contacts_opted_out ?? 0 },
      conversations: {
        opened: people?.conversations_opened ?? 0,
        resolved: people?.resolved ?? 0,
        firstResponse: durations(firstResponse),
        resolution: durations(people && { count: people.resolved, median: people.median, p90: people.p90 }),
      },
      ai: {
        analysed: ai.reduce((sum, row) => sum + row.count, 0),
        intents: labelMix(ai.map((row) => ({ label: row.intent, count: row.count }))),
        sentiments: labelMix(ai.map((row) => ({ label: row.sentiment, count: row.count }))),
      },
    };
  }

  async agents(orgId: string, window: ReportWindow): Promise<AgentStatsDto[]> {
    const rows: {
      user_id: string;
      name: string;
      email: string;
      role: Role;
      assigned: number;
      resolved: number;
      sent: number;
      first_responses: number;
      median: number | null;
    }[] = await this.dataSource.query(AGENTS_SQL, [orgId, window.start, window.end]);
    return rows.map((row) => ({
      userId: row.user_id,
      name: row.name,
      email: row.email,
      role: row.role,
      conversationsAssigned: row.assigned,
      conversationsResolved: row.resolved,
      messagesSent: row.sent,
      firstResponses: row.first_responses,
      medianFirstResponseSeconds: row.median,
    }));
  }

  async templates(orgId: string, window: ReportWindow): Promise<TemplateStatsDto[]> {
    const rows: Omit<TemplateStatsDto, 'readRate'>[] = await this.dataSource.query(TEMPLATES_SQL, [
      orgId,
      window.start,
      window.end,
    ]);
    return rows.map((row) => ({ ...row, readRate: ratio(row.read, row.delivered) }));
  }

  /** Campaigns that started in the window, with the funnel their own page shows (CampaignStats). */
  async campaigns(orgId: string, window: ReportWindow): Promise<CampaignSummaryDto[]> {
    const campaigns: {
      id: string;
      name: string;
      status: CampaignSummaryDto['status'];
      started_at: Date;
      unmatched_count: number;
    }[] = await this.dataSource.query(CAMPAIGNS_SQL, [orgId, window.start, window.end]);
    const stats = await this.campaignStats.forCampaigns(
      campaigns.map((c) => ({ id: c.id, unmatchedCount: c.unmatched_count })),
    );
    return campaigns.map((campaign) => {
      const { targeted, sent, delivered, read, replied, failed } = stats.get(campaign.id) ?? NO_STATS;
      return {
        id: campaign.id,
        name: campaign.name,
        status: campaign.status,
        startedAt: campaign.started_at,
        targeted,
        sent,
        delivered,
        read,
        replied,
        failed,
      };
    });
  }

  /** The zone asked for (422 when PostgreSQL does not know it), else the org's (UTC if it went bad). */
  private async timezone(orgId: string, asked: string | undefined): Promise<string> {
    const zones = await this.zoneNames();
    if (asked !== undefined) {
      const zone = zones.get(asked.toLowerCase());
      if (!zone)
        throw DomainError.invalidField(
          ErrorCode.InvalidPeriod,
          'tz',
          `tz must be an IANA time zone such as America/Sao_Paulo (got "${asked}")`,
        );
      return zone;
    }
    const [org]: { timezone: string }[] = await this.dataSource.query(
      'SELECT timezone FROM organizations WHERE id = $1',
      [orgId],
    );
    return zones.get((org?.timezone ?? 'UTC').toLowerCase()) ?? 'UTC';
  }

  private zoneNames(): Promise<Map<string, string>> {
    this.zones ??= (this.dataSource.query('SELECT name FROM pg_timezone_names') as Promise<{ name: string }[]>).then(
      (rows) => new Map(rows.map((row) => [row.name.toLowerCase(), row.name])),
      (error: unknown) => {
        this.zones = null;
        throw error;
      },
    );
    return this.zones;
  }
}

export function periodOf(window: ReportWindow): Period {
  return { from: window.from, to: window.to, timezone: window.timezone };
}
