import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';

/** Where the run's processes are, shared by the global setup, the tests and the teardown through a file. */
export interface PlatformState {
  /** Logs of every process, and the media directory. */
  runDir: string;
  databaseUrl: string;
  redisPort: number;
  sandboxUrl: string;
  /** The api processes; Meta's webhooks go to the first. */
  apiUrls: string[];
  pids: Record<string, number>;
  /** The worker's environment, so a test can start it again after killing it. */
  workerEnv: Record<string, string>;
  /** Where the platform reaches PostgreSQL through a proxy a fault test may cut (`startPostgresProxy`), if it does. */
  postgresProxyPort?: number;
}

export const STATE_FILE_ENV = 'PARLEY_E2E_STATE';
export const ROOT = join(__dirname, '..', '..', '..', '..');

export function readState(): PlatformState {
  const file = process.env[STATE_FILE_ENV];
  if (!file) throw new Error(`${STATE_FILE_ENV} is not set: run the e2e tests through jest (global setup)`);
  return JSON.parse(readFileSync(file, 'utf8')) as PlatformState;
}

export function writeState(state: PlatformState): void {
  const file = process.env[STATE_FILE_ENV];
  if (!file) throw new Error(`${STATE_FILE_ENV} is not set`);
  writeFileSync(file, JSON.stringify(state, null, 2));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts a process with its output in `<runDir>/<name>.log`; the teardown stops it by pid. */
export function startProcess(
  runDir: string,
  name: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): ChildProcess {
  // The log file is the child's own stdout: no pipe ties it to this process.
  const log = openSync(join(runDir, `${name}.log`), 'a');
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  return child;
}

/** Starts the run's worker (again, after a test stopped or killed it) and records its pid. */
export function startWorker(state: PlatformState): void {
  state.pids['worker'] =
    startProcess(state.runDir, 'worker', process.execPath, ['dist/apps/api/worker.js'], state.workerEnv).pid ?? 0;
  writeState(state);
}

/** (Re)starts the proxy between the platform and PostgreSQL; stopping it looks like a database restart. */
export function startPostgresProxy(state: PlatformState): void {
  if (!state.postgresProxyPort)
    throw new Error('this platform reaches PostgreSQL directly: start it with postgresProxy');
  state.pids['postgres-proxy'] =
    startProcess(state.runDir, 'postgres-proxy', process.execPath, [
      join(ROOT, 'libs/testing/platform/src/tcp-proxy.mjs'),
      String(state.postgresProxyPort),
      '127.0.0.1:5432',
    ]).pid ?? 0;
  writeState(state);
}

/** A redis-server of the run's own on `port`, so a test can stop and restart it without touching anyone else's Redis. */
export function startRedis(runDir: string, port: number): ChildProcess {
  return startProcess(runDir, 'redis', 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    runDir,
  ]);
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.connect(port, '127.0.0.1');
  });
}

export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export const healthy = (url: string) => async () => (await fetch(url)).ok;

/** Stops a process by pid: SIGTERM, then SIGKILL if it lingers. */
export async function stopPid(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && alive(); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive()) process.kill(pid, 'SIGKILL');
}
