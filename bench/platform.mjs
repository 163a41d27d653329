// What the benchmarks share: the built platform as processes on a fresh database, and small HTTP helpers.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
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
    start(file, more = {}) {
      const child = spawn(process.execPath, [file], {
        env: { ...env, ...more },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      return child;
    },
    /** The sandbox, then the api (which migrates), then a worker unless `worker: false`. */
    async startAll({ worker = true } = {}) {
      this.start('dist/apps/wa-sandbox/main.js', { SANDBOX_PORT: String(sandboxPort), SANDBOX_PUBLIC_URL: sandbox });
      await until(`${sandbox}/_sandbox/health`);
      const apiProcess = this.start('dist/apps/api/main.js');
      await until(`${api}/health`);
      const workerProcess = worker ? this.startWorker() : null;
      return { apiProcess, workerProcess };
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

/** The p-th percentile of `values`, rounded. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}
