import { INestApplication, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { AppConfig, socketIoChannel } from '@parley/api/core';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

/** Client events are a few ids and flags; anything bigger is not ours. */
const MAX_CLIENT_PACKET_BYTES = 16 * 1024;

/**
 * Socket.io on the api's HTTP server, with the Redis adapter on the channel prefix the worker's
 * `RealtimePublisher` emits to, so a broadcast from any process reaches sockets on every api process.
 * CORS admits the console only.
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly logger = new Logger('RealtimeAdapter');
  private readonly clients: Redis[] = [];

  constructor(private readonly app: INestApplication) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const config = this.app.get(AppConfig);
    const server = super.createIOServer(port, {
      ...options,
      cors: { origin: [config.CONSOLE_URL], credentials: false },
      serveClient: false,
      maxHttpBufferSize: MAX_CLIENT_PACKET_BYTES,
    }) as Server;
    // Not awaited: the api starts while Redis is away (webhooks must still be taken); the subscriber
    // waits for it (no retry limit) and resubscribes after every reconnect, by itself.
    const pub = this.track(new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }));
    const sub = this.track(new Redis(config.REDIS_URL, { maxRetriesPerRequest: null }));
    this.catchRejections(pub, ['publish']);
    this.catchRejections(sub, ['psubscribe', 'subscribe', 'punsubscribe', 'unsubscribe']);
    server.adapter(createAdapter(pub, sub, { key: socketIoChannel(config) }));
    return server;
  }

  override async dispose(): Promise<void> {
    // QUIT would wait in the offline queue for a Redis that never came; drop those connections instead.
    await Promise.all(
      this.clients.map((client) =>
        client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : client.disconnect(),
      ),
    );
  }

  private track(client: Redis): Redis {
    this.clients.push(client);
    // Outages surface in /health; one line per failure here would flood the log.
    client.on('error', (error: Error) => this.logger.debug(`Redis: ${error.message}`));
    return client;
  }

  /**
   * The adapter fires these commands and forgets their promises: while Redis is away (or at shutdown)
   * they would be unhandled rejections. Realtime is best effort (clients reload on reconnect), so a
   * failed broadcast is dropped, as RealtimePublisher does.
   */
  private catchRejections(
    client: Redis,
    methods: readonly ('publish' | 'psubscribe' | 'subscribe' | 'punsubscribe' | 'unsubscribe')[],
  ): void {
    for (const method of methods) {
      const command = (client[method] as unknown as (...args: unknown[]) => Promise<unknown>).bind(client);
      Object.assign(client, {
        [method]: (...args: unknown[]) =>
          command(...args).catch((error: unknown) => {
            this.logger.debug(`realtime ${method} dropped: ${error instanceof Error ? error.message : String(error)}`);
            return 0;
          }),
      });
    }
  }
}

/** Socket.io through Redis; call before `listen` (main.ts and the tests, through setupHttp). */
export function useRealtimeAdapter(app: INestApplication): void {
  app.useWebSocketAdapter(new RedisIoAdapter(app));
}
