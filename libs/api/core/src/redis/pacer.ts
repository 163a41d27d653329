import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
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
}
