export * from './conversations.module';
export * from './entities/conversation.entity';
export * from './entities/message-status-event.entity';
export * from './entities/message.entity';
export * from './inbound.service';
