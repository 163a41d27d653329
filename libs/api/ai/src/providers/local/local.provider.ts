import type { ConversationInsights } from '@parley/api/conversations';
import type { AiProvider, IntentLabel, MessageReading, ReplySuggestion, Turn } from '../provider';
import { classifyIntent, detectLanguage, readConversation, readSentiment, templateReply } from './analysis';

/** Heuristics in this process: no network, no cost, never fails. The default, and the fallback when a remote provider can't be used. */
export class LocalProvider implements AiProvider {
  readonly name = 'local' as const;

  async readMessage(text: string, intents: readonly IntentLabel[]): Promise<MessageReading> {
    const sentiment = readSentiment(text);
    const intent = classifyIntent(text, intents, sentiment.sentiment);
    return {
      sentiment: sentiment.sentiment,
      intent: intent.intent,
      language: detectLanguage(text),
      confidence: intent.confidence,
    };
  }

  async readConversation(turns: readonly Turn[], intents: readonly IntentLabel[]): Promise<ConversationInsights> {
    return readConversation(turns, intents);
  }

  async suggestReply(turns: readonly Turn[], intents: readonly IntentLabel[]): Promise<ReplySuggestion> {
    return templateReply(turns, intents);
  }
}
