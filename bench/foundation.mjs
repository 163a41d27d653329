#!/usr/bin/env node
// `npm run bench`: the authenticated request path of the foundation, against a baseline measured
// in the same run (absolute numbers drift between machines; the ratio is what to compare).
//
// Baseline: a bare Node HTTP server that verifies the same HS256 JWT and does one SELECT by
// primary key per request. Parley's org read does more by design (session check, membership
// check, then the read, plus validation, audit context and metrics), so the ratio shows what the
// framework and the security checks cost.
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { rssOf, signedBearer } from './platform.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const API_PORT = 3300;
const BASELINE_PORT = 3301;
const database = 'parley_bench';
const serverUrl = 'postgres://postgres@127.0.0.1:5432';
const jwtSecret = 'bench-jwt-secret-0123456789-0123456789';
const env = {
  ...process.env,
  NX_NO_CLOUD: 'true',
  NX_DAEMON: 'false',
  NODE_ENV: 'production',
  PORT: String(API_PORT),
  DATABASE_URL: `${serverUrl}/${database}`,
  REDIS_PREFIX: `parley-bench-${Date.now()}`,
  JWT_SECRET: jwtSecret,
  ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  LOGIN_MAX_ATTEMPTS: '1000000',
  RATE_LIMIT_USER_REQUESTS: '1000000',
  RATE_LIMIT_API_KEY_REQUESTS: '1000000',
  LOG_LEVEL: 'warn',
};

async function resetDatabase() {
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
}

async function request(method, path, { body, token } = {}) {
  const response = await fetch(`http://127.0.0.1:${API_PORT}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body && JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** The baseline: verify an HS256 JWT by hand, then one indexed SELECT. */
function startBaseline(orgId) {
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });
  const server = createServer(async (req, res) => {
    if (!signedBearer(req.headers.authorization, jwtSecret)) {
      res.writeHead(401).end();
      return;
    }
    const { rows } = await pool.query('SELECT id, name, created_at, updated_at FROM organizations WHERE id = $1', [
      orgId,
    ]);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows[0]));
  });
  return new Promise((resolve) =>
    server.listen(BASELINE_PORT, '127.0.0.1', () => resolve({ close: () => (server.close(), pool.end()) })),
  );
}

async function load(name, options) {
  const result = await autocannon({ duration: DURATION, connections: CONNECTIONS, ...options });
  const row = {
    scenario: name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
  console.log(
    `${name.padEnd(44)} ${String(row.requestsPerSecond).padStart(6)} req/s  p50 ${row.p50Ms} ms  p99 ${row.p99Ms} ms  non-2xx ${row.non2xx}`,
  );
  return row;
}

async function main() {
  console.log('building…');
  if (spawnSync('npx', ['nx', 'run', 'api:build', '--outputStyle=static'], { stdio: 'ignore', env }).status !== 0)
    throw new Error('build failed');
  await resetDatabase();
  const api = spawn(process.execPath, ['dist/apps/api/main.js'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    for (let i = 0; ; i += 1) {
      if ((await fetch(`http://127.0.0.1:${API_PORT}/health`).catch(() => undefined))?.ok) break;
      if (i > 120) throw new Error('api did not start');
      await sleep(500);
    }
    const password = 'load test password 2026';
    const { accessToken } = await request('POST', '/api/v1/auth/signup', {
      body: { email: 'bench@example.com', password, name: 'Bench' },
    });
    const org = await request('POST', '/api/v1/orgs', { token: accessToken, body: { name: 'Bench Org' } });
    const { key } = await request('POST', `/api/v1/orgs/${org.id}/api-keys`, {
      token: accessToken,
      body: { scopes: ['read'] },
    });
    for (let i = 0; i < 60; i += 1)
      await request('PATCH', `/api/v1/orgs/${org.id}`, { token: accessToken, body: { name: `Bench Org ${i}` } });

    const baseline = await startBaseline(org.id);
    const auth = { authorization: `Bearer ${accessToken}` };
    const rows = [];
    rows.push(
      await load('baseline: bare node, JWT check + 1 SELECT', {
        url: `http://127.0.0.1:${BASELINE_PORT}/`,
        headers: auth,
      }),
    );
    await baseline.close();
    rows.push(await load('GET /health (PostgreSQL + Redis + queues)', { url: `http://127.0.0.1:${API_PORT}/health` }));
    rows.push(
      await load('GET /orgs/:orgId with a JWT', {
        url: `http://127.0.0.1:${API_PORT}/api/v1/orgs/${org.id}`,
        headers: auth,
      }),
    );
    rows.push(
      await load('GET /orgs/:orgId with an API key', {
        url: `http://127.0.0.1:${API_PORT}/api/v1/orgs/${org.id}`,
        headers: { 'x-api-key': key },
      }),
    );
    rows.push(
      await load('GET /orgs/:orgId/audit-logs?limit=50', {
        url: `http://127.0.0.1:${API_PORT}/api/v1/orgs/${org.id}/audit-logs?limit=50`,
        headers: auth,
      }),
    );
    rows.push(
      await load('POST /auth/login (argon2id, 4 connections)', {
        url: `http://127.0.0.1:${API_PORT}/api/v1/auth/login`,
        method: 'POST',
        connections: 4,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'bench@example.com', password }),
      }),
    );
    const apiRssMb = rssOf(api.pid);
    const [base, , jwt, apiKey] = rows;
    const summary = {
      date: new Date().toISOString(),
      machine: `${(await import('node:os')).cpus().length} cores, load generator on the same machine`,
      durationSeconds: DURATION,
      connections: CONNECTIONS,
      rows,
      ratios: {
        jwtThroughputVsBaseline: +(jwt.requestsPerSecond / base.requestsPerSecond).toFixed(2),
        apiKeyThroughputVsBaseline: +(apiKey.requestsPerSecond / base.requestsPerSecond).toFixed(2),
        jwtP99VsBaseline: +(jwt.p99Ms / base.p99Ms).toFixed(2),
      },
      apiRssMb,
    };
    const out = join(process.cwd(), 'bench', 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'foundation.json'), `${JSON.stringify(summary, null, 2)}\n`);
    const table = [
      `# Foundation benchmark (${summary.date.slice(0, 10)}; ${summary.machine}; ${DURATION} s each, ${CONNECTIONS} connections)`,
      '',
      '| scenario | req/s | p50 ms | p99 ms | non-2xx |',
      '|---|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.scenario} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} |`),
      '',
      `Org read with a JWT: ${summary.ratios.jwtThroughputVsBaseline}× the baseline's throughput, p99 ${summary.ratios.jwtP99VsBaseline}× the baseline's; with an API key: ${summary.ratios.apiKeyThroughputVsBaseline}×. api RSS after the run: ${apiRssMb} MB.`,
      '',
    ].join('\n');
    writeFileSync(join(out, 'foundation.md'), table);
    console.log(`\n${table}`);
  } finally {
    api.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
