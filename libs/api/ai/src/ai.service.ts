import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { ConversationsService } from '@parley/api/conversations';
import { AiJobName, AppConfig, QueueName, withDeadline } from '@parley/api/core';
import type { Queue } from 'bull';
import type { AutoReplyJob } from './ai-auto-reply';
import { AiEngine } from './ai-engine';
import { AiSettingsService } from './ai-settings.service';
import { AiStore } from './ai-store';
import { SuggestedReplyDto } from './dto/suggested-reply.dto';
import { AiProviderError } from './providers/provider';

/** How long queueing an auto-reply waits for Redis before it rejects. */
const ENQUEUE_WAIT_MS = 2_000;

/** What other features ask of the AI: automation's replies, and the inbox's suggested replies. */
@Injectable()
export class AiService {
  private readonly logger = new Logger(AiService.name);

  constructor(
    @InjectQueue(QueueName.Ai) private readonly queue: Queue<AutoReplyJob>,
    private readonly conversations: ConversationsService,
    private readonly settings: AiSettingsService,
    private readonly engine: AiEngine,
    private readonly store: AiStore,
    private readonly config: AppConfig,
  ) {}

  /**
   * Queues an AI reply to a customer message, for automation to call once its transaction
   * committed. The worker asks the org's provider for a reply to the conversation so far: at
   * `minConfidence` or above it is sent; below it, or with the day's budget spent, the conversation
   * is handed off (`bot_active = false`) with `handoffText`; when the provider keeps failing
   * (AI_MAX_ATTEMPTS tries, exponential backoff), with `fallbackText`. One message at most per
   * customer message (idempotency key `ai-reply:<messageId>`), however often this is called.
   * Rejects when Redis does not confirm the job within two seconds (calling again is harmless).
   */
  async queueAutoReply(job: AutoReplyJob): Promise<void> {
    const data: AutoReplyJob = {
      orgId: job.orgId,
      messageId: job.messageId,
      conversationId: job.conversationId,
      ruleId: job.ruleId,
      minConfidence: Number.isFinite(job.minConfidence) ? Math.min(1, Math.max(0, job.minConfidence)) : 1,
      fallbackText: job.fallbackText,
      handoffText: job.handoffText,
    };
    await withDeadline(
      this.queue.add(AiJobName.AutoReply, data, {
        jobId: `auto-reply-${job.messageId}`,
        attempts: this.config.AI_MAX_ATTEMPTS,
        backoff: { type: 'exponential', delay: this.config.AI_RETRY_BASE_MS },
      }),
      ENQUEUE_WAIT_MS,
    );
  }

  /** A reply an agent may use as a draft: by the org's provider, or the local one when that fails or the budget is spent. */
  async suggestReply(orgId: string, conversationId: string): Promise<SuggestedReplyDto> {
    const conversation = await this.conversations.get(orgId, conversationId);
    const settings = await this.settings.effective(orgId);
    const turns = await this.store.turns(orgId, conversation.id);
    const { provider } = await this.engine.choose(orgId, settings);
    const started = performance.now();
    try {
      const reply = await provider.suggestReply(turns, settings.intents);
      this.logger.debug(
        `org ${orgId}: reply suggested for conversation ${conversation.id} by ${provider.name} in ${Math.round(performance.now() - started)} ms`,
      );
      return { ...reply, provider: provider.name };
    } catch (error) {
      if (!(error instanceof AiProviderError)) throw error;
      this.logger.warn(
        `org ${orgId}: ${provider.name} failed to suggest a reply for conversation ${conversation.id} (${error.failure}${error.status ? ` ${error.status}` : ''}); suggested locally`,
      );
      const reply = await this.engine.local.suggestReply(turns, settings.intents);
      return { ...reply, provider: this.engine.local.name };
    }
  }
}
