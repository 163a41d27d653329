export * from './conversations.module';
export * from './entities/conversation.entity';
export * from './entities/message-status-event.entity';
export * from './entities/message.entity';
export * from './inbound.service';
export * from './conversations.service';
export * from './dto/conversation.dto';
export * from './dto/message.dto';
