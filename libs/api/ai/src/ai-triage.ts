import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InboxEvents } from '@parley/api/conversations';
import {
  addWithin,
  AI_READABLE_TYPES,
  AiJobName,
  type AiSummarizeJob,
  aiTriageJobId,
  type AiTriageJob,
  AppConfig,
  QueueName,
  requeue,
  resolvedSummaryJobId,
} from '@parley/api/core';
import type { Queue } from 'bull';
import { AiEngine } from './ai-engine';
import { AiSettingsService, type EffectiveAiSettings } from './ai-settings.service';
import { AiStore } from './ai-store';
import { type AiProvider, AiProviderError } from './providers/provider';

/** How long queueing a summary waits for Redis; the next message (or resolving) asks again. */
const ENQUEUE_WAIT_MS = 1_000;

/** Why a reading was skipped, or that it was made (and by which provider). */
export type TriageOutcome = 'skipped' | AiProvider['name'];

/**
 * The worker's reading of customer messages (sentiment, intent, language) and of conversations
 * (summary, priority, tags, lead score). Best effort and prompt: when the remote provider fails or
 * the day's budget is spent, the local provider reads instead, so insights always come.
 */
@Injectable()
export class AiTriage {
  private readonly logger = new Logger(AiTriage.name);

  constructor(
    @InjectQueue(QueueName.Ai) private readonly queue: Queue<AiTriageJob | AiSummarizeJob>,
    private readonly settings: AiSettingsService,
    private readonly engine: AiEngine,
    private readonly store: AiStore,
    private readonly events: InboxEvents,
    private readonly config: AppConfig,
  ) {}

  /** Reads one customer message into `messages.ai`, then asks for the conversation's summary every N customer messages. */
  async triage(orgId: string, messageId: string): Promise<TriageOutcome> {
    const settings = await this.settings.effective(orgId);
    if (!settings.autoTriage) return 'skipped';
    const message = await this.store.inboundMessage(orgId, messageId);
    if (!message || message.triaged || !AI_READABLE_TYPES.includes(message.type)) return 'skipped';
    const { reading, by } = await this.read(orgId, settings, `message ${messageId}`, (provider) =>
      provider.readMessage(message.body, settings.intents),
    );
    await this.store.setMessageInsights(orgId, messageId, {
      sentiment: reading.sentiment,
      intent: reading.intent,
      language: reading.language,
    });
    await this.events.messages(orgId, 'message.updated', [messageId]);
    if (message.ordinal % settings.summaryAfter === 0) {
      await this.queueSummary(
        { orgId, conversationId: message.conversationId, reason: 'messages' },
        `summarize-${message.conversationId}-${message.ordinal}`,
      );
    }
    return by;
  }

  /** Reads a conversation into `conversations.ai`. */
  async summarize(orgId: string, conversationId: string): Promise<TriageOutcome> {
    const settings = await this.settings.effective(orgId);
    if (!settings.autoTriage) return 'skipped';
    const turns = await this.store.turns(orgId, conversationId);
    if (!turns.some((turn) => turn.from === 'customer')) return 'skipped';
    const { reading, by } = await this.read(orgId, settings, `conversation ${conversationId}`, (provider) =>
      provider.readConversation(turns, settings.intents),
    );
    await this.store.setConversationInsights(orgId, conversationId, reading);
    await this.events.conversations(orgId, [conversationId]);
    return by;
  }

  /**
   * Queues again what lost its job with Redis: the triage of recent customer messages, and the
   * reading of recently resolved conversations.
   */
  async sweep(): Promise<number> {
    let messages = 0;
    for (const row of await this.store.untriaged(this.config.AI_SWEEP_AFTER_MS)) {
      const job: AiTriageJob = { orgId: row.org_id, messageId: row.id };
      if (await requeue(this.queue, AiJobName.Triage, job, { jobId: aiTriageJobId(row.id) })) messages += 1;
    }
    let conversations = 0;
    for (const row of await this.store.unsummarizedResolved(this.config.AI_SWEEP_AFTER_MS)) {
      const job: AiSummarizeJob = { orgId: row.org_id, conversationId: row.id, reason: 'resolved' };
      const jobId = resolvedSummaryJobId(row.id, row.resolved_at);
      if (await requeue(this.queue, AiJobName.Summarize, job, { jobId })) conversations += 1;
    }
    if (messages + conversations > 0)
      this.logger.log(`re-queued the triage of ${messages} messages and the reading of ${conversations} conversations`);
    return messages + conversations;
  }

  private async queueSummary(job: AiSummarizeJob, jobId: string): Promise<void> {
    if (!(await addWithin(this.queue, AiJobName.Summarize, job, { jobId }, ENQUEUE_WAIT_MS)))
      this.logger.warn(`org ${job.orgId}: could not queue the summary of conversation ${job.conversationId}`);
  }

  /** One reading by the org's provider, or by the local one when that fails. Logs ids, provider, latency and failure kinds only. */
  private async read<T>(
    orgId: string,
    settings: EffectiveAiSettings,
    what: string,
    call: (provider: AiProvider) => Promise<T>,
  ): Promise<{ reading: T; by: AiProvider['name'] }> {
    const { provider, overBudget } = await this.engine.choose(orgId, settings);
    if (overBudget) this.logger.log(`org ${orgId}: daily AI budget spent; ${what} read locally`);
    const started = performance.now();
    try {
      const reading = await call(provider);
      this.logger.debug(
        `org ${orgId}: ${what} read by ${provider.name} in ${Math.round(performance.now() - started)} ms`,
      );
      return { reading, by: provider.name };
    } catch (error) {
      if (!(error instanceof AiProviderError)) throw error;
      this.logger.warn(
        `org ${orgId}: ${provider.name} failed to read ${what} (${error.failure}${error.status ? ` ${error.status}` : ''}) after ${Math.round(performance.now() - started)} ms; read locally`,
      );
      return { reading: await call(this.engine.local), by: this.engine.local.name };
    }
  }
}
