#!/usr/bin/env node
// `node bench/analytics.mjs`: the analytics reports over a busy org, as processes (built api).
// Seeds ~1,000,000 messages (BENCH_MESSAGES) over 180 days in one org (100,000 conversations of 10
// messages: statuses, failures with Meta codes, 10 agents, templates, AI readings), plus a second org
// a fifth its size, inserted in time order like real traffic; then times each report over the last
// 30, 90 and 366 days in the org's zone (America/Sao_Paulo), one request at a time: first counted
// from the messages (every day stale, as before the worker's rollup), then, once a worker has
// caught up, read from the daily rollup.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import pg from 'pg';
import { benchPlatform, call, percentile } from './platform.mjs';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const RANGES = [30, 90, 366];
const REPORTS = ['overview', 'agents', 'templates', 'campaigns'];
// The worker recounts a changed day at once, to show how long rolling everything up takes.
const platform = benchPlatform({
  name: 'analytics',
  apiPort: 3330,
  sandboxPort: 4130,
  env: { ANALYTICS_ROLLUP_DELAY_MS: '0' },
});
const { api } = platform;

/** One org's conversations, contacts, agents and messages, made by PostgreSQL itself. */
const SEED_ORG = `
CREATE OR REPLACE FUNCTION pg_temp.seed_org(org uuid, num uuid, n_conv int, days int, per_conv int) RETURNS void AS $$
DECLARE t0 timestamptz := now() - make_interval(days => days);
BEGIN
  INSERT INTO users (email, name, password_hash)
    SELECT 'agent' || g || '-' || org || '@bench.local', 'Agent ' || g, 'x' FROM generate_series(1, 10) g;
  INSERT INTO memberships (org_id, user_id, role)
    SELECT org, id, 'agent' FROM users WHERE email LIKE '%-' || org || '@bench.local';
  INSERT INTO contacts (org_id, phone, wa_id, created_at, opt_in_status, opt_in_changed_at)
    SELECT org, '+' || left(replace(org::text, '-', ''), 4) || g, g::text, t0 + random() * make_interval(days => days),
      CASE WHEN g % 33 = 0 THEN 'opted_out' ELSE 'opted_in' END::opt_in_status, t0 + random() * make_interval(days => days)
    FROM generate_series(1, n_conv) g;
  INSERT INTO conversations (org_id, contact_id, phone_number_id, status, assignee_id, created_at, last_message_at)
    SELECT org, c.id, num, CASE WHEN random() < 0.7 THEN 'resolved' ELSE 'open' END::conversation_status,
      (SELECT id FROM users WHERE email LIKE '%-' || org || '@bench.local' AND c.id IS NOT NULL ORDER BY random() LIMIT 1),
      c.created_at, c.created_at
    FROM contacts c WHERE c.org_id = org;
  UPDATE conversations SET resolved_at = created_at + random() * interval '48 hours' WHERE org_id = org AND status = 'resolved';
  INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, payload, occurred_at,
                        created_at, sender_id, error_code, error_title, ai)
    SELECT org, x.id, x.contact_id, num, x.direction::message_direction,
      CASE WHEN x.direction = 'outbound' AND x.r < 0.3 THEN 'template' ELSE 'text' END,
      (CASE WHEN x.direction = 'inbound' THEN 'received' WHEN x.r2 < 0.05 THEN 'failed' WHEN x.r2 < 0.15 THEN 'sent'
            WHEN x.r2 < 0.5 THEN 'delivered' WHEN x.r2 < 0.99 THEN 'read' ELSE 'queued' END)::message_status,
      CASE WHEN x.direction = 'outbound' AND x.r < 0.3
        THEN jsonb_build_object('type', 'template', 'template',
               jsonb_build_object('name', 'tpl_' || (x.r * 60)::int, 'language', jsonb_build_object('code', 'en_US')))
        ELSE '{"type":"text"}'::jsonb END,
      x.at, x.at,
      CASE WHEN x.direction = 'outbound' THEN x.assignee_id END,
      CASE WHEN x.direction = 'outbound' AND x.r2 < 0.05 THEN (ARRAY[131047, 131026, 132000, 131049])[1 + (x.r2 * 80)::int % 4] END,
      CASE WHEN x.direction = 'outbound' AND x.r2 < 0.05 THEN 'Meta error' END,
      CASE WHEN x.direction = 'inbound' AND x.r < 0.5 THEN jsonb_build_object(
        'sentiment', (ARRAY['positive','neutral','negative'])[1 + (x.r * 100)::int % 3],
        'intent', (ARRAY['order_status','complaint','pricing','greeting','other'])[1 + (x.r * 1000)::int % 5],
        'language', 'pt') END
    FROM (
      SELECT c.id, c.contact_id, c.assignee_id, CASE WHEN i % 2 = 0 THEN 'inbound' ELSE 'outbound' END AS direction,
             c.created_at + i * random() * interval '20 minutes' + i * interval '1 second' AS at, random() AS r, random() AS r2
      FROM conversations c, generate_series(0, per_conv - 1) i WHERE c.org_id = org
    ) x ORDER BY x.at;
END $$ LANGUAGE plpgsql`;

