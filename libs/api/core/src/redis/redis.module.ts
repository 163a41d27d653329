import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';

export const REDIS = Symbol('REDIS');
export const InjectRedis = () => Inject(REDIS);

/**
 * Commands issued in the same tick (a batch's realtime events, concurrent requests' rate-limit
 * counts) go to Redis in one write: on a small machine each write is a context switch. Not for
 * Bull's connections: its jobs stall with it.
 */
export const PIPELINED = { enableAutoPipelining: true } as const;

/**
 * Waits (at most `ms`) for a new client's connection. Clients without an offline queue refuse
 * commands until then, so a request, a send or a health check in the first moments after boot
 * would fail although Redis is up. Resolves early on a connection error: a process starts while
 * Redis is away (webhooks must still be taken), and ioredis keeps reconnecting by itself.
 */
export function redisReady(client: Redis, ms = 5_000): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done).off('error', done).off('end', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.once('ready', done).once('error', done).once('end', done);
  });
}

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One shared ioredis client for rate limits and health checks (Bull opens its own connections). */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const redis = new Redis(config.REDIS_URL, { ...PIPELINED, maxRetriesPerRequest: 2, enableOfflineQueue: false });
        await redisReady(redis);
        return redis;
      },
    },
    RedisLifecycle,
  ],
  exports: [REDIS],
})
export class RedisModule {}
