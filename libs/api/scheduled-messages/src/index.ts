export * from './scheduled-messages.module';
export * from './scheduled-messages.service';
export * from './dto/scheduled-message.dto';
export * from './entities/scheduled-message.entity';
