export * from './presence.module';
export * from './presence.service';
export * from './realtime-options';
export * from './realtime.module';
export * from './realtime.protocol';
export * from './redis-io.adapter';
