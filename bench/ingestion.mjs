#!/usr/bin/env node
// `npm run bench:ingestion`: Meta's webhooks into Parley (one api process + one worker) at rising
// rates, against a baseline measured in the same run on the same machine: a bare Node HTTP server
// that checks the same signature and does one INSERT per request.
//
// Each POST is what Meta sends a busy number: a customer's message (one, sometimes a few) or a
// batch of 1-50 delivery statuses for messages Parley sent (seeded beforehand, so every status
// moves a real message). Reported per rate: requests/s accepted, ack latency p50/p99, and how long
// after the last request every stored event was processed; then that nothing was lost or doubled.
import autocannon from 'autocannon';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { benchPlatform, call, hubSignature, rssOf, signedWebhooks } from './platform.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
const RATES = (process.env.BENCH_RATES ?? '250,500,1000,2000').split(',').map(Number);
/** The rate the target is set at: run three times on each side, and the medians compared (one 10 s p99 swings 0.4-2x). */
const TARGET_RATE = 1000;
const TARGET_RUNS = 3;
/** Each rate once, the target rate `TARGET_RUNS` times in a row. */
const STAGES = RATES.flatMap((rate) => Array.from({ length: rate === TARGET_RATE ? TARGET_RUNS : 1 }, () => rate));
const CONNECTIONS = 64;
const CUSTOMERS = 2_000;
const BASELINE_PORT = 3341;
const APP_SECRET = 'bench-app-secret-0123456789';
const PHONE_NUMBER_ID = '930000000000777';
const platform = benchPlatform({
  name: 'ingestion',
  apiPort: 3340,
  sandboxPort: 4140,
  // The whole ingestion path, no sweeps racing the jobs.
  env: { WEBHOOK_SWEEP_AFTER_MS: '60000' },
});

const sign = (body) => hubSignature(body, APP_SECRET);

/** Makes the POST bodies in Meta's shape; counts what it made, so the database can be checked against it. */
class Traffic {
  made = { posts: 0, inbound: 0, statuses: 0 };
  nextStatus = 0;
  nextInbound = 0;

  next() {
    this.made.posts += 1;
    const roll = Math.random();
    const value =
      roll < 0.4
        ? { contacts: [], messages: this.inbound(1) }
        : roll < 0.5
          ? { contacts: [], messages: this.inbound(2 + Math.floor(Math.random() * 4)) }
          : {
              statuses: this.statuses(
                roll < 0.85 ? 1 + Math.floor(Math.random() * 10) : 11 + Math.floor(Math.random() * 40),
              ),
            };
    if (value.messages)
      value.contacts = value.messages.map((m) => ({ profile: { name: `Customer ${m.from}` }, wa_id: m.from }));
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '930000000000000',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550100777', phone_number_id: PHONE_NUMBER_ID },
                ...value,
              },
            },
          ],
        },
      ],
    });
    return { body, signature: sign(body) };
  }

  inbound(count) {
    const now = String(Math.floor(Date.now() / 1000));
    return Array.from({ length: count }, () => {
      const n = this.nextInbound++;
      this.made.inbound += 1;
      return {
        from: String(5511900000000 + (n % CUSTOMERS)),
        id: `wamid.bench.in.${n}`,
        timestamp: now,
        type: 'text',
        text: { body: `Hi, order ${n} please` },
      };
    });
  }

  statuses(count) {
    const now = String(Math.floor(Date.now() / 1000));
    return Array.from({ length: count }, () => {
      const n = this.nextStatus++;
      this.made.statuses += 1;
      return {
        id: `wamid.bench.out.${n}`,
        status: 'delivered',
        timestamp: now,
        recipient_id: String(5511900000000 + (n % CUSTOMERS)),
        conversation: { id: 'c', origin: { type: 'service' } },
        pricing: { billable: true, pricing_model: 'PMP', category: 'service' },
      };
    });
  }
}

