import { FAILED_SQL } from '@parley/api/conversations';

/**
 * Messages counted per org, local day and kind, as stored in `message_stats_daily` (migration
 * AnalyticsRollups) and as counted afresh from the messages. Both sides share the columns below,
 * so a report reads counted days and fresh ones through one UNION.
 *
 * - `traffic`: direction, status, error_code
 * - `failure`: failed outbound sends by error_code, with Meta's error_title
 * - `sender`: outbound messages per sender_id
 * - `template`: outbound template messages by template, language and status
 * - `ai`: messages triage read, by intent and sentiment
 */
export const DAILY_STATS_COLUMNS =
  'org_id, day, kind, direction, status, error_code, error_title, sender_id, template, language, intent, sentiment, count';

/**
 * A grouped count of each span's messages (`spans(org_id, day, start_at, end_at)`: a local day and
 * the instants it runs between), as `x`. Per span, so each is an index range scan: a plain join
 * would let the planner hash-join every message of the org.
 */
const perSpan = (columns: string, where: string, groupBy: string) => `
  FROM spans d CROSS JOIN LATERAL (
    SELECT ${columns}, count(*)::int AS count FROM messages m
    WHERE m.org_id = d.org_id AND m.occurred_at >= d.start_at AND m.occurred_at < d.end_at ${where}
    GROUP BY ${groupBy}) x`;

/**
 * Counts every kind for each span; the caller defines `spans` in a WITH. Each part reads through
 * its own index led by (org_id, occurred_at) (migration AnalyticsIndexes), index-only but for
 * traffic (a message's status is left out of every index, migration HotDeliveryUpdates) and
 * templates (their name is in the payload).
 */
export const COUNT_DAILY_STATS_SQL = `
  SELECT d.org_id, d.day, 'traffic' AS kind, x.direction, x.status, x.error_code, NULL AS error_title,
         NULL::uuid AS sender_id, NULL AS template, NULL AS language, NULL AS intent, NULL AS sentiment, x.count
  ${perSpan('m.direction, m.status, m.error_code', '', '1, 2, 3')}
  UNION ALL
  SELECT d.org_id, d.day, 'failure', 'outbound', 'failed', x.error_code, x.error_title, NULL, NULL, NULL, NULL, NULL, x.count
  ${perSpan('m.error_code, min(m.error_title) AS error_title', `AND ${FAILED_SQL} AND m.direction = 'outbound'`, '1')}
  UNION ALL
  SELECT d.org_id, d.day, 'sender', 'outbound', NULL, NULL, NULL, x.sender_id, NULL, NULL, NULL, NULL, x.count
  ${perSpan('m.sender_id', "AND m.direction = 'outbound' AND m.sender_id IS NOT NULL", '1')}
  UNION ALL
  SELECT d.org_id, d.day, 'template', 'outbound', x.status, NULL, NULL, NULL, x.template, x.language, NULL, NULL, x.count
  ${perSpan(
    `m.status, COALESCE(m.payload->'template'->>'name', '') AS template,
     COALESCE(m.payload->'template'->'language'->>'code', '') AS language`,
    "AND m.type = 'template' AND m.direction = 'outbound'",
    '1, 2, 3',
  )}
  UNION ALL
  SELECT d.org_id, d.day, 'ai', NULL, NULL, NULL, NULL, NULL, NULL, NULL, x.intent, x.sentiment, x.count
  ${perSpan(
    "m.ai->>'intent' AS intent, m.ai->>'sentiment' AS sentiment",
    "AND m.ai IS NOT NULL AND jsonb_typeof(m.ai) = 'object'",
    '1, 2',
  )}`;

/**
 * The org's daily stats over a report's days: stored counts for the days nothing has changed in
 * since the rollup counted them, fresh counts for the rest (a day with messages always has either
 * its counts or a stale hour, so a day with neither had none). The caller's WHERE on `kind` reaches into
 * both sides, so only that kind is counted.
 *
 * $1 org, $2 the days (local dates), $3 and $4 the instants each starts and ends at, $5 whether
 * stored counts may be used (they are kept in the org's own time zone only).
 */
export const DAILY_STATS_SQL = `
  WITH days AS (SELECT * FROM unnest($2::date[], $3::timestamptz[], $4::timestamptz[]) AS d(day, start_at, end_at)),
  spans AS (
    SELECT $1::uuid AS org_id, days.* FROM days
    WHERE NOT $5 OR EXISTS (SELECT 1 FROM analytics_stale_hours s
                            WHERE s.org_id = $1 AND s.hour > days.start_at - interval '1 hour' AND s.hour < days.end_at)
  ), daily AS (
    SELECT ${DAILY_STATS_COLUMNS} FROM message_stats_daily s
    WHERE $5 AND s.org_id = $1 AND s.day = ANY ($2::date[]) AND s.day NOT IN (SELECT day FROM spans)
    UNION ALL
    ${COUNT_DAILY_STATS_SQL}
  )`;
