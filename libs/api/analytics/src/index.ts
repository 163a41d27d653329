export * from './analytics-rollup';
export * from './analytics.module';
export * from './analytics.service';
export * from './dto/analytics.dto';
export * from './period';
export * from './time-zones';
