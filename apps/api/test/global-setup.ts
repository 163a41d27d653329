import './register-paths';
import 'reflect-metadata';
import { dataSourceOptions, ensureDatabase, loadConfig, runMigrationsLocked } from '@parley/api/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { SCHEMA } from '../src/database/schema';

/**
 * A fresh database per run, migrated with the real migrations, a Redis key prefix and a media
 * directory of its own, so runs never see each other's data. Workers inherit these variables.
 */
export default async function globalSetup(): Promise<void> {
  const run = `${Date.now().toString(36)}_${process.pid}`;
  process.env['NODE_ENV'] = 'test';
  process.env['DATABASE_URL'] = `postgres://postgres@127.0.0.1:5432/parley_test_${run}`;
  process.env['DATABASE_MIGRATE_ON_BOOT'] = 'false';
  process.env['REDIS_PREFIX'] = `parley-test-${run}`;
  process.env['LOG_LEVEL'] = process.env['TEST_LOG_LEVEL'] ?? 'error';
  process.env['WEBHOOK_SWEEP_INTERVAL_MS'] = '500';
  process.env['ANALYTICS_ROLLUP_DELAY_MS'] = '0';
  process.env['WEBHOOK_SWEEP_AFTER_MS'] = '1000';
  // Specs call the API far faster than people do; rate-limit.spec sets its own limits.
  process.env['RATE_LIMIT_USER_REQUESTS'] = '1000000';
  process.env['RATE_LIMIT_API_KEY_REQUESTS'] = '1000000';
  process.env['MEDIA_STORAGE_DIR'] = mkdtempSync(join(tmpdir(), 'parley-test-media-'));
  const config = loadConfig();
  await ensureDatabase(config.DATABASE_URL);
  const dataSource = new DataSource(dataSourceOptions(config, SCHEMA));
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
