export * from './api-keys.module';
export * from './api-keys.service';
export * from './entities/api-key.entity';
