import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, InjectRedis, LuaScript } from '@parley/api/core';
import type Redis from 'ioredis';
import { REALTIME_OPTIONS, type RealtimeOptions } from './realtime-options';
import type { PresenceStatus, UserPresence } from './realtime.protocol';

/*
 * Layout, under `<REDIS_PREFIX>:presence:`:
 *   user:<orgId>:<userId>  hash  socketId → "status|lastSeenMs|expiresAtMs" (one field per socket)
 *   users:<orgId>          set   users with at least one socket entry in the org
 *   expiry                 zset  "<orgId>|<userId>|<socketId>" scored by expiresAtMs, for the sweeper
 * Times come from Redis (TIME), so api processes with skewed clocks agree. A user's presence is the
 * best of their sockets (online > away); transitions are computed over the entries present, and the
 * sweeper reports the ones that lapse. Scripts name keys they derive, so this needs a single Redis
 * (not Cluster), as the queues do.
 */
const LUA_HELPERS = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function aggregate(key, now)
  local status, seen = 'offline', 0
  for _, value in ipairs(redis.call('HVALS', key)) do
    local s, last, expires = string.match(value, '^(%a+)|(%d+)|(%d+)$')
    if s and tonumber(expires) > now then
      if s == 'online' then status = 'online' elseif status == 'offline' then status = s end
      seen = math.max(seen, tonumber(last))
    end
  end
  return status, seen
end
`;

// KEYS: expiry, users, user hash. ARGV: socketId, status, ttlMs, expiry member, userId.
const TOUCH = new LuaScript(`${LUA_HELPERS}
local now = now_ms()
local before = aggregate(KEYS[3], 0)
local expires = now + tonumber(ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2] .. '|' .. string.format('%.0f', now) .. '|' .. string.format('%.0f', expires))
redis.call('ZADD', KEYS[1], expires, ARGV[4])
redis.call('SADD', KEYS[2], ARGV[5])
return {before, (aggregate(KEYS[3], 0))}
`);

// KEYS: expiry, users, user hash. ARGV: socketId, expiry member, userId.
const REMOVE = new LuaScript(`${LUA_HELPERS}
local before = aggregate(KEYS[3], 0)
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[2])
if redis.call('EXISTS', KEYS[3]) == 0 then redis.call('SREM', KEYS[2], ARGV[3]) end
return {before, (aggregate(KEYS[3], 0))}
`);

// KEYS: expiry. ARGV: key prefix, batch size. Returns org, user, status triples of changed users.
const SWEEP = new LuaScript(`${LUA_HELPERS}
local changes = {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now_ms(), 'LIMIT', 0, tonumber(ARGV[2]))) do
  redis.call('ZREM', KEYS[1], member)
  local org, user, socket = string.match(member, '^([^|]+)|([^|]+)|(.+)$')
  if org then
    local hash = ARGV[1] .. 'user:' .. org .. ':' .. user
    local before = aggregate(hash, 0)
    redis.call('HDEL', hash, socket)
    if redis.call('EXISTS', hash) == 0 then redis.call('SREM', ARGV[1] .. 'users:' .. org, user) end
    local after = aggregate(hash, 0)
    if before ~= after then
      table.insert(changes, org)
      table.insert(changes, user)
      table.insert(changes, after)
    end
  end
end
return changes
`);

// KEYS: users. ARGV: user hash prefix. Returns user, status, lastSeenMs triples, lapsed entries left out.
const LIST = new LuaScript(`${LUA_HELPERS}
local now = now_ms()
local out = {}
for _, user in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local status, seen = aggregate(ARGV[1] .. user, now)
  if status ~= 'offline' then
    table.insert(out, user)
    table.insert(out, status)
    table.insert(out, string.format('%.0f', seen))
  end
end
return out
`);

export interface PresenceEntry {
  userId: string;
  status: PresenceStatus;
  lastSeenAt: Date;
}

export interface PresenceChange {
  orgId: string;
  userId: string;
  status: UserPresence;
}

const SWEEP_BATCH = 500;

/**
 * Who is online in each org, in Redis, so every api process (and the worker) sees the same thing.
 * Each socket of a user is one entry; the user counts once, with the best status of their sockets.
 */
@Injectable()
export class PresenceService {
  private readonly prefix: string;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    config: AppConfig,
    @Inject(REALTIME_OPTIONS) private readonly options: RealtimeOptions,
  ) {
    this.prefix = `${config.REDIS_PREFIX}:presence:`;
  }

  /** Members of the org with a live socket: online or away, and when they were last heard from. */
  async list(orgId: string): Promise<PresenceEntry[]> {
    const flat = (await LIST.run(this.redis, 1, this.usersKey(orgId), `${this.prefix}user:${orgId}:`)) as string[];
    const entries: PresenceEntry[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      entries.push({
        userId: flat[i] as string,
        status: flat[i + 1] as PresenceStatus,
        lastSeenAt: new Date(Number(flat[i + 2])),
      });
    }
    return entries;
  }

  /** Records a socket's status (a join, a change or a heartbeat); returns the user's new presence when it changed. */
  async touch(orgId: string, userId: string, socketId: string, status: PresenceStatus): Promise<PresenceChange | null> {
    const [before, after] = (await TOUCH.run(
      this.redis,
      3,
      ...this.keys(orgId, userId),
      socketId,
      status,
      this.options.presenceTtlMs,
      this.member(orgId, userId, socketId),
      userId,
    )) as [UserPresence, UserPresence];
    return before === after ? null : { orgId, userId, status: after };
  }

  /** Forgets a socket (it left the org or disconnected); returns the user's new presence when it changed. */
  async remove(orgId: string, userId: string, socketId: string): Promise<PresenceChange | null> {
    const [before, after] = (await REMOVE.run(
      this.redis,
      3,
      ...this.keys(orgId, userId),
      socketId,
      this.member(orgId, userId, socketId),
      userId,
    )) as [UserPresence, UserPresence];
    return before === after ? null : { orgId, userId, status: after };
  }

  /** Drops sockets whose heartbeat lapsed (their process died, or the tab went silent); returns the changes. */
  async sweep(): Promise<PresenceChange[]> {
    const flat = (await SWEEP.run(this.redis, 1, `${this.prefix}expiry`, this.prefix, SWEEP_BATCH)) as string[];
    const changes: PresenceChange[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      changes.push({ orgId: flat[i] as string, userId: flat[i + 1] as string, status: flat[i + 2] as UserPresence });
    }
    return changes;
  }

  private keys(orgId: string, userId: string): [string, string, string] {
    return [`${this.prefix}expiry`, this.usersKey(orgId), `${this.prefix}user:${orgId}:${userId}`];
  }

  private usersKey(orgId: string): string {
    return `${this.prefix}users:${orgId}`;
  }

  private member(orgId: string, userId: string, socketId: string): string {
    return `${orgId}|${userId}|${socketId}`;
  }
}
