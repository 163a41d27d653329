import { Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/app-config';
import { InjectRedis } from './redis.module';
import { LuaScript } from './lua-script';

// Reserves the next free slot for a key (a virtual-scheduling "theoretical arrival time" in Redis):
// the caller waits until its slot, so any number of processes sharing the key never exceed the
// rate. Times are Redis's own microseconds, so processes need no agreement on clocks.
const RESERVE = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(tat, now)
redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', math.ceil((slot + interval - now) / 1000) + 1000)
return math.floor((slot - now) / 1000)
`);

// Takes one of a key's `cap` slots (a sorted set of holders, each scored by when its slot frees, in
// Redis microseconds). Answers {1, ms}: the slot is the caller's, and its call may start in `ms`
// milliseconds. A free slot goes at once (0 ms). With none free, a slot its holder has released (it
// frees within the window, ARGV[5]) is handed over now, to start when it frees: waiters get freed
// slots in the order they ask, each asking once. Only while every slot is held by a call still
// running is the answer {0, ms}: ask again in `ms`, capped, since the calls may answer any moment.
// A holder frees its slot by rescoring it (RELEASE); one that died frees it when its lease runs out.
const ACQUIRE = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local frees = now
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  frees = tonumber(first[2])
  if frees - now > tonumber(ARGV[5]) then
    return {0, math.max(1, math.min(tonumber(ARGV[4]), math.ceil((frees - now) / 1000)))}
  end
  redis.call('ZREM', KEYS[1], first[1])
end
redis.call('ZADD', KEYS[1], frees + lease, ARGV[2])
redis.call('PEXPIRE', KEYS[1], math.ceil((frees + lease - now) / 1000) + 1000)
return {1, math.ceil((frees - now) / 1000)}
`);

const RELEASE = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
return 0
`);

/** A holder that died frees its slot after this long (well past any call's timeout). */
const SLOT_LEASE_MS = 60_000;
/** The longest wait between tries while every slot is held by a call still running. */
const SLOT_POLL_MS = 20;

/**
 * Rates shared by every process, kept in Redis (per phone number sends, for one): `wait` spaces
 * events evenly at a rate, `withinLimit` holds one of a key's slots for a call and until a window
 * after its answer, so no window sees more calls than the cap whatever the calls' latency.
 */
@Injectable()
export class Pacer {
  private readonly logger = new Logger(Pacer.name);
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
    return (await RESERVE.run(this.redis, 1, this.prefix + key, intervalUs)) as number;
  }

  /** Waits for the caller's slot. */
  async wait(key: string, perSecond: number): Promise<void> {
    const ms = await this.reserve(key, perSecond);
    if (ms > 0) await sleep(ms);
  }

  /**
   * Runs `call` in one of `cap` slots of `key`, and frees the slot `windowMs` after the call ends. A
   * request reaches its receiver after the call starts and before it ends, so however the way there
   * jitters (an event loop stalls, the network lags), no `windowMs` at the receiver sees more than
   * `cap` arrivals: exactly what Meta counts. Calls that take longer only slow the rate.
   */
  async withinLimit<T>(key: string, cap: number, windowMs: number, call: () => Promise<T>): Promise<T> {
    const slots = `${this.prefix}slots:${key}`;
    const holder = randomUUID();
    const args = [cap, holder, SLOT_LEASE_MS * 1000, SLOT_POLL_MS, windowMs * 1000];
    for (;;) {
      const [taken, ms] = (await ACQUIRE.run(this.redis, 1, slots, ...args)) as [0 | 1, number];
      if (taken) {
        await atLeast(ms);
        break;
      }
      await sleep(ms);
    }
    try {
      return await call();
    } finally {
      // Not awaited: the caller goes on with the answer at once (a later release only frees the slot
      // later). Never fails the call (Meta may have taken the message): a slot not freed runs out its lease.
      RELEASE.run(this.redis, 1, slots, holder, windowMs * 1000).catch((error: unknown) =>
        this.logger.warn(`could not free a slot of ${key}: ${String(error)}`),
      );
    }
  }
}

/**
 * Waits `ms` milliseconds of real time. A timer can fire a little early (it counts from the event
 * loop's cached clock), and a slot handed over must not be used before it frees.
 */
async function atLeast(ms: number): Promise<void> {
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) await sleep(Math.ceil(left));
}
