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
  startRedis,
  STATE_FILE_ENV,
  stopPid,
  waitFor,
  writeState,
} from './platform';

/**
 * Brings the platform up as a user runs it: the built sandbox, two api processes and a worker,
 * on a fresh database and a Redis of the run's own. Tests reach them over HTTP and Socket.io only.
 */
export default async function globalSetup(): Promise<void> {
  for (const bundle of ['dist/apps/api/main.js', 'dist/apps/api/worker.js', 'dist/apps/wa-sandbox/main.js']) {
    if (!existsSync(join(ROOT, bundle)))
      throw new Error(
        `${bundle} is missing: run through nx (npx nx test api-e2e), which builds api and wa-sandbox first`,
      );
  }
  const runDir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  mkdirSync(join(runDir, 'media'));
  process.env[STATE_FILE_ENV] = join(runDir, 'state.json');
  console.warn(`\n[e2e] processes log to ${runDir}`);

  const database = `parley_e2e_${Date.now().toString(36)}_${process.pid}`;
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();

  const [redisPort, sandboxPort, apiPort, api2Port] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const state: PlatformState = {
    runDir,
    databaseUrl: `postgres://postgres@127.0.0.1:5432/${database}`,
    redisPort,
    sandboxUrl: `http://127.0.0.1:${sandboxPort}`,
    apiUrls: [`http://127.0.0.1:${apiPort}`, `http://127.0.0.1:${api2Port}`],
    pids: {},
  };
  const track = (name: string, pid: number | undefined) => {
    state.pids[name] = pid ?? 0;
    writeState(state);
  };

  try {
    await startAll(state, track);
  } catch (error) {
    for (const pid of Object.values(state.pids)) await stopPid(pid);
    throw error;
  }
}

async function startAll(state: PlatformState, track: (name: string, pid: number | undefined) => void): Promise<void> {
  const { runDir, redisPort } = state;
  const [sandboxPort, apiPort, api2Port] = [state.sandboxUrl, ...state.apiUrls].map((url) => Number(new URL(url).port));
  track('redis', startRedis(runDir, redisPort).pid);
  await waitFor('redis', () => portOpen(redisPort));

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
    DATABASE_URL: state.databaseUrl,
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
  };
  track(
    'api',
    startProcess(runDir, 'api', process.execPath, ['dist/apps/api/main.js'], { ...env, PORT: String(apiPort) }).pid,
  );
  await waitFor('api', healthy(`${state.apiUrls[0]}/health`));
  // The first api migrated the database; the others start on it.
  const migrated = { ...env, DATABASE_MIGRATE_ON_BOOT: 'false' };
  track(
    'api2',
    startProcess(runDir, 'api2', process.execPath, ['dist/apps/api/main.js'], { ...migrated, PORT: String(api2Port) })
      .pid,
  );
  track('worker', startProcess(runDir, 'worker', process.execPath, ['dist/apps/api/worker.js'], migrated).pid);
  await waitFor('api2', healthy(`${state.apiUrls[1]}/health`));
}
