import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { ContactsModule } from '@parley/api/contacts';
import { ConversationsModule } from '@parley/api/conversations';
import { WabaAccountsModule } from '@parley/api/waba-accounts';
import { ScheduledMessage } from './entities/scheduled-message.entity';
import { ScheduledMessagesJob } from './jobs/scheduled-messages.job';
import { ScheduledMessageDispatcher } from './scheduled-message-dispatcher';
import { ScheduledMessagesController } from './scheduled-messages.controller';
import { ScheduledMessagesService } from './scheduled-messages.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ScheduledMessage]),
    AuditModule,
    ContactsModule,
    ConversationsModule,
    WabaAccountsModule,
  ],
  controllers: [ScheduledMessagesController],
  providers: [ScheduledMessagesService],
  exports: [ScheduledMessagesService],
})
export class ScheduledMessagesModule {}

/** Worker side: sends scheduled messages when they are due. */
@Module({
  imports: [ContactsModule, ConversationsModule, WabaAccountsModule],
  providers: [ScheduledMessageDispatcher, ScheduledMessagesJob],
})
export class ScheduledMessagesJobsModule {}