/** `rate` requests a second (0: flat out) for `seconds`, bodies from `traffic`; autocannon's summary. */
async function load(url, rate, traffic, seconds = SECONDS) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    ...(rate > 0 && { overallRate: rate }),
    requests: [
      {
        method: 'POST',
        setupRequest(request) {
          const { body, signature } = traffic.next();
          return {
            ...request,
            body,
            headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          };
        },
      },
    ],
  });
  return {
    rate,
    rps: Math.round(result.requests.average),
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Where PostgreSQL's write-ahead log is now: what a stage wrote is the difference (`walKbPerPost`). */
async function walPosition(db) {
  return (await db.query('SELECT pg_current_wal_lsn() AS lsn')).rows[0].lsn;
}

/** WAL written since `from`, in kB per request of `stage`. */
async function walPerPost(db, from, stage) {
  const [{ bytes }] = (await db.query('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::float8 AS bytes', [from]))
    .rows;
  return +(bytes / 1024 / Math.max(stage.requests, 1)).toFixed(1);
}

/** The baseline: the same signature check, then one INSERT of the body. */
function startBaseline(databaseUrl) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  const server = createServer(
    signedWebhooks(APP_SECRET, async (raw, res) => {
      try {
        await pool.query('INSERT INTO baseline_events (payload) VALUES ($1)', [raw.toString('utf8')]);
        res.writeHead(200).end();
      } catch {
        res.writeHead(503).end();
      }
    }),
  );
  return new Promise((resolve) => server.listen(BASELINE_PORT, '127.0.0.1', () => resolve({ server, pool })));
}

/**
 * Resolves once no stored event waits to be processed. EXISTS makes it a plain index scan, which
 * marks the entries of rows already processed as dead as it passes them; a count would take a
 * bitmap scan through every one of them again on each poll (37 million entries in a run).
 */
async function drained(db) {
  for (;;) {
    const [{ pending }] = (
      await db.query(`SELECT EXISTS (SELECT 1 FROM webhook_events WHERE status = 'pending') AS pending`)
    ).rows;
    if (!pending) return;
    await sleep(100);
  }
}

