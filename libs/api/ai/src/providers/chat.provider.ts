import type { ConversationInsights } from '@parley/api/conversations';
import type { ChatClient } from './chat-clients';
import {
  conversationPrompt,
  messagePrompt,
  parseConversationInsights,
  parseMessageReading,
  parseReply,
  replyPrompt,
} from './llm-answers';
import type { AiProvider, IntentLabel, MessageReading, ReplySuggestion, Turn } from './provider';

/** A remote chat model behind the provider interface: one call per reading, its answer read strictly. */
export class ChatProvider implements AiProvider {
  constructor(private readonly client: ChatClient) {}

  get name(): ChatClient['name'] {
    return this.client.name;
  }

  async readMessage(text: string, intents: readonly IntentLabel[]): Promise<MessageReading> {
    return parseMessageReading(await this.client.complete(messagePrompt(text, intents)), intents);
  }

  async readConversation(turns: readonly Turn[]): Promise<ConversationInsights> {
    return parseConversationInsights(await this.client.complete(conversationPrompt(turns)));
  }

  async suggestReply(turns: readonly Turn[], intents: readonly IntentLabel[]): Promise<ReplySuggestion> {
    return parseReply(await this.client.complete(replyPrompt(turns, intents)), intents);
  }
}
