export * from './quick-replies.module';
export * from './quick-replies.service';
export * from './dto/quick-reply.dto';
export * from './entities/quick-reply.entity';
