#!/usr/bin/env node
// `npm run bench:campaign`: campaigns against the sandbox, as processes (built api, worker and
// sandbox). A 10,000-recipient campaign runs at a number limit of 80/s, then another at 1,000/s;
// reported for each: the rate Meta (the sandbox) saw against the limit, the latency from a
// recipient's message being queued to Meta accepting it (p50/p99), Meta's refusals (130429),
// failures and duplicates. Then the audience snapshot: launching a campaign to 100,000 contacts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { benchOrg, benchPlatform, call, cpuByProcess, percentile } from './platform.mjs';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const LIMITS = (process.env.BENCH_LIMITS ?? '80,1000').split(',').map(Number);
const SNAPSHOT = Number(process.env.BENCH_SNAPSHOT ?? 100_000);
/** Updates per status webhook POST at most, when they wait for one in flight (Meta's batching); 1: each alone. */
const WEBHOOK_BATCH = Number(process.env.BENCH_WEBHOOK_BATCH ?? 1_000);
const platform = benchPlatform({ name: 'campaign', apiPort: 3320, sandboxPort: 4120 });
const { api, sandbox, env } = platform;

async function main() {
  await platform.prepare(['api', 'wa-sandbox']);
  const { sandboxProcess, apiProcess, workerProcess } = await platform.startAll();
  const cpu = () => cpuByProcess({ sandbox: sandboxProcess, api: apiProcess, worker: workerProcess });
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();

  const { token, org, numbers, templateId } = await benchOrg(platform, {
    wabaId: '920000000000001',
    // One number per run, each at its limit.
    numbers: LIMITS.map((limit, i) => ({
      phoneNumberId: `92000000000010${i}`,
      displayPhoneNumber: `+1 555 010${i}`,
      throughputMps: limit,
    })),
    template: {
      name: 'bench_sale',
      category: 'MARKETING',
      components: [{ type: 'BODY', text: 'Hi {{1}}, {{2}} off today.', example: { body_text: [['Ana', '20%']] } }],
    },
  });

  await call(sandbox, 'PUT', '/_sandbox/scenario', { webhookBatching: { maxUpdates: WEBHOOK_BATCH, inFlight: 8 } });

  // The audiences, made in bulk: RECIPIENTS for the sending runs, SNAPSHOT for the launch timing.
  const seed = (tag, count, prefix) =>
    db.query(
      `INSERT INTO contacts (org_id, phone, wa_id, name, tags, attributes, opt_in_status)
       SELECT $1, '+' || ($3::bigint + i), ($3::bigint + i)::text, 'Customer ' || i, ARRAY[$2], jsonb_build_object('discount', (i % 30) || '%'), 'opted_in'
       FROM generate_series(1, $4) AS i`,
      [org.id, tag, prefix, count],
    );
  await seed('bench', RECIPIENTS, 14155000000);
  await seed('snapshot', SNAPSHOT, 4915100000000);

  const campaign = (name, tag, phoneNumberId) =>
    call(
      api,
      'POST',
      `/api/v1/orgs/${org.id}/campaigns`,
      {
        name,
        phoneNumberId,
        templateId,
        parameters: {
          'body.1': { source: 'contact', field: 'first_name', fallback: 'there' },
          'body.2': { source: 'attribute', key: 'discount', fallback: '10%' },
        },
        audience: { tags: { any: [tag] } },
      },
      token,
    );

  const runs = [];
  for (const number of numbers) {
    const limit = number.throughputMps;
    const refusedBefore = (await call(sandbox, 'GET', '/_sandbox/health')).refusedSends;
    const { id } = await campaign(`Bench at ${limit}/s`, 'bench', number.id);
    const launched = performance.now();
    const cpuBefore = cpu();
    await call(api, 'POST', `/api/v1/orgs/${org.id}/campaigns/${id}/launch`, {}, token);
    let current;
    for (;;) {
      current = await call(api, 'GET', `/api/v1/orgs/${org.id}/campaigns/${id}`, null, token);
      if (current.status === 'completed') break;
      await sleep(500);
    }
    const seconds = (performance.now() - launched) / 1000;
    const cpuAfter = cpu();
    const atMeta = (
      await call(sandbox, 'GET', `/_sandbox/messages?direction=outbound&phoneNumberId=${number.phoneNumberId}`)
    ).data;
    const times = atMeta.map((m) => m.timestamp).sort((a, b) => a - b);
    const drain = (times[times.length - 1] - times[0]) / 1000;
    const refused = (await call(sandbox, 'GET', '/_sandbox/health')).refusedSends;
    const { rows: latencies } = await db.query(
      `SELECT extract(epoch FROM (sent_at - created_at)) * 1000 AS ms FROM messages WHERE campaign_id = $1 AND sent_at IS NOT NULL`,
      [id],
    );
    const ms = latencies.map((row) => Number(row.ms));
    // Every status webhook applied: each message ends `delivered` (customers read nothing).
    const applied = Date.now();
    let statuses;
    do {
      if (statuses) await sleep(250);
      ({ rows: statuses } = await db.query(
        `SELECT status, count(*)::int AS count FROM messages WHERE campaign_id = $1 GROUP BY status`,
        [id],
      ));
    } while (statuses.some((row) => row.status !== 'delivered') && Date.now() - applied < 60_000);
    runs.push({
      limitMps: limit,
      recipients: RECIPIENTS,
      atMeta: atMeta.length,
      perSecond: Math.round(((atMeta.length - 1) / drain) * 10) / 10,
      ofLimit: `${Math.round(((atMeta.length - 1) / drain / limit) * 1000) / 10}%`,
      launchToCompletedSeconds: Math.round(seconds * 10) / 10,
      queuedToAcceptedMs: { p50: percentile(ms, 50), p99: percentile(ms, 99) },
      refused130429: (refused['130429'] ?? 0) - (refusedBefore['130429'] ?? 0),
      failed: current.stats.failed,
      duplicates: atMeta.length - new Set(atMeta.map((m) => m.waId)).size,
      finalStatuses: Object.fromEntries(statuses.map((row) => [row.status, row.count])),
      // Where a message's CPU goes, launch to completed (Meta's part is the sandbox's).
      cpuMsPerMessage: Object.fromEntries(
        Object.keys(cpuAfter).map((name) => [
          name,
          Math.round(((cpuAfter[name] - cpuBefore[name]) / atMeta.length) * 100) / 100,
        ]),
      ),
    });
    console.log(JSON.stringify(runs[runs.length - 1]));
  }

  // The snapshot: one launch of SNAPSHOT recipients, cancelled straight after.
  const { id: big } = await campaign('Bench snapshot', 'snapshot', numbers[0].id);
  const started = performance.now();
  await call(api, 'POST', `/api/v1/orgs/${org.id}/campaigns/${big}/launch`, {}, token);
  const snapshotMs = Math.round(performance.now() - started);
  await call(api, 'POST', `/api/v1/orgs/${org.id}/campaigns/${big}/cancel`, {}, token);
  const [{ count }] = (
    await db.query('SELECT count(*)::int AS count FROM campaign_recipients WHERE campaign_id = $1', [big])
  ).rows;
  await db.end();

  const result = {
    machine: `${cpus().length} cores; sandbox, api, worker, PostgreSQL and Redis on the same machine`,
    runs,
    snapshot: { recipients: count, launchMs: snapshotMs },
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/campaign.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => platform.stop());
