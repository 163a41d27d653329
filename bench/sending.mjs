#!/usr/bin/env node
// `npm run bench:sending`: the outbound path against the sandbox, as processes (built api, worker
// and sandbox). N template sends to N customers are accepted by the API (202) as fast as it takes
// them; then a worker starts and drains them at the number's throughput. Reported: the API's
// acceptance rate and latency, the rate Meta (the sandbox) saw against the number's limit,
// rate-limit retries (130429), failures and duplicates.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { benchOrg, benchPlatform, call, percentile } from './platform.mjs';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1600);
const LIMIT_MPS = Number(process.env.BENCH_MPS ?? 80);
const CONCURRENCY = 16;
const platform = benchPlatform({ name: 'sending', apiPort: 3310, sandboxPort: 4110 });
const { api, sandbox, env } = platform;

async function main() {
  await platform.prepare(['api', 'wa-sandbox']);
  // The worker starts once the sends are queued: the rate Meta sees is the pacing alone.
  const { apiProcess } = await platform.startAll({ worker: false });

  const { token, org } = await benchOrg(platform, {
    wabaId: '910000000000001',
    numbers: [{ phoneNumberId: '910000000000101', displayPhoneNumber: '+1 555 0101', throughputMps: LIMIT_MPS }],
    template: {
      name: 'bench_update',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hi {{1}}, your order shipped.' }],
    },
  });

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
  const worker = platform.startWorker();

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
  const rss = (pid) =>
    Math.round(Number(spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).stdout) / 1024);
  const result = {
    machine: `${(await import('node:os')).cpus().length} cores`,
    messages: MESSAGES,
    limitMps: LIMIT_MPS,
    accepted: {
      perSecond: Math.round(MESSAGES / acceptSeconds),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
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
    platform.stop();
  });
