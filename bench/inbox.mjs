#!/usr/bin/env node
// `npm run bench:inbox`: the team inbox at scale. Seeds 1,000,000 messages (BENCH_MESSAGES) in
// 100,000 conversations over 10 orgs (contacts with tags, agents, statuses, unread counts), then
// times what an agent does, through the API of the built api, one request at a time: the
// conversation list under each filter, a conversation's history, and contact search; then EXPLAIN
// of the list's and the history's statements shows the indexes they use. Baseline, with the same
// client, database and token: a bare Node server that checks the JWT and answers a page of the org's
// conversations from one indexed SELECT (the least an authenticated list request costs here).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { benchPlatform, call, percentile, signedBearer } from './platform.mjs';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const ORGS = 10;
const PER_CONVERSATION = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const BASELINE_PORT = 3361;
const platform = benchPlatform({ name: 'inbox', apiPort: 3360, sandboxPort: 4160 });

/** One org's agents, tagged contacts, conversations and their messages, made by PostgreSQL itself. */
const SEED_ORG = `
CREATE OR REPLACE FUNCTION pg_temp.seed_inbox(org uuid, num uuid, owner uuid, n_conv int, per_conv int) RETURNS void AS $$
BEGIN
  INSERT INTO users (email, name, password_hash)
    SELECT 'agent' || g || '-' || org || '@bench.local', 'Agent ' || g, 'x' FROM generate_series(1, 10) g;
  INSERT INTO memberships (org_id, user_id, role)
    SELECT org, id, 'agent' FROM users WHERE email LIKE '%-' || org || '@bench.local';
  INSERT INTO contacts (org_id, phone, wa_id, name, tags, created_at, opt_in_status)
    SELECT org, '+5511' || lpad(g::text, 9, '0'), '5511' || lpad(g::text, 9, '0'),
      (ARRAY['Ana','Bruno','Carla','Diego','Elisa','Fábio','Gabi','Hugo'])[1 + g % 8] || ' ' ||
      (ARRAY['Souza','Lima','Costa','Rocha','Alves','Pereira'])[1 + (g / 8) % 6] || ' ' || g,
      CASE WHEN g % 5 = 0 THEN ARRAY['vip'] WHEN g % 7 = 0 THEN ARRAY['wholesale','spring'] ELSE ARRAY[]::text[] END,
      now() - random() * interval '180 days', 'opted_in'
    FROM generate_series(1, n_conv) g;
  INSERT INTO conversations (org_id, contact_id, phone_number_id, status, assignee_id, unread_count, created_at, last_message_at)
    SELECT org, c.id, num,
      (ARRAY['open','pending','resolved','resolved','resolved'])[1 + (random() * 4)::int]::conversation_status,
      CASE WHEN random() < 0.2 THEN NULL WHEN random() < 0.1 THEN owner
           ELSE (SELECT id FROM users WHERE email LIKE '%-' || org || '@bench.local' AND c.id IS NOT NULL ORDER BY random() LIMIT 1) END,
      CASE WHEN random() < 0.15 THEN 1 + (random() * 5)::int ELSE 0 END,
      c.created_at, c.created_at + random() * interval '30 days'
    FROM contacts c WHERE c.org_id = org;
  INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, body, payload,
                        occurred_at, created_at)
    SELECT org, c.id, c.contact_id, num, CASE WHEN i % 2 = 0 THEN 'inbound' ELSE 'outbound' END::message_direction,
      'text', CASE WHEN i % 2 = 0 THEN 'received' ELSE 'read' END::message_status,
      'message ' || i || ' about order ' || (random() * 100000)::int, '{"type":"text"}',
      c.last_message_at - (per_conv - i) * interval '3 minutes', c.last_message_at - (per_conv - i) * interval '3 minutes'
    FROM conversations c, generate_series(0, per_conv - 1) i WHERE c.org_id = org;
END $$ LANGUAGE plpgsql`;

async function timed(label, runs, request, digits = 0) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await request(i);
    times.push(performance.now() - started);
  }
  return { label, p50: percentile(times, 50, digits), p95: percentile(times, 95, digits) };
}

