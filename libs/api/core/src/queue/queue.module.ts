import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DEFAULT_JOB_OPTIONS, QUEUE_SETTINGS, QueueName } from './queues';

const queues = Object.values(QueueName).map((name) => BullModule.registerQueue({ name, settings: QUEUE_SETTINGS }));

/** Bull on Redis with every queue registered, for producers (api) and processors (worker) alike. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        redis: config.REDIS_URL,
        prefix: `${config.REDIS_PREFIX}:bull`,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    ...queues,
  ],
  exports: queues,
})
export class QueueModule {}
