import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactsModule } from '@parley/api/contacts';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { MessageStatusEvent } from './entities/message-status-event.entity';
import { InboundService } from './inbound.service';

@Module({
  imports: [TypeOrmModule.forFeature([Conversation, Message, MessageStatusEvent]), ContactsModule],
  providers: [InboundService],
  exports: [InboundService],
})
export class ConversationsModule {}
