export * from './entities/media.entity';
export * from './storage/media-storage';
