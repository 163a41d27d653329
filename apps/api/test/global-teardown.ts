import './register-paths';
import { dropDatabase, loadConfig } from '@parley/api/core';
import Redis from 'ioredis';
import { rm } from 'node:fs/promises';

/** Drops the run's database, its Redis keys and its media files. */
export default async function globalTeardown(): Promise<void> {
  const config = loadConfig();
  await dropDatabase(config.DATABASE_URL);
  await rm(config.MEDIA_STORAGE_DIR, { recursive: true, force: true });
  const redis = new Redis(config.REDIS_URL);
  try {
    const stream = redis.scanStream({ match: `${config.REDIS_PREFIX}:*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
