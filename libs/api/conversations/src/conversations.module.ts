import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { ContactsModule } from '@parley/api/contacts';
import { OrganizationsModule } from '@parley/api/organizations';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { MessageStatusEvent } from './entities/message-status-event.entity';
import { InboundService } from './inbound.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Conversation, Message, MessageStatusEvent]),
    ContactsModule,
    OrganizationsModule,
    AuditModule,
  ],
  controllers: [ConversationsController],
  providers: [InboundService, ConversationsService],
  exports: [InboundService, ConversationsService],
})
export class ConversationsModule {}
