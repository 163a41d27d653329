/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { AiService } from '@parley/api/ai';
import { OutboundService } from '@parley/api/conversations';
import {
  DEFAULT_ANSWERS,
  type FakeAnswer,
  FakeAiServer,
  promptKind,
  type RecordedRequest,
} from '@parley/testing/fake-ai';
import type { RunningSandbox } from '@parley/whatsapp/sandbox';
import { io, type Socket } from 'socket.io-client';
import {
  eventually,
  expectStatus,
  randomDigits,
  SandboxAccount,
  sandboxControl,
  startTestSandbox,
  startWorker,
  TestApi,
  TestSession,
} from './harness';

const API_KEY = 'sk-live-NEVER-SHOWN-0123456789abcdefWXYZ';
/** Words only a customer writes here: they must reach the provider, and never a log line. */
const PRIVATE_TEXT = 'meu CPF é 123.456.789-00 e o pedido não chegou';

/** Answers by prompt kind: `answers` where given, the fake's defaults otherwise. */
const byKind =
  (answers: Partial<Record<ReturnType<typeof promptKind>, FakeAnswer>>) =>
  (request: RecordedRequest): FakeAnswer =>
    answers[promptKind(request)] ?? DEFAULT_ANSWERS[promptKind(request)];

describe('AI triage', () => {
  let sandbox: RunningSandbox;
  let fake: FakeAiServer;
  let api: TestApi;
  let worker: INestApplicationContext;
  let owner: TestSession;
  let admin: TestSession;
  let agent: TestSession;
  let viewer: TestSession;
  let outsider: TestSession;
  let orgId: string;
  let otherOrgId: string;
  let wa: SandboxAccount;
  let socket: Socket;
  const events: { event: string; payload: any }[] = [];
  let defaultIntents: unknown[] = [];
  const logged: string[] = [];

  const path = (suffix: string, org = orgId) => `/api/v1/orgs/${org}${suffix}`;
  const put = (as: TestSession, body: unknown, org = orgId) =>
    api.request('PUT', path('/ai/settings', org), { body, token: as.accessToken });
  const control = (method: string, route: string, body?: unknown) => sandboxControl(sandbox)(method, route, body);
  const newCustomer = () => `1415${randomDigits(7)}`;
  /** The customer writes on their phone; resolves with our message row once the worker stored it. */
  const customerWrites = async (
    from: string,
    body: string,
    account = wa,
  ): Promise<{ id: string; conversation_id: string }> => {
    await control('POST', '/inbound', {
      phoneNumberId: account.number.phoneNumberId,
      from,
      name: 'Ana Lima',
      type: 'text',
      text: { body },
    });
    return eventually(
      async () => {
        const [row] = await api.dataSource.query(
          `SELECT m.id, m.conversation_id FROM messages m JOIN contacts c ON c.id = m.contact_id
         WHERE c.wa_id = $1 AND m.direction = 'inbound' AND m.body = $2`,
          [from, body],
        );
        return row;
      },
      15_000,
      `"${body}" stored`,
    );
  };
  const aiOf = async (messageId: string) =>
    (await api.dataSource.query('SELECT ai FROM messages WHERE id = $1', [messageId]))[0]?.ai ?? null;
  const triaged = (messageId: string) => eventually(() => aiOf(messageId), 10_000, `message ${messageId} triaged`);
  /** The stored reading without its `readAt` (the API shows the same), and the bot switch. */
  const conversationRow = async (id: string) =>
    (await api.dataSource.query(`SELECT ai - 'readAt' AS ai, bot_active FROM conversations WHERE id = $1`, [id]))[0];
  /** What the business sent to the customer, as Meta (the sandbox) received it. */
  const sentTo = async (from: string): Promise<string[]> =>
    (await control('GET', `/messages?to=${encodeURIComponent(from)}&direction=outbound`)).data.map(
      (m: any) => m.payload?.text?.body,
    );
  const useFake = async (org = orgId, extra: Record<string, unknown> = {}) =>
    expectStatus(
      await put(
        owner,
        { provider: 'openai', baseUrl: fake.baseUrl, model: 'fake-model-1', apiKey: API_KEY, ...extra },
        org,
      ),
      200,
    );
  const queueAutoReply = (message: { id: string; conversation_id: string }, overrides: Record<string, unknown> = {}) =>
    worker.get(AiService).queueAutoReply({
      orgId,
      messageId: message.id,
      conversationId: message.conversation_id,
      ruleId: 'rule-1',
      minConfidence: 0.8,
      fallbackText: 'Sorry, we are having trouble. A person will answer soon.',
      handoffText: 'Let me get a colleague for you.',
      ...overrides,
    });

  beforeAll(async () => {
    // Sweeps often, and retries fast (the job options of auto-replies queued here).
    process.env['AI_SWEEP_INTERVAL_MS'] = '300';
    process.env['AI_SWEEP_AFTER_MS'] = '500';
    process.env['AI_RETRY_BASE_MS'] = '50';
    process.env['AI_MAX_ATTEMPTS'] = '3';
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    }
    sandbox = await startTestSandbox();
    fake = await FakeAiServer.start('openai');
    api = await TestApi.start();
    worker = await startWorker();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('AI Retail')).id;
    admin = await owner.addTeammate(orgId, 'admin');
    agent = await owner.addTeammate(orgId, 'agent');
    viewer = await owner.addTeammate(orgId, 'viewer');
    outsider = await TestSession.signup(api, 'outsider');
    otherOrgId = (await outsider.createOrg('Other Org')).id;
    wa = await owner.connectSandbox(orgId, sandbox);
    await control('PUT', '/scenario', { statusDelaysMs: { sent: 20, delivered: 40, read: 60 } });
    socket = io(api.baseUrl, { auth: { token: agent.accessToken }, transports: ['websocket'], reconnection: false });
    socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    expect(await socket.emitWithAck('org.join', { orgId })).toMatchObject({ ok: true });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    for (const key of ['AI_SWEEP_INTERVAL_MS', 'AI_SWEEP_AFTER_MS', 'AI_RETRY_BASE_MS', 'AI_MAX_ATTEMPTS'])
      delete process.env[key];
    socket?.disconnect();
    await worker?.close();
    await api?.close();
    await fake?.close();
    await sandbox?.close();
    jest.restoreAllMocks();
  });

  describe('settings', () => {
    it('answers the defaults until saved: the local provider, triage off until turned on', async () => {
      const settings = expectStatus(await viewer.get(path('/ai/settings')), 200);
      expect(settings).toMatchObject({
        provider: 'local',
        baseUrl: null,
        model: null,
        apiKey: null,
        autoTriage: false,
        dailyBudget: 1000,
        callsToday: 0,
        summaryAfter: 5,
        updatedAt: null,
      });
      defaultIntents = settings.intents;
      expect(settings.intents.map((i: any) => i.name)).toEqual([
        'order_request',
        'product_inquiry',
        'support_request',
        'general_chat',
      ]);
    });

    it('saves as admin (audited); the key is sealed at rest and never returned, only masked', async () => {
      const saved = expectStatus(
        await put(admin, {
          provider: 'openai',
          baseUrl: fake.baseUrl,
          model: 'fake-model-1',
          apiKey: API_KEY,
          intents: [
            { name: 'order_request', description: 'Wants to buy', keywords: ['buy', 'order'] },
            { name: 'general_chat', keywords: [] },
          ],
          dailyBudget: 500,
        }),
        200,
      );
      expect(saved).toMatchObject({
        provider: 'openai',
        baseUrl: fake.baseUrl,
        model: 'fake-model-1',
        apiKey: '••••••••WXYZ',
        intents: [
          { name: 'order_request', description: 'Wants to buy', keywords: ['buy', 'order'] },
          { name: 'general_chat', description: '', keywords: [] },
        ],
        dailyBudget: 500,
        updatedAt: expect.any(String),
      });
      for (const reply of [await viewer.get(path('/ai/settings')), await owner.get(path('/ai/settings'))])
        expect(JSON.stringify(reply.body)).not.toContain(API_KEY.slice(0, 12));
      const [row] = await api.dataSource.query('SELECT api_key_encrypted FROM ai_settings WHERE org_id = $1', [orgId]);
      expect(row.api_key_encrypted).toMatch(/^v1\./);
      expect(row.api_key_encrypted).not.toContain(API_KEY);
      const audits = await api.dataSource.query(
        `SELECT actor_id, changes FROM audit_logs WHERE org_id = $1 AND action = 'ai_settings.updated'`,
        [orgId],
      );
      expect(audits).toHaveLength(1);
      expect(audits[0].actor_id).toBe(admin.user.id);
      expect(audits[0].changes.after).toMatchObject({ provider: 'openai', dailyBudget: 500, apiKey: 'rotated' });
      expect(JSON.stringify(audits)).not.toContain(API_KEY);

      // Fields left out keep their value, the key included.
      expect(expectStatus(await put(admin, { summaryAfter: 3, intents: defaultIntents }), 200)).toMatchObject({
        apiKey: '••••••••WXYZ',
        dailyBudget: 500,
        summaryAfter: 3,
        intents: defaultIntents,
      });
    });

    it('keeps no key when the base URL changes, so a saved key never follows the settings elsewhere', async () => {
      await useFake(orgId, { baseUrl: `${fake.baseUrl}/` });
      // The same place, written without the slash: the key stays.
      expect(expectStatus(await put(owner, { baseUrl: fake.baseUrl }), 200).apiKey).toBe('••••••••WXYZ');
      expect(expectStatus(await put(owner, { baseUrl: 'https://llm.example.com/v1' }), 200).apiKey).toBeNull();
      // Moving back does not bring it back.
      expect(expectStatus(await put(owner, { baseUrl: fake.baseUrl }), 200).apiKey).toBeNull();
      await useFake();
    });

    it('refuses settings that cannot work with a 422 naming each field, and wrong types with a 400', async () => {
      const cases: [Record<string, unknown>, string[]][] = [
        [{ provider: 'openai', baseUrl: 'ftp://llm.example.com', model: 'm' }, ['baseUrl']],
        [{ provider: 'openai', baseUrl: 'file:///etc/passwd', model: 'm' }, ['baseUrl']],
        [{ provider: 'anthropic', baseUrl: null, model: null, apiKey: null }, ['model', 'apiKey']],
        [{ provider: 'gemini' }, ['provider']],
        [
          {
            intents: [
              { name: 'Order Request', keywords: [] },
              { name: 'x', keywords: [] },
              { name: 'x', keywords: [] },
            ],
          },
          ['intents[0].name', 'intents[2].name'],
        ],
        [{ dailyBudget: -5, summaryAfter: 0, timeoutMs: 50 }, ['dailyBudget', 'summaryAfter', 'timeoutMs']],
      ];
      for (const [body, fields] of cases) {
        for (const route of ['/ai/settings', '/ai/settings/test']) {
          const reply = await api.request(route.endsWith('test') ? 'POST' : 'PUT', path(route), {
            body,
            token: owner.accessToken,
          });
          expect({ body, route, status: reply.status }).toEqual({ body, route, status: 422 });
          expect(reply.body.error.code).toBe('ai_settings_invalid');
          expect(reply.body.error.details.map((d: any) => d.field)).toEqual(fields);
        }
      }
      const wrongType = await put(owner, { autoTriage: 'yes' });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.error.details[0].field).toBe('autoTriage');
      // Nothing was saved by the refused requests.
      expect(expectStatus(await owner.get(path('/ai/settings')), 200)).toMatchObject({
        provider: 'openai',
        baseUrl: fake.baseUrl,
      });
    });

    it('lets only admins change or test settings', async () => {
      expect((await put(agent, { autoTriage: false })).status).toBe(403);
      expect((await agent.post(path('/ai/settings/test'), {})).status).toBe(403);
      expect((await viewer.get(path('/ai/settings'))).status).toBe(200);
    });

    it('tests the saved or the given settings with one call: ok and latency, or what failed, never a secret', async () => {
      await useFake();
      const ok = expectStatus(await admin.post(path('/ai/settings/test'), {}), 200);
      expect(ok).toEqual({
        ok: true,
        provider: 'openai',
        model: 'fake-model-1',
        latencyMs: expect.any(Number),
        error: null,
      });
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]?.headers['authorization']).toBe(`Bearer ${API_KEY}`);

      fake.script({ status: 401, errorType: 'invalid_api_key' });
      const refused = expectStatus(await admin.post(path('/ai/settings/test'), { apiKey: 'sk-wrong-key' }), 200);
      expect(refused).toMatchObject({ ok: false, error: 'The provider answered HTTP 401 (invalid_api_key)' });
      expect(JSON.stringify(refused)).not.toMatch(/sk-/);
      expect(fake.requests[1]?.headers['authorization']).toBe('Bearer sk-wrong-key');

      fake.script({ content: 'I think the sentiment is positive!' });
      expect(expectStatus(await admin.post(path('/ai/settings/test'), {}), 200)).toMatchObject({
        ok: false,
        error: "The provider's answer was unusable: the answer is not JSON",
      });

      fake.script({ delayMs: 3_000 });
      expect(expectStatus(await admin.post(path('/ai/settings/test'), { timeoutMs: 1_000 }), 200)).toMatchObject({
        ok: false,
        error: 'The provider did not answer within 1000 ms',
      });

      // Another base URL: the saved key stays home.
      const elsewhere = expectStatus(
        await admin.post(path('/ai/settings/test'), { baseUrl: 'http://127.0.0.1:9/v1' }),
        200,
      );
      expect(elsewhere).toMatchObject({ ok: false, error: expect.stringMatching(/^Could not reach the provider/) });

      expect(expectStatus(await admin.post(path('/ai/settings/test'), { provider: 'local' }), 200)).toMatchObject({
        ok: true,
        provider: 'local',
      });
      // Tests count against no budget; nothing was saved.
      expect(expectStatus(await admin.get(path('/ai/settings')), 200)).toMatchObject({
        provider: 'openai',
        callsToday: 0,
      });
    });
  });

  describe('triage', () => {
    beforeAll(() => useFake(orgId, { summaryAfter: 2, autoTriage: true }));

    it('reads each customer message and, every N messages and on resolve, the conversation; the inbox hears of it', async () => {
      fake.respondWith(
        byKind({
          message: { json: { sentiment: 'negative', intent: 'support_request', language: 'pt', confidence: 0.9 } },
          conversation: {
            json: { summary: 'O pedido não chegou.', priority: 'high', suggestedTags: ['entrega'], leadScore: 12 },
          },
        }),
      );
      const customer = newCustomer();
      const first = await customerWrites(customer, PRIVATE_TEXT);
      expect(await triaged(first.id)).toEqual({ sentiment: 'negative', intent: 'support_request', language: 'pt' });
      const messages = expectStatus(await agent.get(path(`/conversations/${first.conversation_id}/messages`)), 200);
      expect(messages.data.find((m: any) => m.id === first.id).ai).toEqual({
        sentiment: 'negative',
        intent: 'support_request',
        language: 'pt',
      });
      await eventually(
        async () => events.some((e) => e.event === 'message.updated' && e.payload.id === first.id && e.payload.ai),
        5_000,
        'message.updated with ai',
      );
      // The provider got the customer's words and the org's intents, with the key.
      const [request] = fake.requestsOf('message');
      expect(request?.user).toBe(PRIVATE_TEXT);
      expect(request?.system).toContain('support_request');
      expect(request?.headers['authorization']).toBe(`Bearer ${API_KEY}`);

      const second = await customerWrites(customer, 'Alguém pode me ajudar? Preciso do reembolso urgente');
      await triaged(second.id);
      // The second customer message (summaryAfter: 2) asks for a summary.
      const insights = await eventually(
        async () => (await conversationRow(first.conversation_id)).ai,
        10_000,
        'summary',
      );
      expect(insights).toEqual({
        summary: 'O pedido não chegou.',
        priority: 'high',
        suggestedTags: ['entrega'],
        leadScore: 12,
      });
      const conversation = expectStatus(await viewer.get(path(`/conversations/${first.conversation_id}`)), 200);
      expect(conversation.ai).toEqual(insights);
      await eventually(
        async () =>
          events.some(
            (e) => e.event === 'conversation.updated' && e.payload.id === first.conversation_id && e.payload.ai,
          ),
        5_000,
        'conversation.updated with ai',
      );
      expect(fake.requestsOf('conversation')[0]?.user).toBe(
        `Customer: ${PRIVATE_TEXT}\nCustomer: Alguém pode me ajudar? Preciso do reembolso urgente`,
      );

      // Resolving reads it once more.
      fake.respondWith(
        byKind({
          conversation: { json: { summary: 'Resolvido.', priority: 'low', suggestedTags: [], leadScore: 5 } },
        }),
      );
      expectStatus(await agent.patch(path(`/conversations/${first.conversation_id}`), { status: 'resolved' }), 200);
      await eventually(
        async () => (await conversationRow(first.conversation_id)).ai?.summary === 'Resolvido.',
        10_000,
        'summary on resolve',
      );

      // Logs carry ids and outcomes, never the customer's words or the key.
      expect(logged.join('\n')).not.toContain('CPF');
      expect(logged.join('\n')).not.toContain(API_KEY);
    });

    it('falls back to the local provider when the provider fails or answers nonsense', async () => {
      const customer = newCustomer();
      fake.respondWith(byKind({ message: { content: '{"sentiment": "great"' } }));
      const malformed = await customerWrites(customer, 'Péssimo, o produto veio quebrado');
      expect(await triaged(malformed.id)).toEqual({ sentiment: 'negative', intent: 'support_request', language: 'pt' });
      fake.respondWith(byKind({ message: { status: 500 } }));
      const failed = await customerWrites(customer, 'Hola, ¿cuánto cuesta la chaqueta?');
      expect(await triaged(failed.id)).toEqual({ sentiment: 'neutral', intent: 'product_inquiry', language: 'es' });
      expect(fake.requestsOf('message').length).toBeGreaterThanOrEqual(2);
    });

    it('the sweeper triages recent customer messages whose job was lost, and leaves older ones', async () => {
      const customer = newCustomer();
      const seen = await customerWrites(customer, 'hello there');
      await triaged(seen.id);
      // As if Redis lost the jobs: messages stored without one, one recent and one from yesterday.
      const insert = (body: string, age: string) =>
        api.dataSource.query(
          `INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, body, payload, occurred_at, created_at)
           SELECT org_id, conversation_id, contact_id, phone_number_id, 'inbound', 'text', 'received', $2, '{}', now() - $3::interval, now() - $3::interval
           FROM messages WHERE id = $1 RETURNING id`,
          [seen.id, body, age],
        );
      const [[recent], [old]] = [
        await insert('Lost in Redis: I want to buy two', '2 seconds'),
        await insert('Ancient', '1 day'),
      ];
      expect(await triaged(recent.id)).toMatchObject({ language: 'en' });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await aiOf(old.id)).toBeNull();
    });

    it('the sweeper reads a conversation resolved while its job was lost, and leaves ones resolved long ago', async () => {
      const resolvedWithoutJob = async (age: string) => {
        const message = await customerWrites(newCustomer(), 'Thanks, all sorted');
        await triaged(message.id);
        // Resolved with no job queued (as if Redis lost it), and no reading of the conversation yet.
        await api.dataSource.query(
          `UPDATE conversations SET status = 'resolved', resolved_at = now() - $2::interval, ai = NULL WHERE id = $1`,
          [message.conversation_id, age],
        );
        return message.conversation_id as string;
      };
      /** Whether the conversation was read after it was resolved. */
      const readAfterResolve = async (id: string): Promise<boolean> => {
        const [row] = await api.dataSource.query(
          `SELECT coalesce((ai ->> 'readAt')::timestamptz > resolved_at, false) AS read FROM conversations WHERE id = $1`,
          [id],
        );
        return row.read;
      };
      // One customer message each: with summaryAfter 2, only a resolve asks for a reading.
      const recent = await resolvedWithoutJob('1 second');
      const old = await resolvedWithoutJob('2 hours');
      await eventually(() => readAfterResolve(recent), 10_000, 'the resolved conversation read by the sweeper');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await readAfterResolve(old)).toBe(false);
    });

    it('does nothing while auto-triage is off', async () => {
      expectStatus(await put(owner, { autoTriage: false }), 200);
      try {
        const message = await customerWrites(newCustomer(), 'Is anyone reading this?');
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        expect(await aiOf(message.id)).toBeNull();
      } finally {
        expectStatus(await put(owner, { autoTriage: true }), 200);
      }
    });
  });

  describe('suggested replies', () => {
    it("drafts a reply for an agent, by the org's provider, or locally when it fails", async () => {
      await useFake();
      const customer = newCustomer();
      const message = await customerWrites(customer, 'How much are the blue sneakers?');
      fake.respondWith(
        byKind({ reply: { json: { reply: 'They are 59 EUR.', intent: 'product_inquiry', confidence: 0.88 } } }),
      );
      const route = path(`/conversations/${message.conversation_id}/suggested-reply`);
      expect(expectStatus(await agent.post(route), 200)).toEqual({
        text: 'They are 59 EUR.',
        intent: 'product_inquiry',
        confidence: 0.88,
        provider: 'openai',
      });
      fake.respondWith(byKind({ reply: { status: 503 } }));
      const local = expectStatus(await agent.post(route), 200);
      expect(local).toMatchObject({
        provider: 'local',
        intent: 'product_inquiry',
        text: expect.stringMatching(/price/),
      });
      expect((await viewer.post(route)).status).toBe(403);
      // Nothing was sent.
      expect(await sentTo(customer)).toEqual([]);
    });
  });

  describe('auto-replies', () => {
    beforeAll(() => useFake(orgId, { summaryAfter: 50 }));

    it('sends the reply when the provider is sure enough, once however often it is asked', async () => {
      const customer = newCustomer();
      const message = await customerWrites(customer, 'Do you have the sneakers in size 42?');
      fake.respondWith(
        byKind({
          reply: { json: { reply: 'Yes, size 42 is in stock!', intent: 'product_inquiry', confidence: 0.92 } },
        }),
      );
      await queueAutoReply(message);
      await eventually(
        async () => (await sentTo(customer)).includes('Yes, size 42 is in stock!'),
        15_000,
        'reply at Meta',
      );
      await queueAutoReply(message);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await sentTo(customer)).toEqual(['Yes, size 42 is in stock!']);
      const rows = await api.dataSource.query(
        `SELECT sender_id, idempotency_key FROM messages WHERE conversation_id = $1 AND direction = 'outbound'`,
        [message.conversation_id],
      );
      expect(rows).toEqual([{ sender_id: null, idempotency_key: `ai-reply:${message.id}` }]);
      expect((await conversationRow(message.conversation_id)).bot_active).toBe(true);
      // The provider read the conversation up to the message.
      expect(fake.requestsOf('reply')[0]?.user).toBe('Customer: Do you have the sneakers in size 42?');
    });

    it('hands off with the handoff text when the provider is not sure enough', async () => {
      const customer = newCustomer();
      const message = await customerWrites(customer, 'Can I pay half now and half next month?');
      fake.respondWith(byKind({ reply: { json: { reply: 'Maybe?', intent: 'order_request', confidence: 0.41 } } }));
      await queueAutoReply(message);
      await eventually(async () => (await sentTo(customer)).length === 1, 15_000, 'handoff text at Meta');
      expect(await sentTo(customer)).toEqual(['Let me get a colleague for you.']);
      await eventually(
        async () => (await conversationRow(message.conversation_id)).bot_active === false,
        5_000,
        'handoff',
      );
      expect(expectStatus(await agent.get(path(`/conversations/${message.conversation_id}`)), 200).botActive).toBe(
        false,
      );
      await eventually(
        async () =>
          events.some(
            (e) =>
              e.event === 'conversation.updated' &&
              e.payload.id === message.conversation_id &&
              e.payload.botActive === false,
          ),
        5_000,
        'conversation.updated with the handoff',
      );
      // A conversation with a person gets no more auto-replies.
      const next = await customerWrites(customer, 'Hello?');
      fake.respondWith(byKind({ reply: { json: { reply: 'Hi!', intent: 'general_chat', confidence: 0.99 } } }));
      await queueAutoReply(next);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await sentTo(customer)).toEqual(['Let me get a colleague for you.']);
    });

    it('retries a failing provider with backoff, then sends the fallback text and hands off', async () => {
      const customer = newCustomer();
      const message = await customerWrites(customer, 'Where is my order 7781?');
      fake.respondWith(byKind({ reply: { status: 500 } }));
      await queueAutoReply(message);
      await eventually(async () => (await sentTo(customer)).length === 1, 15_000, 'fallback text at Meta');
      expect(await sentTo(customer)).toEqual(['Sorry, we are having trouble. A person will answer soon.']);
      expect(fake.requestsOf('reply')).toHaveLength(3);
      await eventually(
        async () => (await conversationRow(message.conversation_id)).bot_active === false,
        5_000,
        'handoff',
      );
    });

    it('finishes a handoff an attempt began before it crashed, without a second message', async () => {
      const customer = newCustomer();
      const message = await customerWrites(customer, 'I need to change my delivery address');
      // The attempt that crashed had sent its handoff text, and died before flagging the conversation.
      await api.app
        .get(OutboundService)
        .sendInConversation(
          orgId,
          message.conversation_id,
          { type: 'text', text: { body: 'Let me get a colleague for you.' } },
          { senderId: null, idempotencyKey: `ai-reply:${message.id}` },
        );
      fake.respondWith(byKind({ reply: { json: { reply: 'Sure!', intent: 'support_request', confidence: 0.99 } } }));
      await queueAutoReply(message);
      await eventually(
        async () => (await conversationRow(message.conversation_id)).bot_active === false,
        10_000,
        'handoff',
      );
      await eventually(async () => (await sentTo(customer)).length === 1, 10_000, 'the one message at Meta');
      expect(await sentTo(customer)).toEqual(['Let me get a colleague for you.']);
      expect(fake.requestsOf('reply')).toHaveLength(0);
    });

    it("answers for an automation rule's AI reply", async () => {
      const rule = expectStatus(
        await owner.post(path('/automation-rules'), {
          name: 'AI answers sneaker questions',
          trigger: { type: 'message', match: 'keyword', keywords: ['sneakers'] },
          actions: [{ type: 'ai_reply', minConfidence: 0.5, fallbackText: 'Fallback', handoffText: 'Handing off' }],
        }),
        201,
      );
      try {
        fake.respondWith(
          byKind({
            reply: { json: { reply: 'Yes, they are waterproof.', intent: 'product_inquiry', confidence: 0.8 } },
          }),
        );
        const customer = newCustomer();
        const message = await customerWrites(customer, 'Are the sneakers waterproof?');
        await eventually(async () => (await sentTo(customer)).length === 1, 15_000, 'the AI reply at Meta');
        expect(await sentTo(customer)).toEqual(['Yes, they are waterproof.']);
        const [row] = await api.dataSource.query(
          `SELECT idempotency_key FROM messages WHERE conversation_id = $1 AND direction = 'outbound'`,
          [message.conversation_id],
        );
        expect(row.idempotency_key).toBe(`ai-reply:${message.id}`);
      } finally {
        expectStatus(await owner.patch(path(`/automation-rules/${rule.id}`), { enabled: false }), 200);
      }
    });

    it("hands off without asking the provider once the day's budget is spent; triage goes local", async () => {
      // An org of its own, with a budget of one call.
      const org = (await owner.createOrg('Tight budget')).id;
      const account = await owner.connectSandbox(org, sandbox);
      expectStatus(
        await put(
          owner,
          { provider: 'openai', baseUrl: fake.baseUrl, model: 'fake-model-1', dailyBudget: 1, autoTriage: true },
          org,
        ),
        200,
      );
      fake.respondWith(
        byKind({
          message: { json: { sentiment: 'positive', intent: 'general_chat', language: 'fr', confidence: 0.9 } },
        }),
      );
      const customer = newCustomer();
      const first = await customerWrites(customer, 'Hi!', account);
      expect(await triaged(first.id)).toEqual({ sentiment: 'positive', intent: 'general_chat', language: 'fr' });
      const second = await customerWrites(customer, 'I would like to buy the red dress', account);
      // Read locally: the fake would have said French.
      expect(await triaged(second.id)).toMatchObject({ intent: 'order_request', language: 'en' });
      expect(fake.requestsOf('message')).toHaveLength(1);
      expect(expectStatus(await owner.get(path('/ai/settings', org)), 200).callsToday).toBe(1);

      await worker.get(AiService).queueAutoReply({
        orgId: org,
        messageId: second.id,
        conversationId: second.conversation_id,
        ruleId: 'rule-2',
        minConfidence: 0.1,
        fallbackText: 'Fallback',
        handoffText: 'A colleague will take it from here.',
      });
      await eventually(async () => (await sentTo(customer)).length === 1, 15_000, 'handoff text at Meta');
      expect(await sentTo(customer)).toEqual(['A colleague will take it from here.']);
      expect(fake.requestsOf('reply')).toHaveLength(0);
      await eventually(
        async () => (await conversationRow(second.conversation_id)).bot_active === false,
        5_000,
        'handoff',
      );
      // The suggested reply goes local too.
      expect(
        expectStatus(await owner.post(path(`/conversations/${second.conversation_id}/suggested-reply`, org)), 200)
          .provider,
      ).toBe('local');
    });
  });

  describe('tenancy', () => {
    it("is 404 for another org's settings and conversations", async () => {
      const message = await customerWrites(newCustomer(), 'hi');
      expect((await outsider.get(path('/ai/settings'))).status).toBe(404);
      expect(
        (await api.request('PUT', path('/ai/settings'), { body: { autoTriage: false }, token: outsider.accessToken }))
          .status,
      ).toBe(404);
      expect((await outsider.post(path('/ai/settings/test'), {})).status).toBe(404);
      const theirs = await outsider.post(path(`/conversations/${message.conversation_id}/suggested-reply`, otherOrgId));
      expect(theirs.status).toBe(404);
      expect(theirs.body.error.code).toBe('not_found');
      // Their own settings are their defaults, untouched by ours.
      expect(expectStatus(await outsider.get(path('/ai/settings', otherOrgId)), 200)).toMatchObject({
        provider: 'local',
        apiKey: null,
      });
    });
  });
});
