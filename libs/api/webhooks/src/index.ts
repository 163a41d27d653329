export * from './entities/webhook-event.entity';
export * from './webhook-events.service';
export * from './webhook-ingest.service';
export * from './webhooks.module';
export * from './webhook-receiver';
