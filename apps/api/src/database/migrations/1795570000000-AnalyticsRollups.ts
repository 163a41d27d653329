import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What makes a year of analytics as quick as a month:
 *
 * - `message_stats_daily`: messages counted per org, local day (in the org's time zone) and kind:
 *   `traffic` (direction, status, error code), `failure` (failed sends by code, with Meta's title),
 *   `sender` (outbound per member), `template` (template sends by name, language and status) and
 *   `ai` (triage's intent and sentiment). Written only by the worker's AnalyticsRollup.
 * - `analytics_stale_hours`: the UTC hours whose messages changed since their days were counted.
 *   Statement triggers on messages mark them, so no way of writing a message (webhooks, sends,
 *   campaigns, erasure, SQL by hand) can leave a count behind. Reports read a marked day from the
 *   messages themselves, so they are exact at every moment; the rollup catches up within seconds.
 *   A trigger adds a mark unless an unclaimed one is there, without a unique index: concurrent
 *   webhooks never wait on each other for it (a rare duplicate mark costs nothing). The rollup
 *   claims marks, then recounts their days once every transaction running at the claim has ended,
 *   so a write that saw the mark unclaimed is never missed; a later change marks the hour again.
 * - Changing an org's time zone moves every day boundary: its counts are dropped and every hour
 *   with messages marked.
 * - conversations' first inbound, first response and first responder, kept by a trigger on message
 *   inserts (for first-response times without two index probes per conversation).
 */
export class AnalyticsRollups1795570000000 implements MigrationInterface {
  name = 'AnalyticsRollups1795570000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "conversations" ADD "first_inbound_at" TIMESTAMP(3) WITH TIME ZONE,
       ADD "first_response_at" TIMESTAMP(3) WITH TIME ZONE, ADD "first_responder_id" uuid`,
    );
    await queryRunner.query(`
      UPDATE conversations v SET first_inbound_at = first_in.at, first_response_at = reply.at, first_responder_id = reply.sender_id
      FROM conversations c
      CROSS JOIN LATERAL (
        SELECT m.occurred_at AS at FROM messages m
        WHERE m.conversation_id = c.id AND m.direction = 'inbound' ORDER BY m.occurred_at LIMIT 1) first_in
      LEFT JOIN LATERAL (
        SELECT m.occurred_at AS at, m.sender_id FROM messages m
        WHERE m.conversation_id = c.id AND m.direction = 'outbound' AND m.campaign_id IS NULL AND m.occurred_at >= first_in.at
        ORDER BY m.occurred_at LIMIT 1) reply ON true
      WHERE v.id = c.id`);
    await queryRunner.query(`
      CREATE FUNCTION conversations_note_first_messages() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE conversations v SET first_inbound_at = f.at
        FROM (SELECT conversation_id, min(occurred_at) AS at FROM changed WHERE direction = 'inbound' GROUP BY 1) f
        WHERE v.id = f.conversation_id AND (v.first_inbound_at IS NULL OR v.first_inbound_at > f.at);
        UPDATE conversations v SET first_response_at = r.at, first_responder_id = r.sender_id
        FROM (SELECT DISTINCT ON (n.conversation_id) n.conversation_id, n.occurred_at AS at, n.sender_id
              FROM changed n JOIN conversations c ON c.id = n.conversation_id
              WHERE n.direction = 'outbound' AND n.campaign_id IS NULL AND n.occurred_at >= c.first_inbound_at
              ORDER BY n.conversation_id, n.occurred_at) r
        WHERE v.id = r.conversation_id AND (v.first_response_at IS NULL OR v.first_response_at > r.at);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER messages_first_messages AFTER INSERT ON messages
      REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION conversations_note_first_messages()`);

    await queryRunner.query(`
      CREATE TABLE "message_stats_daily" (
        "org_id" uuid NOT NULL REFERENCES "organizations" ("id") ON DELETE CASCADE,
        "day" date NOT NULL,
        "kind" text NOT NULL,
        "direction" "message_direction",
        "status" "message_status",
        "error_code" integer,
        "error_title" text,
        "sender_id" uuid,
        "template" text,
        "language" text,
        "intent" text,
        "sentiment" text,
        "count" integer NOT NULL)`);
    await queryRunner.query(
      `CREATE INDEX "message_stats_daily_org_kind_day" ON "message_stats_daily" ("org_id", "kind", "day")`,
    );
    // No foreign key: messages deleted with their org mark hours as the org goes.
    await queryRunner.query(`
      CREATE TABLE "analytics_stale_hours" (
        "id" bigserial PRIMARY KEY,
        "org_id" uuid NOT NULL,
        "hour" TIMESTAMP WITH TIME ZONE NOT NULL,
        "claimed" boolean NOT NULL DEFAULT false)`);
    await queryRunner.query(
      `CREATE INDEX "analytics_stale_hours_org_hour" ON "analytics_stale_hours" ("org_id", "hour")`,
    );
    await queryRunner.query(`
      CREATE FUNCTION analytics_mark_stale_hours() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO analytics_stale_hours (org_id, hour)
        SELECT h.org_id, h.hour FROM (SELECT DISTINCT org_id, date_trunc('hour', occurred_at, 'UTC') AS hour FROM changed) h
        WHERE NOT EXISTS (SELECT 1 FROM analytics_stale_hours s WHERE s.org_id = h.org_id AND s.hour = h.hour AND NOT s.claimed);
        RETURN NULL;
      END $$`);
    for (const [event, table] of [
      ['INSERT', 'NEW'],
      ['UPDATE', 'NEW'],
      ['DELETE', 'OLD'],
    ])
      await queryRunner.query(`
        CREATE TRIGGER messages_analytics_${event.toLowerCase()} AFTER ${event} ON messages
        REFERENCING ${table} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION analytics_mark_stale_hours()`);
    await queryRunner.query(`
      CREATE FUNCTION analytics_recount_org() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM message_stats_daily WHERE org_id = NEW.id;
        INSERT INTO analytics_stale_hours (org_id, hour)
        SELECT DISTINCT NEW.id, date_trunc('hour', occurred_at, 'UTC') FROM messages WHERE org_id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER organizations_analytics_timezone AFTER UPDATE OF timezone ON organizations
      FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone) EXECUTE FUNCTION analytics_recount_org()`);
    // Everything stored so far is counted by the worker's first rounds; until then, reports read it directly.
    await queryRunner.query(`
      INSERT INTO analytics_stale_hours (org_id, hour)
      SELECT DISTINCT org_id, date_trunc('hour', occurred_at, 'UTC') FROM messages`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "organizations_analytics_timezone" ON "organizations"`);
    await queryRunner.query(`DROP FUNCTION "analytics_recount_org"`);
    for (const event of ['insert', 'update', 'delete'])
      await queryRunner.query(`DROP TRIGGER "messages_analytics_${event}" ON "messages"`);
    await queryRunner.query(`DROP FUNCTION "analytics_mark_stale_hours"`);
    await queryRunner.query(`DROP TABLE "analytics_stale_hours"`);
    await queryRunner.query(`DROP TABLE "message_stats_daily"`);
    await queryRunner.query(`DROP TRIGGER "messages_first_messages" ON "messages"`);
    await queryRunner.query(`DROP FUNCTION "conversations_note_first_messages"`);
    await queryRunner.query(
      `ALTER TABLE "conversations" DROP COLUMN "first_responder_id", DROP COLUMN "first_response_at", DROP COLUMN "first_inbound_at"`,
    );
  }
}
