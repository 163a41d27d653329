import { Injectable, Logger } from '@nestjs/common';
import { InboxEvents, OutboundService } from '@parley/api/conversations';
import { DomainError, ErrorCode } from '@parley/api/core';
import { AiEngine } from './ai-engine';
import { AiSettingsService } from './ai-settings.service';
import { AiStore } from './ai-store';
import { AiProviderError, type ReplySuggestion } from './providers/provider';

/** What automation asks of the AI for one customer message: answer it, or hand the conversation to a person. */
export interface AutoReplyJob {
  orgId: string;
  /** The customer message to answer. */
  messageId: string;
  conversationId: string;
  /** The automation rule that asked (for logs). */
  ruleId: string;
  /** 0..1: a reply the provider is less sure of is not sent; the conversation is handed off instead. */
  minConfidence: number;
  /** Sent when the provider keeps failing (after the last retry), as the conversation is handed off. */
  fallbackText: string;
  /** Sent when the reply is not confident enough, or the day's AI budget is spent, as the conversation is handed off. */
  handoffText: string;
}

export type AutoReplyOutcome = 'replied' | 'handed_off' | 'already_answered' | 'skipped';

/** The idempotency key of the one message automation sends for a customer message, whichever text it is. */
export const autoReplyKey = (messageId: string) => `ai-reply:${messageId}`;

/**
 * The worker's half of AI auto-replies. Whatever happens, at most one message goes out per
 * customer message (the idempotency key), and the conversation ends up answered or handed off:
 * a handoff sends its text first and flags the conversation after, so a crash in between is
 * finished by the retry, which finds the text already sent.
 */
@Injectable()
export class AiAutoReply {
  private readonly logger = new Logger(AiAutoReply.name);

  constructor(
    private readonly settings: AiSettingsService,
    private readonly engine: AiEngine,
    private readonly store: AiStore,
    private readonly outbound: OutboundService,
    private readonly events: InboxEvents,
  ) {}

  /** One attempt. Throws (for Bull to retry) when the provider failed and attempts remain, or on infrastructure errors. */
  async run(job: AutoReplyJob, lastAttempt: boolean): Promise<AutoReplyOutcome> {
    const { orgId, messageId, conversationId } = job;
    const what = `org ${orgId} rule ${job.ruleId} message ${messageId}`;
    const earlier = await this.store.sentUnder(orgId, autoReplyKey(messageId));
    if (earlier) {
      // An earlier attempt sent its message and died before finishing: finish the handoff it began.
      if (earlier.body === job.handoffText || earlier.body === job.fallbackText)
        await this.flagHandoff(orgId, conversationId);
      return 'already_answered';
    }
    const conversation = await this.store.conversation(orgId, conversationId);
    if (!conversation || !conversation.botActive) {
      this.logger.log(`${what}: no auto-reply, the conversation is ${conversation ? 'with a person' : 'gone'}`);
      return 'skipped';
    }
    const settings = await this.settings.effective(orgId);
    const { provider, overBudget } = await this.engine.choose(orgId, settings);
    if (overBudget) {
      this.logger.log(`${what}: daily AI budget spent; handing off`);
      return this.handOff(job, job.handoffText);
    }
    const started = performance.now();
    let reply: ReplySuggestion;
    try {
      reply = await provider.suggestReply(await this.store.turns(orgId, conversationId, messageId), settings.intents);
    } catch (error) {
      if (!(error instanceof AiProviderError)) throw error;
      this.logger.warn(
        `${what}: ${provider.name} failed (${error.failure}${error.status ? ` ${error.status}` : ''}) after ${Math.round(performance.now() - started)} ms${lastAttempt ? '; handing off' : '; will retry'}`,
      );
      if (!lastAttempt) throw error;
      return this.handOff(job, job.fallbackText);
    }
    const latency = Math.round(performance.now() - started);
    if (reply.confidence < job.minConfidence) {
      this.logger.log(
        `${what}: ${provider.name} replied in ${latency} ms at confidence ${reply.confidence} < ${job.minConfidence}; handing off`,
      );
      return this.handOff(job, job.handoffText);
    }
    this.logger.log(`${what}: ${provider.name} replied in ${latency} ms at confidence ${reply.confidence}`);
    return (await this.send(job, reply.text)) ? 'replied' : this.handOff(job, null);
  }

  /** Sends `text` (when there is one), then hands the conversation to a person. */
  private async handOff(job: AutoReplyJob, text: string | null): Promise<AutoReplyOutcome> {
    if (text?.trim()) await this.send(job, text);
    await this.flagHandoff(job.orgId, job.conversationId);
    return 'handed_off';
  }

  private async flagHandoff(orgId: string, conversationId: string): Promise<void> {
    if (await this.store.handOff(orgId, conversationId)) await this.events.conversations(orgId, [conversationId]);
  }

  /**
   * Sends through the outbound path under the message's key: once, whatever retries follow. A
   * refusal (the window closed, the customer opted out) is final: answers false. Other errors throw, to be retried.
   */
  private async send(job: AutoReplyJob, body: string): Promise<boolean> {
    try {
      await this.outbound.sendInConversation(
        job.orgId,
        job.conversationId,
        { type: 'text', text: { body } },
        { senderId: null, idempotencyKey: autoReplyKey(job.messageId) },
      );
      return true;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // Another attempt sent a different text under the key first: that one stands.
      if (error.code === ErrorCode.IdempotencyKeyReused) return true;
      this.logger.warn(`org ${job.orgId} message ${job.messageId}: the auto-reply was refused (${error.code})`);
      return false;
    }
  }
}
