import { Injectable } from '@nestjs/common';
import { AppConfig, InjectRedis, LuaScript } from '@parley/api/core';
import type Redis from 'ioredis';

// Counts a call unless the day's budget is spent: one script, so concurrent processes never overspend.
const TAKE = new LuaScript(`
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then return -1 end
used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return used
`);

/** A day's counter outlives its day a little, for whoever reads it near midnight. */
const KEEP_MS = 48 * 3_600_000;

/** The UTC day of `at`, as `YYYY-MM-DD`. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Each org's calls to its remote AI provider per UTC day, in Redis so every api and worker process
 * shares one count. The local provider is free and not counted.
 */
@Injectable()
export class AiBudget {
  private readonly prefix: string;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.prefix = `${config.REDIS_PREFIX}:ai-calls:`;
  }

  private key(orgId: string, at: Date): string {
    return `${this.prefix}${orgId}:${utcDay(at)}`;
  }

  /** Counts one call when the day's `limit` allows it; false when spent (or Redis can't tell, which spends nothing). */
  async take(orgId: string, limit: number, at = new Date()): Promise<boolean> {
    if (limit <= 0) return false;
    try {
      const used = (await TAKE.run(this.redis, 1, this.key(orgId, at), limit, KEEP_MS)) as number;
      return used > 0;
    } catch {
      return false;
    }
  }

  /** Calls counted today; 0 when Redis can't tell. */
  async used(orgId: string, at = new Date()): Promise<number> {
    try {
      return Number((await this.redis.get(this.key(orgId, at))) ?? 0);
    } catch {
      return 0;
    }
  }
}
