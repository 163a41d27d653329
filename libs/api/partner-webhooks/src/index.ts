export * from './entities/webhook-delivery-attempt.entity';
export * from './entities/webhook-delivery.entity';
export * from './entities/webhook-subscription.entity';
export * from './dto/webhook-subscription.dto';
export * from './partner-webhooks.module';
export * from './webhook-dispatcher';