async function main() {
  await platform.prepare(['api', 'wa-sandbox']);
  await platform.startAll({ worker: false });
  const db = new pg.Client({ connectionString: platform.env.DATABASE_URL });
  await db.connect();

  const session = await call(api, 'POST', '/api/v1/auth/signup', {
    email: 'bench@parley.local',
    password: 'quiet orbit 7 lantern',
    name: 'Bench',
  });
  const token = session.accessToken;
  const orgs = [];
  for (const [name, share] of [
    ['Bench', 1],
    ['Neighbour', 0.2],
  ]) {
    const org = await call(api, 'POST', '/api/v1/orgs', { name }, token);
    const waba = {
      wabaId: String(930000000000000 + orgs.length),
      appId: '1',
      appSecret: 'bench-secret',
      accessToken: 'bench-token-0123456789',
    };
    const account = await call(api, 'POST', `/api/v1/orgs/${org.id}/waba-accounts`, waba, token);
    const number = await call(
      api,
      'POST',
      `/api/v1/orgs/${org.id}/waba-accounts/${account.id}/phone-numbers`,
      {
        phoneNumberId: String(930000000000100 + orgs.length),
        displayPhoneNumber: `+1 555 013${orgs.length}`,
      },
      token,
    );
    orgs.push({ org, number, conversations: Math.round((MESSAGES * share) / 10) });
  }
  await db.query(`UPDATE organizations SET timezone = 'America/Sao_Paulo' WHERE id = $1`, [orgs[0].org.id]);
  const seeding = performance.now();
  await db.query(SEED_ORG);
  for (const { org, number, conversations } of orgs)
    await db.query('SELECT pg_temp.seed_org($1, $2, $3, 180, 10)', [org.id, number.id, conversations]);
  await db.query('VACUUM ANALYZE');
  const [{ count }] = (
    await db.query('SELECT count(*)::int AS count FROM messages WHERE org_id = $1', [orgs[0].org.id])
  ).rows;
  console.log(`seeded ${count} messages in ${Math.round((performance.now() - seeding) / 1000)} s`);

  const from = async (source) => {
    const results = {};
    for (const days of RANGES) {
      const to = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(new Date());
      const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      results[days] = {};
      for (const report of REPORTS) {
        const times = [];
        for (let i = 0; i <= RUNS; i += 1) {
          const started = performance.now();
          await call(
            api,
            'GET',
            `/api/v1/orgs/${orgs[0].org.id}/analytics/${report}?from=${from}&to=${to}`,
            null,
            token,
          );
          // The first request warms the caches; it is not counted.
          if (i > 0) times.push(performance.now() - started);
        }
        results[days][report] = { p50: percentile(times, 50), max: Math.round(Math.max(...times)) };
        console.log(`${source}, ${days} days ${report}: ${JSON.stringify(results[days][report])} ms`);
      }
    }
    return results;
  };
  const messages = await from('messages');

  const catchingUp = performance.now();
  platform.startWorker();
  const stale = async () => (await db.query('SELECT count(*)::int AS count FROM analytics_stale_hours')).rows[0].count;
  while ((await stale()) > 0) await new Promise((resolve) => setTimeout(resolve, 250));
  const rollupSeconds = Math.round((performance.now() - catchingUp) / 100) / 10;
  const [{ rows }] = (await db.query('SELECT count(*)::int AS rows FROM message_stats_daily')).rows;
  console.log(`worker started and rolled up ${count} messages into ${rows} rows in ${rollupSeconds} s`);
  await db.query('VACUUM ANALYZE message_stats_daily');
  await db.end();
  const rollup = await from('rollup');

  const result = {
    machine: `${cpus().length} cores; api and PostgreSQL on the same machine`,
    messages: count,
    runsPerReport: RUNS,
    rollup: { seconds: rollupSeconds, rows },
    ms: { fromMessages: messages, fromRollup: rollup },
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/analytics.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => platform.stop());
