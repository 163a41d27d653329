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
import { DAILY_STATS_SQL } from './daily-stats';
import { daysOf, type Period, resolvePeriod } from './period';
import { labelMix, messagesPerDay, outboundTotals, ratio, type TrafficRow } from './report';
import { PgTimeZones } from './time-zones';

/** A period with its bounds as instants: [start, end). */
export interface ReportWindow extends Period {
  start: Date;
  end: Date;
  /** When each day of the period starts, then when the last one ends. */
  dayStarts: Date[];
  /** Whether the period is in the org's own time zone, the one `message_stats_daily` is counted in. */
  orgZone: boolean;
}

/*
 * Every statement takes $1 = org id, $2 = start, $3 = end (the window's instants, so days follow the
 * zone's DST changes) and reads through an index led by org_id (migrations AnalyticsIndexes and
 * AnalyticsRollups), except those over DAILY_STATS_SQL, which take its parameters.
 */

/** Messages by day, direction, status and error code. */
const TRAFFIC_SQL = `${DAILY_STATS_SQL}
  SELECT day::text, direction, status, error_code, sum(count)::int AS count
  FROM daily WHERE kind = 'traffic'
  GROUP BY 1, 2, 3, 4`;

/** Failed outbound messages by Meta's code, with the title Meta gave. */
const FAILURES_SQL = `${DAILY_STATS_SQL}
  SELECT error_code AS code, COALESCE(min(error_title), '') AS title, sum(count)::int AS count
  FROM daily WHERE kind = 'failure'
  GROUP BY error_code
  ORDER BY count DESC, code NULLS LAST`;

/** Messages the AI read, by intent and sentiment. */
const AI_SQL = `${DAILY_STATS_SQL}
  SELECT intent, sentiment, sum(count)::int AS count
  FROM daily WHERE kind = 'ai'
  GROUP BY 1, 2`;

/** Messages each member sent. */
const SENT_SQL = `${DAILY_STATS_SQL}
  SELECT sender_id AS user_id, sum(count)::int AS count
  FROM daily WHERE kind = 'sender'
  GROUP BY 1`;

/** Template messages by name and language, with their funnel. */
const TEMPLATES_SQL = `${DAILY_STATS_SQL}
  SELECT template AS name, language,
         COALESCE(sum(count) FILTER (WHERE status IN ('sent', 'delivered', 'read')), 0)::int AS sent,
         COALESCE(sum(count) FILTER (WHERE status IN ('delivered', 'read')), 0)::int AS delivered,
         COALESCE(sum(count) FILTER (WHERE status = 'read'), 0)::int AS read,
         COALESCE(sum(count) FILTER (WHERE status = 'failed'), 0)::int AS failed
  FROM daily WHERE kind = 'template'
  GROUP BY 1, 2
  ORDER BY sent DESC, name, language`;

/** Seconds from `from` to `to`, as a float, for percentiles. */
const seconds = (from: string, to: string) => `extract(epoch FROM ${to} - ${from})::float8`;

/** Contacts added and opted out, conversations resolved and how long resolving took. */
const PEOPLE_SQL = `
  SELECT
    (SELECT count(*)::int FROM contacts c
     WHERE c.org_id = $1 AND c.created_at >= $2 AND c.created_at < $3) AS contacts_added,
    (SELECT count(*)::int FROM contacts c
     WHERE c.org_id = $1 AND c.opt_in_status = 'opted_out' AND c.opt_in_changed_at >= $2 AND c.opt_in_changed_at < $3)
      AS contacts_opted_out,
    r.count AS resolved, r.median, r.p90
  FROM (SELECT count(*)::int AS count,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY ${seconds('v.created_at', 'v.resolved_at')}) AS median,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY ${seconds('v.created_at', 'v.resolved_at')}) AS p90
        FROM conversations v
        WHERE v.org_id = $1 AND v.resolved_at >= $2 AND v.resolved_at < $3) r`;

/**
 * The conversations opened in the window: who was given each, who replied first and how long the
 * first reply took (null without one), kept on the conversation by a trigger (migration
 * AnalyticsRollups). One index-only scan of conversations_org_created_at.
 */
const OPENED_CONVERSATIONS_SQL = `
  SELECT v.assignee_id, v.first_responder_id, ${seconds('v.first_inbound_at', 'v.first_response_at')} AS seconds
  FROM conversations v
  WHERE v.org_id = $1 AND v.created_at >= $2 AND v.created_at < $3`;

/** How many were opened, and their first-response times (percentiles skip the nulls). */
const OPENED_SQL = `
  SELECT count(*)::int AS opened, count(o.seconds)::int AS count,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY o.seconds) AS median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY o.seconds) AS p90
  FROM (${OPENED_CONVERSATIONS_SQL}) o`;

