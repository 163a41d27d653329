import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { InjectRedis } from './redis.module';
import { LuaScript } from './lua-script';

// INCR and, on the first hit of a window, set its expiry: atomic, so concurrent processes agree.
const HIT = new LuaScript(`
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
`);

export interface WindowState {
  count: number;
  /** Milliseconds until the window resets. */
  resetInMs: number;
}

/** Whole seconds until the window resets, at least 1: what `Retry-After` and `RateLimit-Reset` say. */
export function secondsToReset(state: WindowState): number {
  return Math.max(1, Math.ceil(state.resetInMs / 1_000));
}

/** Fixed-window counters in Redis, shared by every api process (login throttling, later rate limits). */
@Injectable()
export class WindowCounter {
  private readonly prefix: string;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.prefix = `${config.REDIS_PREFIX}:window:`;
  }

  async hit(key: string, windowMs: number): Promise<WindowState> {
    const [count, ttl] = (await HIT.run(this.redis, 1, this.prefix + key, windowMs)) as [number, number];
    return { count, resetInMs: Math.max(ttl, 0) };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
