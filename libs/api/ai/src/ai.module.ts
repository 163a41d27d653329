import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { AutomationModule } from '@parley/api/automation';
import { ConversationsModule } from '@parley/api/conversations';
import { SecretBox } from '@parley/api/core';
import { AiAutoReply } from './ai-auto-reply';
import { AiBudget } from './ai-budget';
import { AiEngine } from './ai-engine';
import { AiSettingsService } from './ai-settings.service';
import { AiStore } from './ai-store';
import { AutomationAiBridge } from './automation-bridge';
import { AiTriage } from './ai-triage';
import { AiSettingsController, SuggestedReplyController } from './ai.controller';
import { AiService } from './ai.service';
import { AiSettings } from './entities/ai-settings.entity';
import { AiJob } from './jobs/ai.job';

/** AI triage: per-org settings, suggested replies, and `AiService.queueAutoReply`, which automation's `ai_reply` calls. */
@Module({
  imports: [TypeOrmModule.forFeature([AiSettings]), ConversationsModule, AuditModule, AutomationModule],
  controllers: [AiSettingsController, SuggestedReplyController],
  providers: [AiService, AiSettingsService, AiEngine, AiBudget, AiStore, SecretBox, AutomationAiBridge],
  exports: [AiService, AiSettingsService, AiEngine, AiStore],
})
export class AiModule {}

/** Worker side: reads customer messages and conversations, sends automation's AI replies, sweeps up untriaged messages. */
@Module({
  imports: [AiModule, ConversationsModule],
  providers: [AiTriage, AiAutoReply, AiJob],
})
export class AiJobsModule {}
