import { FakeAiServer } from '@parley/testing/fake-ai';
import { DEFAULT_INTENTS } from './local/default-intents';
import { AiProviderError, type Turn } from './provider';
import { remoteProvider } from './remote';

const turns: Turn[] = [
  { from: 'customer', text: 'Hi, how much are the blue sneakers?' },
  { from: 'business', text: 'Hello! Which size?' },
  { from: 'customer', text: '42 please' },
];

/** The failure a call ended with. */
async function failureOf(call: Promise<unknown>): Promise<AiProviderError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof AiProviderError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe.each(['openai', 'anthropic'] as const)('the %s provider against a fake API', (flavor) => {
  let fake: FakeAiServer;
  const provider = (timeoutMs = 2_000) =>
    remoteProvider(flavor, { baseUrl: fake.baseUrl, model: 'fake-model-1', apiKey: 'sk-test-key-123', timeoutMs });

  beforeAll(async () => {
    fake = await FakeAiServer.start(flavor);
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it("speaks the API's dialect: path, key header, model, system and user messages", async () => {
    await provider().readMessage('How much is it?', DEFAULT_INTENTS);
    const [request] = fake.requests;
    if (flavor === 'openai') {
      expect(request?.path).toBe('/v1/chat/completions');
      expect(request?.headers['authorization']).toBe('Bearer sk-test-key-123');
      expect(request?.body).toMatchObject({ model: 'fake-model-1', response_format: { type: 'json_object' } });
    } else {
      expect(request?.path).toBe('/v1/messages');
      expect(request?.headers['x-api-key']).toBe('sk-test-key-123');
      expect(request?.headers['anthropic-version']).toBe('2023-06-01');
      expect(request?.body).toMatchObject({ model: 'fake-model-1', max_tokens: expect.any(Number) });
    }
    expect(request?.system).toMatch(/JSON/);
    expect(request?.system).toContain('order_request');
    expect(request?.user).toBe('How much is it?');
  });

  it('reads a message, a conversation and a reply from valid answers', async () => {
    fake.script(
      { json: { sentiment: 'negative', intent: 'support_request', language: 'PT', confidence: 0.83 } },
      {
        json: {
          summary: 'Wants the blue sneakers in 42.',
          priority: 'high',
          suggestedTags: ['Sneakers ', 'size 42'],
          leadScore: 81.6,
        },
      },
      { json: { reply: 'They are 59 euros.', intent: 'product_inquiry', confidence: 0.7 } },
    );
    await expect(provider().readMessage('Não chegou', DEFAULT_INTENTS)).resolves.toEqual({
      sentiment: 'negative',
      intent: 'support_request',
      language: 'pt',
      confidence: 0.83,
    });
    await expect(provider().readConversation(turns, DEFAULT_INTENTS)).resolves.toEqual({
      summary: 'Wants the blue sneakers in 42.',
      priority: 'high',
      suggestedTags: ['sneakers', 'size 42'],
      leadScore: 82,
    });
    await expect(provider().suggestReply(turns, DEFAULT_INTENTS)).resolves.toEqual({
      text: 'They are 59 euros.',
      intent: 'product_inquiry',
      confidence: 0.7,
    });
    // The conversation goes as a transcript, oldest first.
    expect(fake.requests[1]?.user).toBe(
      'Customer: Hi, how much are the blue sneakers?\nBusiness: Hello! Which size?\nCustomer: 42 please',
    );
  });

  it.each([
    ['an answer that is not JSON', { content: 'Sure! The sentiment is positive.' }, 'malformed'],
    [
      'an intent the org does not have',
      { json: { sentiment: 'positive', intent: 'flirting', language: 'en', confidence: 0.5 } },
      'malformed',
    ],
    ['a missing field', { json: { sentiment: 'positive', intent: 'general_chat', confidence: 0.5 } }, 'malformed'],
    [
      'an extra field',
      { json: { sentiment: 'positive', intent: 'general_chat', language: 'en', confidence: 0.5, why: 'x' } },
      'malformed',
    ],
    [
      'a confidence out of range',
      { json: { sentiment: 'positive', intent: 'general_chat', language: 'en', confidence: 7 } },
      'malformed',
    ],
    ['a body that is not JSON', { garbage: true as const }, 'malformed'],
    ['HTTP 500', { status: 500 }, 'http'],
  ])('fails as %s', async (_, answer, failure) => {
    fake.script(answer);
    const error = await failureOf(provider().readMessage('Hello', DEFAULT_INTENTS));
    expect(error.failure).toBe(failure);
  });

  it('names the HTTP status and error type, never the provider’s message (which may echo the key)', async () => {
    fake.script({ status: 401, errorType: 'invalid_api_key' });
    const error = await failureOf(provider().readMessage('Hello', DEFAULT_INTENTS));
    expect(error.status).toBe(401);
    expect(error.message).toBe('The provider answered HTTP 401 (invalid_api_key)');
    expect(error.message).not.toMatch(/sk-/);
  });

  it('gives up after its timeout', async () => {
    fake.script({ delayMs: 2_000 });
    const started = Date.now();
    const error = await failureOf(provider(200).readMessage('Hello', DEFAULT_INTENTS));
    expect(error.failure).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('fails as a network error when nothing listens', async () => {
    const gone = remoteProvider(flavor, { baseUrl: 'http://127.0.0.1:9', model: 'm', apiKey: null, timeoutMs: 2_000 });
    expect((await failureOf(gone.readMessage('Hello', DEFAULT_INTENTS))).failure).toBe('network');
  });
});
