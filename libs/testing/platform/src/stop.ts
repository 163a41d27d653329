import { rm } from 'node:fs/promises';
import { Client } from 'pg';
import { readState, stopPid } from './platform';

/** Stops every process of the run, drops its database and removes its files (set PARLEY_E2E_KEEP=1 to keep the logs). */
export async function stopPlatform(): Promise<void> {
  const state = readState();
  // The worker and apis first, so nothing reconnects to Redis or PostgreSQL while they go.
  for (const name of ['worker', 'api', 'api2', 'sandbox', 'redis', 'postgres-proxy']) {
    const pid = state.pids[name];
    if (pid) await stopPid(pid);
  }
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  try {
    const database = new URL(state.databaseUrl).pathname.slice(1);
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  if (!process.env['PARLEY_E2E_KEEP']) await rm(state.runDir, { recursive: true, force: true });
}
