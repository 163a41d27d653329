import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/app-config';
import { InjectRedis } from './redis.module';

// Reserves the next free slot for a key (a virtual-scheduling "theoretical arrival time" in Redis):
// the caller waits until its slot, so any number of processes sharing the key never exceed the
// rate. Times are Redis's own microseconds, so processes need no agreement on clocks.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(tat, now)
redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', math.ceil((slot + interval - now) / 1000) + 1000)
return math.floor((slot - now) / 1000)
`;

// Admits an event if fewer than the cap were admitted for the key within the window (a sliding log
// of Redis times, in microseconds); otherwise answers how many milliseconds until the oldest
// leaves it.
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, math.ceil((tonumber(oldest[2]) + window - now) / 1000))
`;

/** Spaces events evenly at a rate shared by every process (per phone number sends, for one). */
@Injectable()
export class Pacer {
  private readonly prefix: string;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.prefix = `${config.REDIS_PREFIX}:pace:`;
  }

  /** Milliseconds until the caller's slot at `perSecond` events a second for `key` (0: go now). */
  async reserve(key: string, perSecond: number): Promise<number> {
    const intervalUs = Math.ceil(1_000_000 / perSecond);
    return (await this.redis.eval(RESERVE, 1, this.prefix + key, intervalUs)) as number;
  }

  /** Waits for the caller's slot. */
  async wait(key: string, perSecond: number): Promise<void> {
    const ms = await this.reserve(key, perSecond);
    if (ms > 0) await sleep(ms);
  }

  /**
   * Waits until fewer than `cap` events of `key` went in the last `windowMs`, and counts this one:
   * evenly reserved slots still bunch when an event loop stalls and its timers fire together, and
   * a receiver that counts any one-second window (Meta) refuses the excess. A window longer than
   * the receiver's absorbs that much jitter between here and there.
   */
  async admit(key: string, cap: number, windowMs: number): Promise<void> {
    const member = randomUUID();
    for (;;) {
      const ms = (await this.redis.eval(
        ADMIT,
        1,
        `${this.prefix}window:${key}`,
        cap,
        member,
        windowMs * 1000,
      )) as number;
      if (ms === 0) return;
      await sleep(ms);
    }
  }
}
