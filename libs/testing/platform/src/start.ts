import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  freePort,
  healthy,
  PlatformState,
  portOpen,
  ROOT,
  startProcess,
  startPostgresProxy,
  startRedis,
  startWorker,
  STATE_FILE_ENV,
  stopPid,
  waitFor,
  writeState,
} from './platform';

export interface PlatformOptions {
  /** How many api processes (Meta's webhooks go to the first). */
  apis: 1 | 2;
  /** The built console, served by the apis (`dist/apps/console/browser`). */
  consoleDir?: string;
  /** Names the run in logs and temp directories, and says which nx project builds what it needs. */
  project: string;
  /** The api and worker reach PostgreSQL through a proxy a test can cut, as if the database restarted. */
  postgresProxy?: boolean;
}

/**
 * Brings the platform up as a user runs it: the built sandbox, api processes and a worker, on a
 * fresh database and a Redis of the run's own. Tests reach them over HTTP and Socket.io only.
 */
export async function startPlatform(options: PlatformOptions): Promise<void> {
  const bundles = ['dist/apps/api/main.js', 'dist/apps/api/worker.js', 'dist/apps/wa-sandbox/main.js'];
  if (options.consoleDir) bundles.push(join(options.consoleDir, 'index.html'));
  for (const bundle of bundles) {
    if (!existsSync(join(ROOT, bundle)))
      throw new Error(`${bundle} is missing: run through nx (npx nx test ${options.project}), which builds it first`);
  }
  const runDir = mkdtempSync(join(tmpdir(), `parley-${options.project}-`));
  mkdirSync(join(runDir, 'media'));
  process.env[STATE_FILE_ENV] = join(runDir, 'state.json');
  console.warn(`\n[e2e] processes log to ${runDir}`);

  const database = `parley_e2e_${Date.now().toString(36)}_${process.pid}`;
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();

  const [redisPort, proxyPort, sandboxPort, ...apiPorts] = await Promise.all(
    Array.from({ length: 3 + options.apis }, () => freePort()),
  );
  const state: PlatformState = {
    runDir,
    databaseUrl: `postgres://postgres@127.0.0.1:5432/${database}`,
    ...(options.postgresProxy && { postgresProxyPort: proxyPort }),
    redisPort,
    sandboxUrl: `http://127.0.0.1:${sandboxPort}`,
    apiUrls: apiPorts.map((port) => `http://127.0.0.1:${port}`),
    pids: {},
    workerEnv: {},
  };
  const track = (name: string, pid: number | undefined) => {
    state.pids[name] = pid ?? 0;
    writeState(state);
  };

  try {
    await startAll(state, track, options);
  } catch (error) {
    for (const pid of Object.values(state.pids)) await stopPid(pid);
    throw error;
  }
}

async function startAll(
  state: PlatformState,
  track: (name: string, pid: number | undefined) => void,
  options: PlatformOptions,
): Promise<void> {
  const { runDir, redisPort } = state;
  const [sandboxPort, ...apiPorts] = [state.sandboxUrl, ...state.apiUrls].map((url) => Number(new URL(url).port));
  track('redis', startRedis(runDir, redisPort).pid);
  await waitFor('redis', () => portOpen(redisPort));
  const proxyPort = state.postgresProxyPort;
  if (proxyPort) {
    startPostgresProxy(state);
    await waitFor('postgres proxy', () => portOpen(proxyPort));
  }
  const databaseUrl = proxyPort
    ? state.databaseUrl.replace('127.0.0.1:5432', `127.0.0.1:${proxyPort}`)
    : state.databaseUrl;

  track(
    'sandbox',
    startProcess(runDir, 'sandbox', process.execPath, ['dist/apps/wa-sandbox/main.js'], {
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_HOST: '127.0.0.1',
      SANDBOX_PUBLIC_URL: state.sandboxUrl,
    }).pid,
  );
  await waitFor('sandbox', healthy(`${state.sandboxUrl}/_sandbox/health`));

  const env = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    REDIS_PREFIX: 'parley-e2e',
    PUBLIC_URL: state.apiUrls[0],
    GRAPH_API_BASE_URL: state.sandboxUrl,
    MEDIA_STORAGE_DIR: join(runDir, 'media'),
    LOG_LEVEL: 'warn',
    WEBHOOK_SWEEP_INTERVAL_MS: '500',
    WEBHOOK_SWEEP_AFTER_MS: '1000',
    SEND_SWEEP_INTERVAL_MS: '500',
    SEND_SWEEP_AFTER_MS: '1000',
    SEND_RETRY_BASE_MS: '200',
    // A killed worker's claimed sends wait out the lease before anyone retries them: 30 s, not 2 min, in
    // tests; still longer than the sandbox's first retries of a webhook that failed.
    SEND_LEASE_MS: '30000',
    // Tests poll the API far faster than people do; the limits have their own integration test.
    RATE_LIMIT_USER_REQUESTS: '1000000',
    RATE_LIMIT_API_KEY_REQUESTS: '1000000',
    // Partners' webhook receivers in tests listen on this machine.
    PARTNER_WEBHOOKS_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128',
    ...(options.consoleDir && { CONSOLE_DIR: join(ROOT, options.consoleDir), CONSOLE_URL: state.apiUrls[0] }),
  };
  track(
    'api',
    startProcess(runDir, 'api', process.execPath, ['dist/apps/api/main.js'], { ...env, PORT: String(apiPorts[0]) }).pid,
  );
  await waitFor('api', healthy(`${state.apiUrls[0]}/health`));
  // The first api migrated the database; the others start on it.
  const migrated = { ...env, DATABASE_MIGRATE_ON_BOOT: 'false' };
  state.workerEnv = migrated;
  startWorker(state);
  for (const [index, port] of apiPorts.slice(1).entries()) {
    const name = `api${index + 2}`;
    track(
      name,
      startProcess(runDir, name, process.execPath, ['dist/apps/api/main.js'], { ...migrated, PORT: String(port) }).pid,
    );
    await waitFor(name, healthy(`http://127.0.0.1:${port}/health`));
  }
}