/** The baseline: the api's JWT check by hand, then the org's newest 30 conversations by one indexed SELECT. */
function startBaseline(orgId) {
  const pool = new pg.Pool({ connectionString: platform.env.DATABASE_URL, max: 2 });
  const server = createServer(async (req, res) => {
    if (!signedBearer(req.headers.authorization, platform.env.JWT_SECRET)) return res.writeHead(401).end();
    const { rows } = await pool.query(
      `SELECT id, contact_id, status, assignee_id, unread_count, last_message_at FROM conversations
       WHERE org_id = $1 ORDER BY last_message_at DESC, id DESC LIMIT 31`,
      [orgId],
    );
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: rows.slice(0, 30) }));
  });
  return new Promise((resolve) =>
    server.listen(BASELINE_PORT, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${BASELINE_PORT}`, close: () => (server.close(), pool.end()) }),
    ),
  );
}

async function main() {
  await platform.prepare(['api', 'wa-sandbox']);
  platform.start('dist/apps/api/main.js');
  for (let i = 0; i < 120 && !(await fetch(`${platform.api}/health`).catch(() => null))?.ok; i += 1)
    await new Promise((resolve) => setTimeout(resolve, 250));
  const db = new pg.Client({ connectionString: platform.env.DATABASE_URL });
  await db.connect();
  const { api } = platform;
  const session = await call(api, 'POST', '/api/v1/auth/signup', {
    email: 'bench@parley.local',
    password: 'quiet orbit 7 lantern',
    name: 'Bench',
  });
  const token = session.accessToken;
  const orgs = [];
  const conversationsPerOrg = Math.round(MESSAGES / PER_CONVERSATION / ORGS);
  const seeding = performance.now();
  await db.query(SEED_ORG);
  for (let o = 0; o < ORGS; o += 1) {
    const org = await call(api, 'POST', '/api/v1/orgs', { name: `Inbox ${o}` }, token);
    const waba = {
      wabaId: String(940000000000000 + o),
      appId: '1',
      appSecret: 'bench-secret',
      accessToken: 'bench-token-0123456789',
    };
    const account = await call(api, 'POST', `/api/v1/orgs/${org.id}/waba-accounts`, waba, token);
    const number = await call(
      api,
      'POST',
      `/api/v1/orgs/${org.id}/waba-accounts/${account.id}/phone-numbers`,
      { phoneNumberId: String(940000000000100 + o), displayPhoneNumber: `+1 555 014 000${o}` },
      token,
    );
    await db.query('SELECT pg_temp.seed_inbox($1, $2, $3, $4, $5)', [
      org.id,
      number.id,
      session.user.id,
      conversationsPerOrg,
      PER_CONVERSATION,
    ]);
    orgs.push(org);
  }
  await db.query('VACUUM ANALYZE');
  const [{ count }] = (await db.query('SELECT count(*)::int AS count FROM messages')).rows;
  const seconds = Math.round((performance.now() - seeding) / 1000);
  console.log(`seeded ${count} messages in ${ORGS * conversationsPerOrg} conversations in ${seconds} s`);

  const org = orgs[0];
  const get = (path) => call(api, 'GET', `/api/v1/orgs/${org.id}${path}`, null, token);
  const someConversations = (
    await db.query('SELECT id FROM conversations WHERE org_id = $1 ORDER BY random() LIMIT $2', [org.id, RUNS])
  ).rows.map((row) => row.id);
  const names = ['Ana', 'Bruno Souza', 'Carla Lima 1', '+5511000001', 'elisa', 'Hugo Rocha'];

  const baseline = await startBaseline(org.id);
  await call(baseline.url, 'GET', '/', null, token);
  const base = await timed(
    'baseline: bare node, JWT check + 1 indexed SELECT (30 conversations)',
    RUNS,
    () => call(baseline.url, 'GET', '/', null, token),
    1,
  );
  await baseline.close();
  console.log(base);

  // Warm up the api and the caches once.
  for (const path of ['/conversations', '/contacts?q=Ana']) await get(path);
  const results = [
    await timed('conversations: all, newest first', RUNS, () => get('/conversations?limit=30')),
    await timed('conversations: open', RUNS, () => get('/conversations?status=open&limit=30')),
    await timed('conversations: mine', RUNS, () => get('/conversations?assigneeId=me&limit=30')),
    await timed('conversations: unassigned', RUNS, () => get('/conversations?assigneeId=none&limit=30')),
    await timed('conversations: unread', RUNS, () => get('/conversations?unread=true&limit=30')),
    await timed('conversations: tag vip', RUNS, () => get('/conversations?tag=vip&limit=30')),
    await timed('conversations: search a name', RUNS, (i) =>
      get(`/conversations?q=${encodeURIComponent(names[i % names.length])}&limit=30`),
    ),
    await timed('conversations: second page (cursor)', RUNS, async () => {
      const first = await get('/conversations?limit=30');
      return get(`/conversations?limit=30&cursor=${encodeURIComponent(first.nextCursor)}`);
    }),
    await timed('history: a conversation’s latest 50 messages', RUNS, (i) =>
      get(`/conversations/${someConversations[i % someConversations.length]}/messages?limit=50`),
    ),
    await timed('contacts: search by name or phone', RUNS, (i) =>
      get(`/contacts?q=${encodeURIComponent(names[i % names.length])}&limit=30`),
    ),
    await timed('contacts: tag vip', RUNS, () => get('/contacts?tag=vip&limit=30')),
  ].map((result) => ({ ...result, p95VsBaseline: +(result.p95 / base.p95).toFixed(1) }));
  for (const result of results) console.log(result);

  // The plans of the statements behind the slowest lists and the search, for index use.
  const plans = {};
  for (const [label, sql, params] of [
    [
      'conversation list (open)',
      `SELECT id FROM conversations WHERE org_id = $1 AND status = 'open' ORDER BY last_message_at DESC, id DESC LIMIT 31`,
      [org.id],
    ],
    [
      'conversation search (a rare name)',
      `SELECT id FROM conversations WHERE org_id = $1
         AND (contact_id IN (SELECT c.id FROM contacts c WHERE c.org_id = $1
                AND (c.name ILIKE $2 OR c.profile_name ILIKE $2 OR c.phone LIKE $2))
              OR last_message_preview ILIKE $2)
       ORDER BY last_message_at DESC, id DESC LIMIT 31`,
      [org.id, '%Carla Lima 1%'],
    ],
    [
      'history page',
      `SELECT id FROM messages WHERE conversation_id = $1 ORDER BY created_at DESC, id DESC LIMIT 51`,
      [someConversations[0]],
    ],
  ]) {
    const plan = (await db.query(`EXPLAIN ${sql}`, params)).rows.map((row) => row['QUERY PLAN']).join('\n');
    plans[label] = plan;
  }
  await db.end();
  platform.stop();

  const summary = {
    date: new Date().toISOString().slice(0, 10),
    machine: { cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30) },
    messages: count,
    conversations: ORGS * conversationsPerOrg,
    orgs: ORGS,
    runs: RUNS,
    baseline: base,
    results,
    plans,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/inbox.json', `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(
    'bench/results/inbox.md',
    [
      `# Inbox at scale: \`npm run bench:inbox\` (${summary.date}; ${summary.machine.cores} cores; api, PostgreSQL and the client on the same machine)`,
      '',
      `${count.toLocaleString('en')} messages in ${summary.conversations.toLocaleString('en')} conversations over ${ORGS} orgs; one org's agent, through the API, ${RUNS} requests each, one at a time. The baseline, with the same client, database and token: a bare Node server that checks the JWT and answers the org's newest 30 conversations from one indexed SELECT.`,
      '',
      '| request | p50 ms | p95 ms | p95 × baseline |',
      '|---|---:|---:|---:|',
      `| ${base.label} | ${base.p50} | ${base.p95} | 1 |`,
      ...results.map((r) => `| ${r.label} | ${r.p50} | ${r.p95} | ${r.p95VsBaseline} |`),
      '',
      ...Object.entries(plans).flatMap(([label, plan]) => [`${label}:`, '', '```', plan, '```', '']),
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error);
  platform.stop();
  process.exit(1);
});
