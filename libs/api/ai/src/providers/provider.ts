import type { ConversationInsights, MessageInsights } from '@parley/api/conversations';

export const AI_PROVIDERS = ['local', 'openai', 'anthropic'] as const;
/** `local`: heuristics in this process, no network; `openai`: any OpenAI-compatible chat completions API; `anthropic`: Anthropic's Messages API. */
export type AiProviderName = (typeof AI_PROVIDERS)[number];

/** One of an org's intents: what a customer message can be about. Keywords and phrases guide the local provider (and hint remote ones). */
export interface IntentLabel {
  name: string;
  description: string;
  keywords: string[];
}

/** One message of a conversation as the providers read it. */
export interface Turn {
  from: 'customer' | 'business';
  text: string;
}

/** A reading of one customer message, with how sure the provider is of the intent (0..1). */
export interface MessageReading extends MessageInsights {
  confidence: number;
}

/** A reply the business could send next, with how sure the provider is that it answers well without a person (0..1). */
export interface ReplySuggestion {
  text: string;
  intent: string;
  confidence: number;
}

/** What every provider can do. Remote ones throw `AiProviderError`; the local one never fails. */
export interface AiProvider {
  readonly name: AiProviderName;
  readMessage(text: string, intents: readonly IntentLabel[]): Promise<MessageReading>;
  readConversation(turns: readonly Turn[], intents: readonly IntentLabel[]): Promise<ConversationInsights>;
  suggestReply(turns: readonly Turn[], intents: readonly IntentLabel[]): Promise<ReplySuggestion>;
}

export type AiProviderFailure = 'timeout' | 'network' | 'http' | 'malformed';

/**
 * A remote provider failed. The message is safe to log and show: it names the failure (and the
 * HTTP status), never the prompt, the answer or the key.
 */
export class AiProviderError extends Error {
  override readonly name = 'AiProviderError';

  constructor(
    readonly failure: AiProviderFailure,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}
