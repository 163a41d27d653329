import { Global, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { PIPELINED, redisReady } from '../redis/redis.module';

/** What the server tells sockets, each carrying the changed resource in its API JSON shape. */
export type RealtimeEvent =
  | 'message.created'
  | 'message.updated'
  | 'conversation.updated'
  | 'note.created'
  | 'media.updated'
  | 'campaign.updated';

/** The room every signed-in member of an org joins (after a membership check). */
export const orgRoom = (orgId: string) => `org:${orgId}`;
/** The room of the sockets that have one conversation open. */
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;
/** The Redis channel prefix shared by the Socket.io adapter (api) and this emitter (api and worker). */
export const socketIoChannel = (config: Pick<AppConfig, 'REDIS_PREFIX'>) => `${config.REDIS_PREFIX}:socket.io`;

/**
 * Publishes realtime events through Redis, so any process (an api serving another request, the
 * worker) reaches sockets connected to every api process. Best effort by design: a realtime hiccup
 * (Redis away) never fails the write that caused the event; clients catch up by reloading.
 */
@Injectable()
export class RealtimePublisher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RealtimePublisher.name);
  private readonly redis: Redis;
  private readonly emitter: Emitter;

  constructor(config: AppConfig) {
    this.redis = new Redis(config.REDIS_URL, { ...PIPELINED, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', () => undefined); // reported on publish; ioredis reconnects by itself
    // The emitter ignores publish's promise: hand it a client whose failures are caught.
    const client = {
      publish: (channel: string, message: string | Buffer) =>
        this.redis.publish(channel, message).catch((error: unknown) => {
          this.logger.debug(`realtime event dropped: ${error instanceof Error ? error.message : String(error)}`);
          return 0;
        }),
    };
    this.emitter = new Emitter(client, { key: socketIoChannel(config) });
  }

  onModuleInit(): Promise<void> {
    return redisReady(this.redis);
  }

  /** Sends `event` to every socket of the org. */
  toOrg(orgId: string, event: RealtimeEvent, payload: unknown): void {
    this.emitter.to(orgRoom(orgId)).emit(event, payload);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** The publisher, for the api and the worker alike. */
@Global()
@Module({ providers: [RealtimePublisher], exports: [RealtimePublisher] })
export class RealtimePublisherModule {}
