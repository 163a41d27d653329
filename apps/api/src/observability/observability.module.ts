import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HttpMetricsMiddleware, Metrics, MetricsController } from './metrics';
import { QueueDepths } from './queue-depths';

/** `/health` and `/metrics`, outside the `/api/v1` prefix. */
@Module({
  controllers: [HealthController, MetricsController],
  providers: [Metrics, QueueDepths],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('{*splat}');
  }
}
