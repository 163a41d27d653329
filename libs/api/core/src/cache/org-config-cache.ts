import { Global, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { redisReady } from '../redis/redis.module';
import { TtlCache } from './ttl-cache';

/** The org settings read on every customer message, kept in memory by each process that reads them. */
export type OrgConfigKind = 'automation_rules' | 'ai_settings';

/**
 * An org's read-mostly settings (automation rules, AI settings), cached per process, so the
 * webhook path stops asking PostgreSQL for them on every message. Whoever changes them calls
 * `changed` once the change has committed: the entry is dropped here and, through Redis pub/sub,
 * in every other process (the worker applying webhooks, the other api processes). Should Redis
 * lose the news (it was down, or the subscriber was reconnecting), every entry is dropped when the
 * subscriber is back, and none outlives ORG_CONFIG_CACHE_TTL_MS.
 */
@Injectable()
export class OrgConfigCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(OrgConfigCache.name);
  private readonly caches = new Map<OrgConfigKind, TtlCache<string, unknown>>();
  private readonly channel: string;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  constructor(private readonly config: AppConfig) {
    this.channel = `${config.REDIS_PREFIX}:org-config-changed`;
    this.publisher = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.publisher.on('error', () => undefined); // reported by `changed`; ioredis reconnects by itself
    this.subscriber = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.subscriber.on('error', () => undefined);
    // Subscribed again on every (re)connection; news may have been missed meanwhile, so forget everything.
    this.subscriber.on('ready', () => {
      this.clear();
      this.subscriber.subscribe(this.channel).catch(() => undefined);
    });
    this.subscriber.on('message', (_channel: string, message: string) => {
      const [kind, orgId] = message.split(':') as [OrgConfigKind, string];
      this.caches.get(kind)?.delete(orgId);
    });
  }

  async onModuleInit(): Promise<void> {
    await Promise.all([redisReady(this.publisher), redisReady(this.subscriber)]);
  }

  /** The org's `kind` of settings, from memory or from `load`. */
  get<V>(kind: OrgConfigKind, orgId: string, load: () => Promise<V>): Promise<V> {
    let cache = this.caches.get(kind);
    if (!cache) {
      cache = new TtlCache<string, unknown>(this.config.ORG_CONFIG_CACHE_TTL_MS);
      this.caches.set(kind, cache);
    }
    return cache.get(orgId, load) as Promise<V>;
  }

  /** Call after the change committed: every process reads the org's `kind` afresh. Never throws. */
  async changed(kind: OrgConfigKind, orgId: string): Promise<void> {
    this.caches.get(kind)?.delete(orgId);
    try {
      await this.publisher.publish(this.channel, `${kind}:${orgId}`);
    } catch (error) {
      this.logger.warn(
        `could not announce a change of ${kind} in org ${orgId} (other processes see it within ${this.config.ORG_CONFIG_CACHE_TTL_MS} ms): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private clear(): void {
    for (const cache of this.caches.values()) cache.clear();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.publisher, this.subscriber].map((redis) => redis.quit().catch(() => redis.disconnect())));
  }
}

/** The cache, for the api and the worker alike. */
@Global()
@Module({ providers: [OrgConfigCache], exports: [OrgConfigCache] })
export class OrgConfigCacheModule {}