async function main() {
  await platform.prepare(['api', 'wa-sandbox']);
  const apiProcess = platform.start('dist/apps/api/main.js');
  for (let i = 0; i < 120 && !(await fetch(`${platform.api}/health`).catch(() => null))?.ok; i += 1) await sleep(250);
  const db = new pg.Client({ connectionString: platform.env.DATABASE_URL });
  await db.connect();

  // An org with a number, its customers and conversations, and the messages the statuses are about.
  const session = await call(platform.api, 'POST', '/api/v1/auth/signup', {
    email: 'bench@parley.local',
    password: 'quiet orbit 7 lantern',
    name: 'Bench',
  });
  const org = await call(platform.api, 'POST', '/api/v1/orgs', { name: 'Bench' }, session.accessToken);
  const account = await call(
    platform.api,
    'POST',
    `/api/v1/orgs/${org.id}/waba-accounts`,
    { wabaId: '930000000000000', appId: '1', appSecret: APP_SECRET, accessToken: 'bench-token-0123456789' },
    session.accessToken,
  );
  const number = await call(
    platform.api,
    'POST',
    `/api/v1/orgs/${org.id}/waba-accounts/${account.id}/phone-numbers`,
    { phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: '+1 555 010 0777', throughputMps: 1000 },
    session.accessToken,
  );
  // About 6.5 statuses a POST; the two unthrottled stages run as fast as the machine lets them (from
  // 1,400 to 6,300 req/s seen here), whatever the rates asked for.
  const statusesNeeded = Math.ceil(
    (STAGES.reduce((sum, rate) => sum + rate, 0) + 2 * Math.max(...RATES, 8_000)) * SECONDS * 8,
  );
  await db.query(
    `INSERT INTO contacts (org_id, phone, wa_id, opt_in_status)
     SELECT $1, '+' || (5511900000000 + g), (5511900000000 + g)::text, 'opted_in' FROM generate_series(0, $2 - 1) g`,
    [org.id, CUSTOMERS],
  );
  await db.query(
    `INSERT INTO conversations (org_id, contact_id, phone_number_id, status, last_message_at)
     SELECT org_id, id, $2, 'open', now() FROM contacts WHERE org_id = $1`,
    [org.id, number.id],
  );
  await db.query(
    `INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, payload,
                           wa_message_id, occurred_at, sent_at)
     SELECT c.org_id, c.id, c.contact_id, c.phone_number_id, 'outbound', 'text', 'sent', '{"type":"text"}',
            'wamid.bench.out.' || g, now(), now()
     FROM generate_series(0, $2 - 1) g
     JOIN (SELECT *, row_number() OVER (ORDER BY id) - 1 AS i FROM conversations WHERE org_id = $1) c ON c.i = g % $3`,
    [org.id, statusesNeeded, CUSTOMERS],
  );
  await db.query(
    'CREATE TABLE baseline_events (id bigserial PRIMARY KEY, payload jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())',
  );
  await db.query('VACUUM ANALYZE');
  // The seed's pages written out now, not by a checkpoint in the middle of the baseline's stages.
  await db.query('CHECKPOINT');
  console.log(`seeded ${CUSTOMERS} customers and ${statusesNeeded} sent messages`);

  // Baseline first, alone on the machine.
  const { server, pool } = await startBaseline(platform.env.DATABASE_URL);
  const baseline = [];
  const baselineTraffic = new Traffic();
  // Warmed up first, as Parley's api is by its flat-out run: a cold start's p99 would flatter the ratio.
  await load(`http://127.0.0.1:${BASELINE_PORT}/`, 0, baselineTraffic, WARMUP_SECONDS);
  for (const rate of STAGES) {
    const wal = await walPosition(db);
    const stage = await load(`http://127.0.0.1:${BASELINE_PORT}/`, rate, baselineTraffic);
    baseline.push({ ...stage, walKbPerPost: await walPerPost(db, wal, stage) });
    console.log('baseline', baseline.at(-1));
  }
  baseline.push({ ...(await load(`http://127.0.0.1:${BASELINE_PORT}/`, 0, baselineTraffic)), rate: 'max' });
  console.log('baseline', baseline.at(-1));
  await new Promise((resolve) => server.close(resolve));
  await pool.end();

  // Parley: the api acknowledges, the worker applies. First the api alone, flat out, with no worker
  // taking the other core (the events wait in the table and the queue); then the worker drains them.
  const traffic = new Traffic();
  const parley = [];
  const url = `${platform.api}/api/v1/webhooks/whatsapp/${account.id}`;
  const aloneWal = await walPosition(db);
  const alone = await load(url, 0, traffic);
  const workerProcess = platform.startWorker();
  const drainStart = performance.now();
  await drained(db);
  parley.push({
    ...alone,
    rate: 'max, api alone',
    drainedAfterMs: Math.round(performance.now() - drainStart),
    walKbPerPost: await walPerPost(db, aloneWal, alone),
    rssApiMb: rssOf(apiProcess.pid),
    rssWorkerMb: rssOf(workerProcess.pid),
  });
  console.log('parley', parley.at(-1));
  for (const rate of [...STAGES, 0]) {
    const wal = await walPosition(db);
    const stage = await load(url, rate, traffic);
    const ended = performance.now();
    await drained(db);
    parley.push({
      ...stage,
      rate: rate || 'max',
      drainedAfterMs: Math.round(performance.now() - ended),
      walKbPerPost: await walPerPost(db, wal, stage),
      rssApiMb: rssOf(apiProcess.pid),
      rssWorkerMb: rssOf(workerProcess.pid),
    });
    console.log('parley', parley.at(-1));
  }

  // Nothing lost, nothing twice: every POST stored once, every message once, every status applied.
  const [counts] = (
    await db.query(
      `SELECT (SELECT count(*)::int FROM webhook_events) AS events,
              (SELECT count(*)::int FROM messages WHERE direction = 'inbound') AS inbound,
              (SELECT count(DISTINCT wa_message_id)::int FROM messages WHERE direction = 'inbound') AS inbound_distinct,
              (SELECT count(*)::int FROM messages WHERE direction = 'outbound' AND status = 'delivered') AS delivered,
              (SELECT count(*)::int FROM webhook_events WHERE status <> 'processed') AS unprocessed`,
    )
  ).rows;
  const integrity = {
    posts: traffic.made.posts,
    eventsStored: counts.events,
    inboundSent: traffic.made.inbound,
    inboundStored: counts.inbound,
    inboundDuplicates: counts.inbound - counts.inbound_distinct,
    statusesSent: traffic.made.statuses,
    statusesApplied: counts.delivered,
    unprocessed: counts.unprocessed,
  };
  console.log(integrity);
  // A status past the seeded messages has nothing to apply to: the check above would not hold.
  if (traffic.made.statuses > statusesNeeded)
    throw new Error(`${traffic.made.statuses} statuses sent, ${statusesNeeded} messages seeded`);
  await db.end();
  platform.stop();

  const at = (rows, rate) => rows.find((row) => row.rate === rate);
  /** The median p99 of the target rate's runs. */
  const targetP99 = (rows) => {
    const p99s = rows.filter((row) => row.rate === TARGET_RATE).map((row) => row.p99);
    return p99s.length > 0 ? p99s.sort((a, b) => a - b)[Math.floor(p99s.length / 2)] : null;
  };
  const baselineP99 = targetP99(baseline);
  const parleyP99 = targetP99(parley);
  const summary = {
    date: new Date().toISOString().slice(0, 10),
    machine: { cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30) },
    seconds: SECONDS,
    connections: CONNECTIONS,
    baseline,
    parley,
    integrity,
    target: { rate: TARGET_RATE, runs: TARGET_RUNS, baselineMedianP99: baselineP99, parleyMedianP99: parleyP99 },
    ratios: {
      p99AtTarget: parleyP99 && baselineP99 ? +(parleyP99 / baselineP99).toFixed(2) : null,
      maxThroughput: +(at(parley, 'max').rps / at(baseline, 'max').rps).toFixed(2),
      maxThroughputApiAlone: +(at(parley, 'max, api alone').rps / at(baseline, 'max').rps).toFixed(2),
    },
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/ingestion.json', `${JSON.stringify(summary, null, 2)}\n`);
  const row = (name, r) =>
    `| ${name} | ${r.rate} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.non2xx + r.errors} | ${r.drainedAfterMs ?? '—'} | ${r.walKbPerPost ?? '—'} | ${r.rssApiMb ?? '—'} / ${r.rssWorkerMb ?? '—'} |`;
  writeFileSync(
    'bench/results/ingestion.md',
    [
      `# Webhook ingestion: \`npm run bench:ingestion\` (${summary.date}; ${summary.machine.cores} cores, ${summary.machine.memoryGb} GB; load generator, PostgreSQL, Redis, api and worker on the same machine; ${SECONDS} s a rate, ${CONNECTIONS} connections)`,
      '',
      '| server | target req/s | achieved req/s | p50 ms | p99 ms | non-2xx | every event processed after (ms) | WAL kB / POST | RSS api / worker (MB) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...baseline.map((r) => row('baseline: bare node, signature + 1 INSERT', r)),
      ...parley.map((r) => row('Parley: api + worker', r)),
      '',
      `At ${TARGET_RATE.toLocaleString('en')} requests/s (${TARGET_RUNS} runs each, medians) Parley's p99 is ${parleyP99} ms, ${summary.ratios.p99AtTarget}× the baseline's ${baselineP99} ms; its most requests/s are ${summary.ratios.maxThroughput}× the baseline's with the worker applying events on the other core, ${summary.ratios.maxThroughputApiAlone}× with the api alone.`,
      `Integrity: ${integrity.posts} POSTs, ${integrity.eventsStored} stored; ${integrity.inboundSent} customer messages sent, ${integrity.inboundStored} stored (${integrity.inboundDuplicates} duplicates); ${integrity.statusesSent} statuses sent, ${integrity.statusesApplied} applied; ${integrity.unprocessed} events not processed.`,
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error);
  platform.stop();
  process.exit(1);
});
