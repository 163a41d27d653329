export * from './entities/media.entity';
export * from './storage/media-storage';
export * from './dto/media.dto';
export * from './media.service';
export * from './media.module';
