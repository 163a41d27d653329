import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from './config/config.module';
import { RequestContextModule } from './context/request-context.module';
import { DatabaseModule } from './database/database.module';
import { QueueModule } from './queue/queue.module';
import { MetricsModule } from './observability/metrics-registry';
import { RedisModule } from './redis/redis.module';
import { RealtimePublisherModule } from './realtime/realtime-publisher';
import { OrgConfigCacheModule } from './cache/org-config-cache';

/** The infrastructure every entry point needs: validated config, request context, PostgreSQL, Redis, the queues, metrics, the realtime publisher and the org settings cache. */
@Module({})
export class CoreModule {
  static forRoot(schema: Parameters<typeof DatabaseModule.forRoot>[0]): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule,
        RequestContextModule,
        DatabaseModule.forRoot(schema),
        RedisModule,
        QueueModule,
        MetricsModule,
        RealtimePublisherModule,
        OrgConfigCacheModule,
      ],
    };
  }
}
