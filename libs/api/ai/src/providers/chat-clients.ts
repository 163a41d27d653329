import type { Prompt } from './llm-answers';
import { AiProviderError } from './provider';

/** Where and how to reach a remote model. */
export interface RemoteSettings {
  /** http(s), without a trailing slash. */
  baseUrl: string;
  model: string;
  apiKey: string | null;
  timeoutMs: number;
}

/** One exchange with a chat model: a system and a user message in, the text of its answer out. */
export interface ChatClient {
  readonly name: 'openai' | 'anthropic';
  complete(prompt: Prompt): Promise<string>;
}

/** Tokens a model may answer with: the answers asked for are small JSON objects. */
const MAX_ANSWER_TOKENS = 1_024;

/** A short identifier a provider gives its error (`invalid_api_key`), safe to show; its message may echo the key, so never that. */
function errorCode(body: unknown): string | null {
  const error = (body as { error?: { type?: unknown; code?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : error?.type;
  return typeof code === 'string' && /^[a-z0-9_.-]{1,64}$/i.test(code) ? code : null;
}

/**
 * POSTs JSON and answers the JSON body. Every failure is an `AiProviderError` that names what went
 * wrong (timeout, connection, HTTP status, a body that is not JSON) and nothing of the exchange.
 */
async function postJson(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
): Promise<unknown> {
  const signal = AbortSignal.timeout(timeoutMs);
  let text: string;
  let status: number;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
      signal,
      redirect: 'error',
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw new AiProviderError('timeout', `The provider did not answer within ${timeoutMs} ms`);
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    throw new AiProviderError(
      'network',
      `Could not reach the provider${typeof cause === 'string' ? ` (${cause})` : ''}`,
    );
  }
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    if (status >= 200 && status < 300)
      throw new AiProviderError('malformed', 'The provider answered with a body that is not JSON', status);
  }
  if (status < 200 || status >= 300) {
    const code = errorCode(parsed);
    throw new AiProviderError('http', `The provider answered HTTP ${status}${code ? ` (${code})` : ''}`, status);
  }
  return parsed;
}

/** Any OpenAI-compatible chat completions API (OpenAI, Azure-style gateways, Ollama, vLLM, LM Studio...), in JSON mode. */
export class OpenAiChatClient implements ChatClient {
  readonly name = 'openai' as const;

  constructor(private readonly settings: RemoteSettings) {}

  async complete(prompt: Prompt): Promise<string> {
    const { baseUrl, model, apiKey, timeoutMs } = this.settings;
    // No max_tokens or temperature: newer OpenAI models refuse them, and the answers asked for are short.
    const body = await postJson(
      `${baseUrl}/chat/completions`,
      apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      {
        model,
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
        response_format: { type: 'json_object' },
      },
      timeoutMs,
    );
    const choice = (body as { choices?: { message?: { content?: unknown }; finish_reason?: unknown }[] } | null)
      ?.choices?.[0];
    if (choice?.finish_reason === 'length') throw new AiProviderError('malformed', "The provider's answer was cut off");
    const content = choice?.message?.content;
    if (typeof content !== 'string') throw new AiProviderError('malformed', 'The provider answered without a message');
    return content;
  }
}

/** Anthropic's Messages API. */
export class AnthropicChatClient implements ChatClient {
  readonly name = 'anthropic' as const;

  constructor(private readonly settings: RemoteSettings) {}

  async complete(prompt: Prompt): Promise<string> {
    const { baseUrl, model, apiKey, timeoutMs } = this.settings;
    const body = await postJson(
      `${baseUrl}/v1/messages`,
      { 'anthropic-version': '2023-06-01', ...(apiKey && { 'x-api-key': apiKey }) },
      {
        model,
        max_tokens: MAX_ANSWER_TOKENS,
        system: prompt.system,
        messages: [{ role: 'user', content: prompt.user }],
      },
      timeoutMs,
    );
    const message = body as { content?: { type?: unknown; text?: unknown }[]; stop_reason?: unknown } | null;
    if (message?.stop_reason === 'max_tokens')
      throw new AiProviderError('malformed', "The provider's answer was cut off");
    const texts = (Array.isArray(message?.content) ? message.content : [])
      .filter((block) => block.type === 'text' && typeof block.text === 'string')
      .map((block) => block.text as string);
    if (texts.length === 0) throw new AiProviderError('malformed', 'The provider answered without text');
    return texts.join('');
  }
}