/** Every member with what they did in the window; $4 and $5 hold the messages each sent (SENT_SQL). */
const AGENTS_SQL = `
  WITH opened AS (${OPENED_CONVERSATIONS_SQL}
  ), assigned AS (
    SELECT o.assignee_id AS user_id, count(*)::int AS count FROM opened o WHERE o.assignee_id IS NOT NULL
    GROUP BY 1
  ), resolved AS (
    SELECT v.assignee_id AS user_id, count(*)::int AS count FROM conversations v
    WHERE v.org_id = $1 AND v.resolved_at >= $2 AND v.resolved_at < $3 AND v.assignee_id IS NOT NULL
    GROUP BY 1
  ), first_responses AS (
    SELECT o.first_responder_id AS user_id, count(o.seconds)::int AS count,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY o.seconds) AS median
    FROM opened o WHERE o.first_responder_id IS NOT NULL
    GROUP BY 1
  )
  SELECT u.id AS user_id, u.name, u.email, ms.role,
         COALESCE(a.count, 0) AS assigned, COALESCE(r.count, 0) AS resolved, COALESCE(s.count, 0) AS sent,
         COALESCE(f.count, 0) AS first_responses, f.median
  FROM memberships ms
  JOIN users u ON u.id = ms.user_id
  LEFT JOIN assigned a ON a.user_id = ms.user_id
  LEFT JOIN resolved r ON r.user_id = ms.user_id
  LEFT JOIN unnest($4::uuid[], $5::int[]) AS s(user_id, count) ON s.user_id = ms.user_id
  LEFT JOIN first_responses f ON f.user_id = ms.user_id
  WHERE ms.org_id = $1
  ORDER BY sent DESC, assigned DESC, u.name, u.email`;

const CAMPAIGNS_SQL = `
  SELECT c.id, c.name, c.status, c.started_at, c.unmatched_count
  FROM campaigns c
  WHERE c.org_id = $1 AND c.started_at >= $2 AND c.started_at < $3
  ORDER BY c.started_at DESC, c.id`;

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
 * campaign. Message counts come from daily rollups in the org's time zone where nothing changed
 * since they were counted, else from the messages (DAILY_STATS_SQL); the rest from the rows, through
 * indexes led by org_id.
 */
@Injectable()
export class AnalyticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly campaignStats: CampaignStats,
    private readonly zones: PgTimeZones,
  ) {}

  /** The period asked for, in the zone asked for or the org's, with its bounds; 422 naming the field at fault. */
  async window(orgId: string, query: AnalyticsQuery): Promise<ReportWindow> {
    const zones = await this.timezones(orgId, query.tz);
    const period = resolvePeriod(query, zones.asked);
    // When each day starts in the zone (days are 23 or 25 hours long across DST changes), and the last ends.
    const [row]: { starts: Date[] }[] = await this.dataSource.query(
      `SELECT array_agg(day::timestamp AT TIME ZONE $3 ORDER BY day) AS starts
       FROM generate_series($1::date, $2::date + 1, interval '1 day') AS day`,
      [period.from, period.to, period.timezone],
    );
    const starts = row?.starts ?? [];
    const [start, end] = [starts[0], starts[starts.length - 1]];
    if (!start || !end) throw new Error(`no day boundaries for ${period.from}..${period.to} in ${period.timezone}`);
    return { ...period, start, end, dayStarts: starts, orgZone: zones.asked === zones.org };
  }

  async overview(orgId: string, window: ReportWindow): Promise<AnalyticsOverviewDto> {
    const params = [orgId, window.start, window.end];
    const daily = this.dailyParams(orgId, window);
    const [traffic, failures, ai, [people], [opened]] = await Promise.all([
      this.dataSource.query(TRAFFIC_SQL, daily) as Promise<TrafficRow[]>,
      this.dataSource.query(FAILURES_SQL, daily) as Promise<FailureCodeDto[]>,
      this.dataSource.query(AI_SQL, daily) as Promise<
        { intent: string | null; sentiment: string | null; count: number }[]
      >,
      this.dataSource.query(PEOPLE_SQL, params) as Promise<
        ({
          contacts_added: number;
          contacts_opted_out: number;
          resolved: number;
        } & Omit<DurationRow, 'count'>)[]
      >,
      this.dataSource.query(OPENED_SQL, params) as Promise<(DurationRow & { opened: number })[]>,
    ]);
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
        opened: opened?.opened ?? 0,
        resolved: people?.resolved ?? 0,
        firstResponse: durations(opened),
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
    const sent: { user_id: string; count: number }[] = await this.dataSource.query(
      SENT_SQL,
      this.dailyParams(orgId, window),
    );
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
    }[] = await this.dataSource.query(AGENTS_SQL, [
      orgId,
      window.start,
      window.end,
      sent.map((row) => row.user_id),
      sent.map((row) => row.count),
    ]);
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
    const rows: Omit<TemplateStatsDto, 'readRate'>[] = await this.dataSource.query(
      TEMPLATES_SQL,
      this.dailyParams(orgId, window),
    );
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

  /** The zone asked for (422 when PostgreSQL does not know it) or the org's, and the org's. */
  private async timezones(orgId: string, asked: string | undefined): Promise<{ asked: string; org: string }> {
    const [row]: { timezone: string }[] = await this.dataSource.query(
      'SELECT timezone FROM organizations WHERE id = $1',
      [orgId],
    );
    const org = await this.zones.orgZone(row?.timezone ?? 'UTC');
    if (asked === undefined) return { asked: org, org };
    const zone = await this.zones.find(asked);
    if (!zone)
      throw DomainError.invalidField(
        ErrorCode.InvalidPeriod,
        'tz',
        `tz must be an IANA time zone such as America/Sao_Paulo (got "${asked}")`,
      );
    return { asked: zone, org };
  }

  /** DAILY_STATS_SQL's parameters for the window. */
  private dailyParams(orgId: string, window: ReportWindow): unknown[] {
    return [orgId, daysOf(window), window.dayStarts.slice(0, -1), window.dayStarts.slice(1), window.orgZone];
  }
}

export function periodOf(window: ReportWindow): Period {
  return { from: window.from, to: window.to, timezone: window.timezone };
}
