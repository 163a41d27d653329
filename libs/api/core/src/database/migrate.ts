import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/** An arbitrary constant: the advisory lock every process takes to run migrations one at a time. */
const MIGRATION_LOCK_ID = 4_242_001;

/** Runs pending migrations while holding a session advisory lock, so concurrent boots don't race. */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}

/** Connects to the `postgres` maintenance database of the server in `url`, passing the target database's quoted name. */
async function withServer(
  url: string,
  fn: (client: Client, quotedName: string, name: string) => Promise<void>,
): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await fn(client, `"${name.replace(/"/g, '""')}"`, name);
  } finally {
    await client.end();
  }
}

/** Creates the database named in `url` when it does not exist yet (local start and tests). */
export function ensureDatabase(url: string): Promise<void> {
  return withServer(url, async (client, quoted, name) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${quoted}`);
  });
}

/** Drops the database named in `url` (tests only). */
export function dropDatabase(url: string): Promise<void> {
  return withServer(url, async (client, quoted) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
  });
}
