import { AnthropicChatClient, OpenAiChatClient, type RemoteSettings } from './chat-clients';
import { ChatProvider } from './chat.provider';
import type { AiProvider, AiProviderName } from './provider';

/** The remote provider `name` reached with `settings`. */
export function remoteProvider(
  name: Exclude<AiProviderName, 'local'> | AiProviderName,
  settings: RemoteSettings,
): AiProvider {
  if (name === 'anthropic') return new ChatProvider(new AnthropicChatClient(settings));
  if (name === 'openai') return new ChatProvider(new OpenAiChatClient(settings));
  throw new Error(`${name} is not a remote provider`);
}
