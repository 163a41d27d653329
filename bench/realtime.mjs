#!/usr/bin/env node
// `npm run bench:realtime`: from Meta's webhook to the agent's screen. Customers' messages are POSTed
// (signed, as Meta does) to one api process at steady, rising rates; an agent's Socket.io client is
// connected to a second api process. Measured per message: from the webhook's 200 to the
// `message.created` event at the agent (the worker stores it, Redis carries it across processes).
// Baseline, first and alone on the machine: the same traffic along the same path through three bare
// Node processes (bench/realtime-baseline.mjs: receiver, worker, Socket.io server), for the ratio.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { io } from 'socket.io-client';
import { benchPlatform, call, cpuMs, hubSignature, percentile, until } from './platform.mjs';

const RATES = (process.env.BENCH_RATES ?? '50,100,150,200').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
const APP_SECRET = 'bench-app-secret-0123456789';
const PHONE_NUMBER_ID = '930000000000888';
const SECOND_API_PORT = 3351;
const BASELINE_PORTS = { receiver: 3352, worker: 3353, agent: 3354 };
const platform = benchPlatform({ name: 'realtime', apiPort: 3350, sandboxPort: 4150 });

function webhook(prefix, n) {
  const from = String(5511900000000 + (n % 500));
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '930000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550100888', phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: `Customer ${from}` }, wa_id: from }],
              messages: [
                {
                  from,
                  id: `${prefix}${n}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: `message ${n}` },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

/**
 * An agent's Socket.io client on `url`: when each message whose id starts with `prefix` was
 * acknowledged (filled in by `stage`), reached the client, and was stored (the platform's `createdAt`).
 */
async function agentScreen(url, auth, prefix) {
  const socket = io(url, { auth, transports: ['websocket'] });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const screen = { socket, prefix, acknowledged: new Map(), seen: new Map(), stored: new Map() };
  const clockOffset = Date.now() - performance.now();
  socket.on('message.created', (message) => {
    if (!message.waMessageId?.startsWith(prefix)) return;
    screen.seen.set(message.waMessageId, performance.now());
    if (message.createdAt) screen.stored.set(message.waMessageId, Date.parse(message.createdAt) - clockOffset);
  });
  return screen;
}

let next = 0;

/**
 * `rate` messages a second to `url` for warm-up plus SECONDS; the delays of those after the warm-up
 * to `screen`. With a `worker`, also where the time went and the worker's CPU a message.
 */
async function stage({ url, screen, worker }, rate) {
  const { acknowledged, seen, stored, prefix } = screen;
  const first = next;
  const total = rate * (SECONDS + WARMUP_SECONDS);
  const workerCpuBefore = worker && cpuMs(worker.pid);
  const started = performance.now();
  const inFlight = [];
  for (let i = 0; i < total; i += 1) {
    // A steady rate: each POST at its own time, whatever the previous ones are doing.
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    const n = next++;
    const body = webhook(prefix, n);
    inFlight.push(
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': hubSignature(body, APP_SECRET),
        },
        body,
      }).then(async (response) => {
        await response.arrayBuffer();
        if (response.status === 200) acknowledged.set(`${prefix}${n}`, performance.now());
      }),
    );
  }
  await Promise.all(inFlight);
  for (let i = 0; i < 300 && seen.size < acknowledged.size; i += 1) await sleep(100);
  const measuredFrom = first + rate * WARMUP_SECONDS;
  const ids = [...acknowledged.keys()].filter((id) => Number(id.split('.').at(-1)) >= measuredFrom);
  if (ids.length === 0) throw new Error(`${url}: no webhook was answered 200`);
  const arrivedIds = ids.filter((id) => seen.has(id));
  const delays = arrivedIds.map((id) => seen.get(id) - acknowledged.get(id));
  // The baseline's delays are a few milliseconds: kept to a tenth, so its ratios mean something.
  const digits = worker ? 0 : 1;
  const result = {
    rate,
    messages: rate * SECONDS,
    acknowledged: ids.length,
    arrived: delays.length,
    p50: percentile(delays, 50, digits),
    p95: percentile(delays, 95, digits),
    p99: percentile(delays, 99, digits),
    max: percentile(delays, 100, digits),
  };
  if (worker) {
    // Where the time went: the worker storing the message, then the event crossing to the agent.
    const toStored = arrivedIds.map((id) => stored.get(id) - acknowledged.get(id));
    const toAgent = arrivedIds.map((id) => seen.get(id) - stored.get(id));
    Object.assign(result, {
      storedP50: percentile(toStored, 50),
      storedP95: percentile(toStored, 95),
      publishedP50: percentile(toAgent, 50),
      publishedP95: percentile(toAgent, 95),
      // The worker's CPU per message: what decides how many messages a second a core can take.
      workerCpuPerMessage: Math.round((10 * (cpuMs(worker.pid) - workerCpuBefore)) / total) / 10,
    });
  }
  console.log(result);
  return result;
}

async function main() {
  await platform.prepare(['api', 'wa-sandbox']);
  platform.start('dist/apps/api/main.js'); // migrates the database, then idles until the baseline is done
  await until(`${platform.api}/health`);

  // The baseline, with nothing else at work on the machine.
  const db = new pg.Client({ connectionString: platform.env.DATABASE_URL });
  await db.connect();
  await db.query(
    'CREATE TABLE baseline_events (id bigserial PRIMARY KEY, payload jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())',
  );
  await db.end();
  const baselineEnv = { APP_SECRET, CHANNEL: `${platform.env.REDIS_PREFIX}:baseline` };
  const bare = Object.entries(BASELINE_PORTS).map(([role, port]) =>
    platform.start('bench/realtime-baseline.mjs', { ...baselineEnv, PORT: String(port) }, [role]),
  );
  const [receiver, bareWorker, bareAgent] = Object.values(BASELINE_PORTS).map((port) => `http://127.0.0.1:${port}`);
  await Promise.all([receiver, bareWorker, bareAgent].map((url) => until(`${url}/health`)));
  const baseline = { url: receiver, screen: await agentScreen(bareAgent, {}, 'wamid.bench.base.') };
  const baselineStages = [];
  for (const rate of RATES) baselineStages.push(await stage(baseline, rate));
  baseline.screen.socket.close();
  for (const child of bare) child.kill('SIGTERM');

  const worker = platform.startWorker();
  const secondApi = `http://127.0.0.1:${SECOND_API_PORT}`;
  platform.start('dist/apps/api/main.js', { PORT: String(SECOND_API_PORT), DATABASE_MIGRATE_ON_BOOT: 'false' });
  await until(`${secondApi}/health`);

  const session = await call(platform.api, 'POST', '/api/v1/auth/signup', {
    email: 'bench@parley.local',
    password: 'quiet orbit 7 lantern',
    name: 'Bench',
  });
  const token = session.accessToken;
  const org = await call(platform.api, 'POST', '/api/v1/orgs', { name: 'Bench' }, token);
  const account = await call(
    platform.api,
    'POST',
    `/api/v1/orgs/${org.id}/waba-accounts`,
    { wabaId: '930000000000001', appId: '1', appSecret: APP_SECRET, accessToken: 'bench-token-0123456789' },
    token,
  );
  await call(
    platform.api,
    'POST',
    `/api/v1/orgs/${org.id}/waba-accounts/${account.id}/phone-numbers`,
    { phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: '+1 555 010 0888' },
    token,
  );

  // The agent, on the other api process.
  const screen = await agentScreen(secondApi, { token }, 'wamid.bench.rt.');
  await screen.socket.timeout(5_000).emitWithAck('org.join', { orgId: org.id });
  const parley = { url: `${platform.api}/api/v1/webhooks/whatsapp/${account.id}`, screen, worker };
  const stages = [];
  for (const rate of RATES) stages.push(await stage(parley, rate));
  screen.socket.close();
  platform.stop();

  const ratio = (a, b) => (b > 0 ? +(a / b).toFixed(1) : null);
  const summary = {
    date: new Date().toISOString().slice(0, 10),
    machine: { cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30) },
    seconds: SECONDS,
    baseline: baselineStages,
    stages,
    ratios: stages.map((r, i) => ({
      rate: r.rate,
      p50: ratio(r.p50, baselineStages[i].p50),
      p95: ratio(r.p95, baselineStages[i].p95),
    })),
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/realtime.json', `${JSON.stringify(summary, null, 2)}\n`);
  const row = (name, r, extra) =>
    `| ${name} | ${r.rate} | ${r.messages} | ${r.acknowledged} | ${r.arrived} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.max} | ${extra} |`;
  writeFileSync(
    'bench/results/realtime.md',
    [
      `# Webhook → agent screen: \`npm run bench:realtime\` (${summary.date}; ${summary.machine.cores} cores; load generator, PostgreSQL, Redis, two api processes and a worker on the same machine)`,
      '',
      `Customer messages at a steady rate for ${SECONDS} s a rate (after ${WARMUP_SECONDS} s of warm-up), POSTed signed to the first api; the agent's Socket.io client is on the second. Time from the webhook's 200 to \`message.created\` at the agent. The baseline ran first, alone: the same traffic along the same path through three bare Node processes (a receiver checks the signature, INSERTs the body and answers 200, then tells a worker over Redis; the worker SELECTs the stored row by primary key and publishes the message over Redis to a bare Socket.io server).`,
      '',
      '| server | messages/s | messages | acknowledged | arrived | p50 ms | p95 ms | p99 ms | max ms | p50 / p95 × baseline | 200 → stored p50/p95 | stored → agent p50/p95 | worker CPU ms/message |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...baselineStages.map((r) => row('baseline: bare node ×3, INSERT, SELECT, Redis ×2', r, '— | — | — | —')),
      ...stages.map((r, i) =>
        row(
          'Parley: api, worker, second api',
          r,
          `${summary.ratios[i].p50} / ${summary.ratios[i].p95} | ${r.storedP50} / ${r.storedP95} | ${r.publishedP50} / ${r.publishedP95} | ${r.workerCpuPerMessage}`,
        ),
      ),
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error);
  platform.stop();
  process.exit(1);
});
