import { Module } from '@nestjs/common';
import { AuditModule } from '@parley/api/audit';
import { ContactsModule } from '@parley/api/contacts';
import { ConversationsModule } from '@parley/api/conversations';
import { MediaModule } from '@parley/api/media';
import { PrivacyController } from './privacy.controller';
import { PrivacyService } from './privacy.service';
import { RetentionJob } from './retention.job';
import { RetentionService } from './retention.service';

/** GDPR export and erasure of contacts: apart from contacts, which conversations and media build on. */
@Module({
  imports: [ContactsModule, ConversationsModule, MediaModule, AuditModule],
  controllers: [PrivacyController],
  providers: [PrivacyService],
})
export class PrivacyModule {}

/** The worker's side: the nightly retention pass. */
@Module({
  imports: [ConversationsModule, MediaModule, AuditModule],
  providers: [RetentionService, RetentionJob],
  exports: [RetentionService],
})
export class PrivacyJobsModule {}
