// What the benchmarks share: the built platform as processes on a fresh database, and small HTTP helpers.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/**
 * A bench run's platform: `prepare` builds the projects and makes the database `parley_bench_<name>`
 * fresh, `start` runs a built bundle (sandbox, api, worker) with the run's environment, `stop` ends them.
 */
export function benchPlatform({ name, apiPort, sandboxPort, env: extra = {} }) {
  const api = `http://127.0.0.1:${apiPort}`;
  const sandbox = `http://127.0.0.1:${sandboxPort}`;
  const database = `parley_bench_${name}`;
  const runDir = mkdtempSync(join(tmpdir(), `parley-bench-${name}-`));
  const env = {
    ...process.env,
    NX_NO_CLOUD: 'true',
    NX_DAEMON: 'false',
    NODE_ENV: 'production',
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    PUBLIC_URL: api,
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
    REDIS_PREFIX: `parley-bench-${name}-${Date.now()}`,
    JWT_SECRET: 'bench-jwt-secret-0123456789-0123456789',
    ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    GRAPH_API_BASE_URL: sandbox,
    MEDIA_STORAGE_DIR: join(runDir, 'media'),
    LOG_LEVEL: 'warn',
    // Benchmarks measure the platform's speed, not its rate limits.
    RATE_LIMIT_USER_REQUESTS: '1000000',
    RATE_LIMIT_API_KEY_REQUESTS: '1000000',
    ...extra,
  };
  const children = [];
  return {
    api,
    sandbox,
    env,
    async prepare(projects) {
      const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...projects, '--outputStyle=static'], {
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
    },
    start(file, more = {}, args = []) {
      // BENCH_NODE_ARGS goes to every process the bench starts, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
      const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
      const child = spawn(process.execPath, [...nodeArgs, file, ...args], {
        env: { ...env, ...more },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      return child;
    },
    /** The sandbox, then the api (which migrates), then a worker unless `worker: false`. */
    async startAll({ worker = true } = {}) {
      const sandboxProcess = this.start('dist/apps/wa-sandbox/main.js', {
        SANDBOX_PORT: String(sandboxPort),
        SANDBOX_PUBLIC_URL: sandbox,
      });
      await until(`${sandbox}/_sandbox/health`);
      const apiProcess = this.start('dist/apps/api/main.js');
      await until(`${api}/health`);
      const workerProcess = worker ? this.startWorker() : null;
      return { sandboxProcess, apiProcess, workerProcess };
    },
    startWorker() {
      return this.start('dist/apps/api/worker.js', { DATABASE_MIGRATE_ON_BOOT: 'false' });
    },
    stop() {
      for (const child of children) child.kill('SIGTERM');
    },
  };
}

export async function until(url) {
  for (let i = 0; i < 120; i += 1) {
    if ((await fetch(url).catch(() => null))?.ok) return;
    await sleep(250);
  }
  throw new Error(`${url} did not come up`);
}

/** JSON over HTTP; throws on a non-2xx answer. */
export async function call(base, method, path, body, token) {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: body && JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * The org a bench sends from: a signed-in owner, a WABA account registered in the sandbox with
 * `numbers` (each with its throughput on both sides), customers who read nothing (sent and delivered
 * statuses only), and `template` created at Meta (the sandbox), approved and synced.
 */
export async function benchOrg({ api, sandbox }, { wabaId, numbers, template }) {
  const session = await call(api, 'POST', '/api/v1/auth/signup', {
    email: 'bench@parley.local',
    password: 'quiet orbit 7 lantern',
    name: 'Bench',
  });
  const token = session.accessToken;
  const org = await call(api, 'POST', '/api/v1/orgs', { name: 'Bench' }, token);
  const waba = { wabaId, appId: '1', appSecret: 'bench-secret', accessToken: `bench-token-${wabaId}` };
  const account = await call(api, 'POST', `/api/v1/orgs/${org.id}/waba-accounts`, waba, token);
  const registered = [];
  for (const number of numbers) {
    const path = `/api/v1/orgs/${org.id}/waba-accounts/${account.id}/phone-numbers`;
    registered.push({ ...number, id: (await call(api, 'POST', path, number, token)).id });
  }
  await call(sandbox, 'POST', '/_sandbox/wabas', { ...waba, callbackUrl: account.webhookUrl, phoneNumbers: numbers });
  await call(sandbox, 'PUT', '/_sandbox/scenario', { templateReviewDelayMs: 10, autoRead: false });
  const created = await fetch(`${sandbox}/v23.0/${wabaId}/message_templates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${waba.accessToken}` },
    body: JSON.stringify({ language: 'en_US', ...template }),
  });
  if (!created.ok) throw new Error(`template: ${await created.text()}`);
  await sleep(300);
  await call(api, 'POST', `/api/v1/orgs/${org.id}/templates/sync`, { wabaAccountId: account.id }, token);
  const [approved] = (await call(api, 'GET', `/api/v1/orgs/${org.id}/templates?name=${template.name}`, null, token))
    .data;
  return { token, org, numbers: registered, templateId: approved.id };
}

/** Meta's `X-Hub-Signature-256` of a webhook body. */
export const hubSignature = (body, secret) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * A bare webhook receiver's request handler: reads the body, answers 401 unless Meta's signature
 * checks out, else hands the raw body on to `onSigned(raw, res)`. The baselines' front half.
 */
export function signedWebhooks(secret, onSigned) {
  return (req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(hubSignature(raw, secret));
      const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return res.writeHead(401).end();
      onSigned(raw, res);
    });
  };
}

/** Whether an `Authorization` header carries an HS256 JWT signed with `secret`: the baselines' check, by hand. */
export function signedBearer(authorization, secret) {
  const [header, payload, signature] = (authorization ?? '').slice('Bearer '.length).split('.');
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature ?? '', 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** CPU time (user + system) a process has used, in ms (Linux's /proc; 0 elsewhere). */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks of 1/100 s
  } catch {
    return 0;
  }
}

/**
 * CPU time (ms) used so far by each of the `named` child processes, and by PostgreSQL and Redis
 * (all their processes; a backend that has exited is no longer counted).
 */
export function cpuByProcess(named) {
  const totals = Object.fromEntries(Object.entries(named).map(([name, child]) => [name, cpuMs(child.pid)]));
  totals.postgres = 0;
  totals.redis = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    let command;
    try {
      command = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (command.startsWith('postgres')) totals.postgres += cpuMs(pid);
    else if (command.startsWith('redis-server')) totals.redis += cpuMs(pid);
  }
  return totals;
}

/** Resident memory of a process, in MB. */
export function rssOf(pid) {
  const status = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  return Math.round(Number(status.stdout.trim()) / 1024);
}

/** The p-th percentile of `values`, rounded to `digits` decimals. */
export function percentile(values, p, digits = 0) {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
