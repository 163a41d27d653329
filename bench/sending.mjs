#!/usr/bin/env node
// `npm run bench:sending`: the outbound path against the sandbox, as processes (built api, worker
// and sandbox). N template sends to N customers are accepted by the API (202) as fast as it takes
// them; then a worker starts and drains them at the number's throughput. Reported: the API's
// acceptance rate and latency, the rate Meta (the sandbox) saw against the number's limit,
// rate-limit retries (130429), failures and duplicates.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1600);
const LIMIT_MPS = Number(process.env.BENCH_MPS ?? 80);
const CONCURRENCY = 16;
const [API_PORT, SANDBOX_PORT] = [3310, 4110];
const api = `http://127.0.0.1:${API_PORT}`;
const sandbox = `http://127.0.0.1:${SANDBOX_PORT}`;
const database = 'parley_bench_sending';
const runDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
const env = {
  ...process.env,
  NX_NO_CLOUD: 'true',
  NX_DAEMON: 'false',
  NODE_ENV: 'production',
  PORT: String(API_PORT),
  HOST: '127.0.0.1',
  PUBLIC_URL: api,
  DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
  REDIS_PREFIX: `parley-bench-${Date.now()}`,
  JWT_SECRET: 'bench-jwt-secret-0123456789-0123456789',
  ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  GRAPH_API_BASE_URL: sandbox,
  MEDIA_STORAGE_DIR: join(runDir, 'media'),
  LOG_LEVEL: 'warn',
};
const children = [];

function start(name, file, extra = {}) {
  const child = spawn(process.execPath, [file], { env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

async function until(url) {
  for (let i = 0; i < 120; i += 1) {
    if ((await fetch(url).catch(() => null))?.ok) return;
    await sleep(250);
  }
  throw new Error(`${url} did not come up`);
}

async function call(base, method, path, body, token) {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: body && JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'api', 'wa-sandbox', '--outputStyle=static'], {
    stdio: 'inherit',
    env,
  });
  if (build.status !== 0) throw new Error('build failed');
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  mkdirSync(env.MEDIA_STORAGE_DIR);

  start('sandbox', 'dist/apps/wa-sandbox/main.js', { SANDBOX_PORT: String(SANDBOX_PORT), SANDBOX_PUBLIC_URL: sandbox });
  await until(`${sandbox}/_sandbox/health`);
  const apiProcess = start('api', 'dist/apps/api/main.js');
  await until(`${api}/health`);

  const session = await call(api, 'POST', '/api/v1/auth/signup', {
    email: 'bench@parley.local',
    password: 'quiet orbit 7 lantern',
    name: 'Bench',
  });
  const token = session.accessToken;
  const org = await call(api, 'POST', '/api/v1/orgs', { name: 'Bench' }, token);
  const waba = {
    wabaId: '910000000000001',
    appId: '1',
    appSecret: 'bench-secret',
    accessToken: 'bench-token-0000000000000001',
  };
  const account = await call(api, 'POST', `/api/v1/orgs/${org.id}/waba-accounts`, waba, token);
  const number = { phoneNumberId: '910000000000101', displayPhoneNumber: '+1 555 0101', throughputMps: LIMIT_MPS };
  await call(api, 'POST', `/api/v1/orgs/${org.id}/waba-accounts/${account.id}/phone-numbers`, number, token);
  await call(sandbox, 'POST', '/_sandbox/wabas', {
    ...waba,
    callbackUrl: account.webhookUrl,
    phoneNumbers: [number],
  });
  await call(sandbox, 'PUT', '/_sandbox/scenario', { templateReviewDelayMs: 10, autoRead: false });
  const template = await fetch(`${sandbox}/v23.0/${waba.wabaId}/message_templates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${waba.accessToken}` },
    body: JSON.stringify({
      name: 'bench_update',
      category: 'UTILITY',
      language: 'en_US',
      components: [{ type: 'BODY', text: 'Hi {{1}}, your order shipped.' }],
    }),
  });
  if (!template.ok) throw new Error(`template: ${await template.text()}`);
  await sleep(200);
  await call(api, 'POST', `/api/v1/orgs/${org.id}/templates/sync`, { wabaAccountId: account.id }, token);

  // Accept N sends as fast as the API takes them.
  const latencies = [];
  let next = 0;
  const acceptStarted = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < MESSAGES) {
        const i = next++;
        const started = performance.now();
        await call(
          api,
          'POST',
          `/api/v1/orgs/${org.id}/messages`,
          {
            to: `+1415${String(5550000 + i).padStart(7, '0')}`,
            type: 'template',
            template: {
              name: 'bench_update',
              language: { code: 'en_US' },
              components: [{ type: 'body', parameters: [{ type: 'text', text: `Customer ${i}` }] }],
            },
          },
          token,
        );
        latencies.push(performance.now() - started);
      }
    }),
  );
  const acceptSeconds = (performance.now() - acceptStarted) / 1000;

  // Then the worker drains the queue: the rate Meta sees is the pacing alone.
  const worker = start('worker', 'dist/apps/api/worker.js', { DATABASE_MIGRATE_ON_BOOT: 'false' });

  // Wait until Meta has them all.
  let atMeta = [];
  for (let i = 0; i < 600; i += 1) {
    atMeta = (await call(sandbox, 'GET', '/_sandbox/messages?direction=outbound')).data;
    if (atMeta.length >= MESSAGES) break;
    await sleep(500);
  }
  const times = atMeta.map((m) => m.timestamp).sort((a, b) => a - b);
  const drainSeconds = (times[times.length - 1] - times[0]) / 1000;
  const ours = atMeta.map((m) => m.payload.biz_opaque_callback_data);
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const [{ retried, failed }] = (
    await db.query(
      `SELECT count(*) FILTER (WHERE send_attempts > 1)::int AS retried, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM messages`,
    )
  ).rows;
  await db.end();
  const sorted = [...latencies].sort((a, b) => a - b);
  const rss = (pid) =>
    Math.round(Number(spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).stdout) / 1024);
  const result = {
    machine: `${(await import('node:os')).cpus().length} cores`,
    messages: MESSAGES,
    limitMps: LIMIT_MPS,
    accepted: {
      perSecond: Math.round(MESSAGES / acceptSeconds),
      p50Ms: Math.round(percentile(sorted, 50)),
      p99Ms: Math.round(percentile(sorted, 99)),
    },
    atMeta: {
      received: atMeta.length,
      perSecond: Math.round(((atMeta.length - 1) / drainSeconds) * 10) / 10,
      ofLimit: `${Math.round(((atMeta.length - 1) / drainSeconds / LIMIT_MPS) * 1000) / 10}%`,
      duplicates: ours.length - new Set(ours).size,
    },
    rateLimitedRetries: retried,
    failed,
    rssMb: { api: rss(apiProcess.pid), worker: rss(worker.pid) },
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/sending.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) child.kill('SIGTERM');
  });
