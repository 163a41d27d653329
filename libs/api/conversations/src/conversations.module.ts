import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { ContactsModule } from '@parley/api/contacts';
import { Pacer } from '@parley/api/core';
import { MediaModule } from '@parley/api/media';
import { OrganizationsModule } from '@parley/api/organizations';
import { TemplatesModule } from '@parley/api/templates';
import { WabaAccountsModule } from '@parley/api/waba-accounts';
import { ContactDataService } from './contact-data.service';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { MessageStatusEvent } from './entities/message-status-event.entity';
import { Note } from './entities/note.entity';
import { InboundService } from './inbound.service';
import { InboxEvents } from './inbox-events';
import { OutboundMessagesJob } from './jobs/outbound-messages.job';
import { MessageSender } from './message-sender';
import { MessagesController } from './messages.controller';
import { OutboundService } from './outbound.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Conversation, Message, MessageStatusEvent, Note]),
    ContactsModule,
    OrganizationsModule,
    WabaAccountsModule,
    TemplatesModule,
    MediaModule,
    AuditModule,
  ],
  controllers: [ConversationsController, MessagesController],
  providers: [InboundService, ConversationsService, OutboundService, InboxEvents, ContactDataService],
  exports: [InboundService, ConversationsService, OutboundService, InboxEvents, ContactDataService],
})
export class ConversationsModule {}

/** Worker side: sends queued messages and read receipts at each number's pace, and sweeps up stragglers. */
@Module({
  imports: [ConversationsModule, WabaAccountsModule, MediaModule],
  providers: [MessageSender, OutboundMessagesJob, Pacer],
})
export class ConversationsJobsModule {}
