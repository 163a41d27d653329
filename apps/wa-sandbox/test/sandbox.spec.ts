import {
  CloudApiClient,
  GraphApiError,
  InboundMessageEvent,
  parseWebhook,
  StatusEvent,
  TemplateStatusEvent,
  verifySignature,
  WebhookEvent,
} from '@parley/whatsapp/cloud-api';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RunningSandbox, startSandbox } from '@parley/whatsapp/sandbox';

const APP_SECRET = 'sandbox-app-secret';
const TOKEN = 'sandbox-access-token';
const WABA = '900000000000001';
const NUMBER = '900000000000101';
const CUSTOMER = '15551230001';

/** The platform's side: receives webhooks, checks signatures, answers as `respond` says. */
class Receiver {
  readonly received: { raw: string; signatureValid: boolean; events: WebhookEvent[] }[] = [];
  respond: (count: number) => number = () => 200;
  /** While set, answers wait for it (a slow receiver). */
  hold: Promise<void> | null = null;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      const status = this.respond(this.received.length + 1);
      this.received.push({
        raw: raw.toString(),
        signatureValid: verifySignature(raw, req.headers['x-hub-signature-256'] as string, APP_SECRET),
        events: parseWebhook(JSON.parse(raw.toString())),
      });
      await this.hold;
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
  }

  events<T extends WebhookEvent>(kind: T['kind']): T[] {
    return this.received.flatMap((r) => r.events).filter((e): e is T => e.kind === kind);
  }

  async waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; received: ${this.received.map((r) => r.raw).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('WhatsApp Cloud API sandbox', () => {
  let sandbox: RunningSandbox;
  let receiver: Receiver;
  let client: CloudApiClient;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the control API's JSON loosely
  const control = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const customerWrites = (text: string, from = CUSTOMER) =>
    control('POST', '/inbound', { phoneNumberId: NUMBER, from, name: 'Maria Souza', type: 'text', text });
  const statusesOf = (waMessageId: string) =>
    receiver.events<StatusEvent>('status').filter((s) => s.waMessageId === waMessageId);

  beforeAll(async () => {
    sandbox = await startSandbox(0, '127.0.0.1');
    receiver = new Receiver();
    await receiver.start();
    client = new CloudApiClient({ baseUrl: sandbox.url, version: 'v23.0', accessToken: TOKEN });
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await control('POST', '/reset');
    receiver.received.length = 0;
    receiver.respond = () => 200;
    receiver.hold = null;
    await control('PUT', '/scenario', {
      statusDelaysMs: { sent: 10, delivered: 30, read: 60 },
      templateReviewDelayMs: 30,
      webhookRetry: { baseMs: 40, maxAttempts: 5 },
    });
    const registered = await control('POST', '/wabas', {
      wabaId: WABA,
      name: 'Acme',
      appSecret: APP_SECRET,
      accessToken: TOKEN,
      callbackUrl: receiver.url,
      phoneNumbers: [{ phoneNumberId: NUMBER, displayPhoneNumber: '+1 555-010-0001', verifiedName: 'Acme' }],
    });
    expect(registered.status).toBe(200);
  });

  describe('Graph API surface', () => {
    it('checks the bearer token (190) and serves any version prefix', async () => {
      const wrong = new CloudApiClient({ baseUrl: sandbox.url, version: 'v23.0', accessToken: 'nope' });
      const error = (await wrong.listPhoneNumbers(WABA).catch((e: unknown) => e)) as GraphApiError;
      expect([error.code, error.httpStatus, error.retryable]).toEqual([190, 401, false]);
      const v25 = new CloudApiClient({ baseUrl: sandbox.url, version: 'v25.0', accessToken: TOKEN });
      expect(await v25.listPhoneNumbers(WABA)).toEqual([
        expect.objectContaining({ id: NUMBER, display_phone_number: '+1 555-010-0001', verified_name: 'Acme' }),
      ]);
      expect(await v25.getBusinessAccount(WABA)).toMatchObject({ id: WABA, name: 'Acme' });
      expect((await fetch(`${sandbox.url}/unversioned/path`)).status).toBe(404);
      const unknown = (await client.getMedia('123').catch((e: unknown) => e)) as GraphApiError;
      expect(unknown.code).toBe(100);
    });

    it("tells a token's health through debug_token, and refuses an expired token with 190/463", async () => {
      const app = { appId: '1234567890', appSecret: APP_SECRET };
      const healthy = await client.inspectToken(app);
      expect(healthy).toMatchObject({
        is_valid: true,
        expires_at: 0,
        scopes: ['whatsapp_business_management', 'whatsapp_business_messaging'],
      });
      const stranger = new CloudApiClient({ baseUrl: sandbox.url, version: 'v23.0', accessToken: 'EAAGunknown' });
      expect(await stranger.inspectToken(app)).toMatchObject({ is_valid: false, error: { code: 190 } });
      const badApp = (await client
        .inspectToken({ ...app, appSecret: 'wrong' })
        .catch((e: unknown) => e)) as GraphApiError;
      expect(badApp.code).toBe(190);

      const soon = Math.floor(Date.now() / 1000) + 3 * 86_400;
      await control('PUT', `/wabas/${WABA}/token`, { expiresAt: soon, scopes: ['whatsapp_business_management'] });
      expect(await client.inspectToken(app)).toMatchObject({
        is_valid: true,
        expires_at: soon,
        scopes: ['whatsapp_business_management'],
      });
      await control('PUT', `/wabas/${WABA}/token`, { expiresAt: Math.floor(Date.now() / 1000) - 1 });
      expect(await client.inspectToken(app)).toMatchObject({ is_valid: false, error: { code: 190, subcode: 463 } });
      const expired = (await client.listPhoneNumbers(WABA).catch((e: unknown) => e)) as GraphApiError;
      expect([expired.code, expired.subcode, expired.httpStatus]).toEqual([190, 463, 401]);

      await control('PUT', `/wabas/${WABA}/token`, {
        expiresAt: 0,
        scopes: ['whatsapp_business_management', 'whatsapp_business_messaging'],
      });
      expect(await client.listPhoneNumbers(WABA)).toHaveLength(1);
    });

    it('refuses invalid messages synchronously, naming the field', async () => {
      await customerWrites('hi');
      const error = (await client
        .sendMessage(NUMBER, {
          to: CUSTOMER,
          type: 'interactive',
          interactive: {
            type: 'button',
            body: { text: 'Pick' },
            action: { buttons: ['a', 'b', 'c', 'd'].map((id) => ({ type: 'reply', reply: { id, title: id } })) },
          },
        })
        .catch((e: unknown) => e)) as GraphApiError;
      expect(error.code).toBe(100);
      expect(error.details).toContain('interactive.action.buttons');
    });
  });

  describe('inbound', () => {
    it('delivers a signed webhook Meta-style, with non-ASCII escaped, that parses into the message', async () => {
      const sent = await customerWrites('Olá, tem em azul? 😀');
      expect(sent.status).toBe(200);
      const delivery = await receiver.waitFor(() => receiver.received[0], 'inbound webhook');
      expect(delivery.signatureValid).toBe(true);
      expect(delivery.raw).toContain('Ol\\u00e1');
      expect(delivery.raw).toContain('\\ud83d\\ude00');
      expect(delivery.events).toEqual([
        expect.objectContaining({
          kind: 'message',
          wabaId: WABA,
          phoneNumberId: NUMBER,
          from: CUSTOMER,
          profileName: 'Maria Souza',
          type: 'text',
          body: 'Olá, tem em azul? 😀',
          waMessageId: sent.body.id,
        }),
      ]);
    });

    it('sends every inbound type, with downloadable media', async () => {
      const types = [
        { type: 'image', image: { caption: 'this one' } },
        { type: 'document', document: { filename: 'order.pdf' } },
        { type: 'audio', audio: { voice: true } },
        { type: 'video', video: {} },
        { type: 'sticker', sticker: {} },
        { type: 'location', location: { latitude: -23.55, longitude: -46.63, name: 'Loja Paulista' } },
        { type: 'contacts', contacts: [{ name: { formatted_name: 'João' }, phones: [{ phone: '+55 11 9999-0000' }] }] },
        { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'r1', title: 'Returns' } } },
        { type: 'button', button: { payload: 'YES', text: 'Yes' } },
        { type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '❤️' } },
      ];
      for (const message of types)
        expect((await control('POST', '/inbound', { phoneNumberId: NUMBER, from: CUSTOMER, ...message })).status).toBe(
          200,
        );
      const events = await receiver.waitFor(
        () =>
          receiver.events<InboundMessageEvent>('message').length === types.length &&
          receiver.events<InboundMessageEvent>('message'),
        'all types',
      );
      expect(events.map((e) => e.type).sort()).toEqual(types.map((t) => t.type).sort());
      expect(events.find((e) => e.type === 'document')?.body).toBe('order.pdf');
      expect(events.find((e) => e.type === 'audio')?.media).toMatchObject({
        voice: true,
        mimeType: 'audio/ogg; codecs=opus',
      });

      const image = events.find((e) => e.type === 'image');
      const info = await client.getMedia(image?.media?.id ?? '');
      const file = await client.downloadMedia(info.url);
      expect(file.contentType).toBe('image/png');
      expect(file.data.subarray(1, 4).toString()).toBe('PNG');
      expect((await fetch(info.url)).status).toBe(401);
    });
  });

  describe('outbound', () => {
    it('accepts a reply in the window and reports sent, delivered and read with pricing', async () => {
      await customerWrites('Hello?');
      const result = await client.sendMessage(NUMBER, {
        to: `+${CUSTOMER}`,
        type: 'text',
        text: { body: 'Hi Maria!' },
      });
      expect(result).toMatchObject({
        waMessageId: expect.stringMatching(/^wamid\./),
        waId: CUSTOMER,
        messageStatus: 'accepted',
      });
      const statuses = await receiver.waitFor(
        () => statusesOf(result.waMessageId).length === 3 && statusesOf(result.waMessageId),
        'three statuses',
      );
      expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
      expect(statuses[0]?.pricing).toEqual({
        billable: false,
        pricing_model: 'PMP',
        type: 'free_customer_service',
        category: 'service',
      });
      const chat = await control('GET', `/chats/${NUMBER}/${CUSTOMER}`);
      expect(
        chat.body.data.map((m: { direction: string; body: string; status: string }) => [m.direction, m.body, m.status]),
      ).toEqual([
        ['inbound', 'Hello?', 'received'],
        ['outbound', 'Hi Maria!', 'read'],
      ]);
    });

    it('fails free-form messages outside the 24-hour window with 131047', async () => {
      const result = await client.sendMessage(NUMBER, {
        to: '15559990000',
        type: 'text',
        text: { body: 'Hello stranger' },
      });
      const [failed] = await receiver.waitFor(
        () => statusesOf(result.waMessageId).length > 0 && statusesOf(result.waMessageId),
        'failed status',
      );
      expect(failed).toMatchObject({
        status: 'failed',
        errors: [{ code: 131047, title: 'Re-engagement message', details: expect.stringContaining('24 hours') }],
      });
    });

    it('fails sends to numbers not on WhatsApp with 131026', async () => {
      await customerWrites('hi', '15550000002');
      await control('PUT', '/customers/15550000002', { onWhatsApp: false });
      const result = await client.sendMessage(NUMBER, { to: '15550000002', type: 'text', text: { body: 'x' } });
      const [failed] = await receiver.waitFor(
        () => statusesOf(result.waMessageId).length > 0 && statusesOf(result.waMessageId),
        'failed status',
      );
      expect(failed?.errors[0]?.code).toBe(131026);
    });

    it('marks inbound messages read', async () => {
      const inbound = await customerWrites('Read me');
      await client.markRead(NUMBER, inbound.body.id);
      const chat = await control('GET', `/chats/${NUMBER}/${CUSTOMER}`);
      expect(chat.body.data[0].status).toBe('read');
    });

    it('refuses sends over the number throughput with 130429', async () => {
      await control('PATCH', `/phone-numbers/${NUMBER}`, { throughputMps: 5 });
      const customers = Array.from({ length: 7 }, (_, i) => `1555777000${i}`);
      const results = await Promise.all(
        customers.map((to) =>
          client.sendMessage(NUMBER, { to, type: 'text', text: { body: 'x' } }).catch((e: unknown) => e),
        ),
      );
      const limited = results.filter((r) => r instanceof GraphApiError) as GraphApiError[];
      expect(results.length - limited.length).toBe(5);
      expect(limited.map((e) => [e.code, e.retryable])).toEqual([
        [130429, true],
        [130429, true],
      ]);
    });

    it('applies the pair rate limit with 131056', async () => {
      await control('PUT', '/scenario', { pairRateLimit: { burst: 2, perSecond: 0.001 } });
      await customerWrites('hi');
      const send = () => client.sendMessage(NUMBER, { to: CUSTOMER, type: 'text', text: { body: 'x' } });
      await send();
      await send();
      const error = (await send().catch((e: unknown) => e)) as GraphApiError;
      expect([error.code, error.retryable]).toEqual([131056, true]);
    });
  });

  describe('templates', () => {
    const create = (name: string, text = 'Hi {{1}}, your order {{2}} shipped.') =>
      client.createTemplate(WABA, {
        name,
        category: 'utility',
        language: 'en_US',
        components: [{ type: 'BODY', text, example: { body_text: [['Ana', '#42']] } }],
      });

    it('approves new templates after review, by webhook, and rejects marked names', async () => {
      expect(await create('order_shipped')).toMatchObject({ status: 'PENDING', category: 'UTILITY' });
      await create('reject_this_one');
      const updates = await receiver.waitFor(
        () =>
          receiver.events<TemplateStatusEvent>('template_status').length === 2 &&
          receiver.events<TemplateStatusEvent>('template_status'),
        'reviews',
      );
      expect(updates.map((u) => [u.name, u.event]).sort()).toEqual([
        ['order_shipped', 'APPROVED'],
        ['reject_this_one', 'REJECTED'],
      ]);
      const duplicate = (await create('order_shipped').catch((e: unknown) => e)) as GraphApiError;
      expect([duplicate.code, duplicate.subcode]).toEqual([100, 2388024]);
    });

    it('lists with paging and deletes', async () => {
      for (const name of ['t_one', 't_two', 't_three']) await create(name);
      const first = await client.listTemplates(WABA, { limit: 2 });
      expect(first.data).toHaveLength(2);
      expect(first.paging?.next).toBeDefined();
      expect((await client.listAllTemplates(WABA)).map((t) => t.name).sort()).toEqual([
        'hello_world',
        't_one',
        't_three',
        't_two',
      ]);
      await client.deleteTemplate(WABA, { name: 't_two' });
      expect((await client.listAllTemplates(WABA)).map((t) => t.name).sort()).toEqual([
        'hello_world',
        't_one',
        't_three',
      ]);
    });

    it('edits a reviewed template, which goes back to review; refuses pending ones and approved categories', async () => {
      const { id } = await create('order_shipped');
      const pendingEdit = (await client
        .editTemplate(id, { components: [{ type: 'BODY', text: 'Hi {{1}}, order {{2}} is on its way.' }] })
        .catch((e: unknown) => e)) as GraphApiError;
      expect([pendingEdit.code, pendingEdit.details]).toEqual([100, expect.stringMatching(/is PENDING/)]);
      await receiver.waitFor(() => receiver.events('template_status').length === 1, 'approval');

      const recategorized = (await client
        .editTemplate(id, { category: 'MARKETING' })
        .catch((e: unknown) => e)) as GraphApiError;
      expect(recategorized.details).toMatch(/category of an approved/);
      const components = [{ type: 'BODY', text: 'Hi {{1}}, order {{2}} is on its way.' }];
      await expect(client.editTemplate(id, { components })).resolves.toBeUndefined();
      const [edited] = (await client.listTemplates(WABA, { name: 'order_shipped' })).data;
      expect(edited).toMatchObject({ status: 'PENDING', components });
      const updates = await receiver.waitFor(
        () =>
          receiver.events<TemplateStatusEvent>('template_status').length === 2 &&
          receiver.events<TemplateStatusEvent>('template_status'),
        'second review',
      );
      expect(updates.map((u) => u.event)).toEqual(['APPROVED', 'APPROVED']);
    });

    it("gives every registered WABA Meta's approved hello_world, which sends without parameters", async () => {
      const [hello] = (await client.listTemplates(WABA, { name: 'hello_world' })).data;
      expect(hello).toMatchObject({
        language: 'en_US',
        category: 'UTILITY',
        status: 'APPROVED',
        components: [
          { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
          { type: 'BODY', text: expect.stringMatching(/^Welcome and congratulations!! This message demonstrates/) },
          { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
        ],
      });
      const sent = await client.sendMessage(NUMBER, {
        to: '15553334445',
        type: 'template',
        template: { name: 'hello_world', language: { code: 'en_US' } },
      });
      await receiver.waitFor(() => statusesOf(sent.waMessageId).length > 0, 'status');
      expect(statusesOf(sent.waMessageId)[0]).toMatchObject({ status: 'sent' });
      // Registering again (the platform restarting) keeps one hello_world.
      const again = await control('POST', '/wabas', {
        wabaId: WABA,
        appSecret: APP_SECRET,
        accessToken: TOKEN,
        callbackUrl: receiver.url,
      });
      expect(again.body.templates.filter((t: { name: string }) => t.name === 'hello_world')).toHaveLength(1);
    });

    it('registers a WABA with templates already approved, without review webhooks, and refuses bad ones', async () => {
      const order = {
        name: 'order_update',
        language: 'en_US',
        category: 'UTILITY',
        components: [
          {
            type: 'BODY',
            text: 'Hi {{1}}, your order {{2}} has shipped and arrives {{3}}.',
            example: { body_text: [['Maria', '#1042', 'tomorrow']] },
          },
        ],
      };
      const registered = await control('POST', '/wabas', {
        wabaId: '900000000000002',
        appSecret: APP_SECRET,
        accessToken: TOKEN,
        callbackUrl: receiver.url,
        templates: [order],
      });
      expect(registered.status).toBe(200);
      expect(registered.body.templates.map((t: { name: string; status: string }) => [t.name, t.status]).sort()).toEqual(
        [
          ['hello_world', 'APPROVED'],
          ['order_update', 'APPROVED'],
        ],
      );
      const [stored] = (await client.listTemplates('900000000000002', { name: 'order_update' })).data;
      expect(stored).toMatchObject({ status: 'APPROVED', category: 'UTILITY', components: order.components });

      const bad = await control('POST', '/wabas', {
        wabaId: '900000000000003',
        appSecret: APP_SECRET,
        accessToken: TOKEN,
        callbackUrl: receiver.url,
        templates: [{ ...order, name: 'Bad Name' }],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatch(/^templates\[0\]: Invalid parameter name/);
      expect((await control('GET', '/wabas')).body.data.map((w: { wabaId: string }) => w.wabaId)).not.toContain(
        '900000000000003',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.events('template_status')).toEqual([]);
    });

    it('sends approved templates outside the window; unknown ones fail 132001, wrong parameters 132000', async () => {
      await create('order_shipped');
      await receiver.waitFor(() => receiver.events('template_status').length === 1, 'approval');
      const template = (params: string[], name = 'order_shipped') =>
        client.sendMessage(NUMBER, {
          to: '15553334444',
          type: 'template',
          template: {
            name,
            language: { code: 'en_US' },
            components: [{ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) }],
          },
        });
      const ok = await template(['Ana', '#42']);
      const wrongCount = await template(['Ana']);
      const unknown = await template(['Ana', '#42'], 'nope');
      await receiver.waitFor(
        () => [ok, wrongCount, unknown].every((r) => statusesOf(r.waMessageId).length > 0),
        'outcomes',
      );
      expect(statusesOf(ok.waMessageId)[0]).toMatchObject({
        status: 'sent',
        pricing: { billable: true, type: 'regular', category: 'utility' },
      });
      expect(statusesOf(wrongCount.waMessageId)[0]?.errors[0]?.code).toBe(132000);
      expect(statusesOf(unknown.waMessageId)[0]?.errors[0]?.code).toBe(132001);
      const chat = await control('GET', `/chats/${NUMBER}/15553334444`);
      expect(chat.body.data[0].body).toBe('Hi Ana, your order #42 shipped.');
    });
  });

  describe('media', () => {
    it('uploads, serves a short-lived URL that needs the token, and deletes', async () => {
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      const { id } = await client.uploadMedia(NUMBER, { data: png, mimeType: 'image/png', filename: 'a.png' });
      const info = await client.getMedia(id);
      expect(info).toMatchObject({ id, mime_type: 'image/png', file_size: String(png.length) });
      expect((await client.downloadMedia(info.url)).data).toEqual(png);
      await client.deleteMedia(id);
      expect(((await client.getMedia(id).catch((e: unknown) => e)) as GraphApiError).code).toBe(100);
      const gif = (await client
        .uploadMedia(NUMBER, { data: png, mimeType: 'image/gif', filename: 'a.gif' })
        .catch((e: unknown) => e)) as GraphApiError;
      expect(gif.code).toBe(131053);
    });
  });

  describe('webhook delivery and chaos', () => {
    it('retries with backoff until the receiver answers 200', async () => {
      receiver.respond = (n) => (n <= 2 ? 500 : 200);
      await customerWrites('retry me');
      await receiver.waitFor(() => receiver.received.length === 3, 'three attempts');
      const log = await control('GET', '/webhook-deliveries');
      expect(log.body.data[0]).toMatchObject({ attempts: 3, delivered: true, lastStatus: 200 });
    });

    it('can deliver everything twice and report statuses in reverse', async () => {
      await control('PUT', '/scenario', { duplicateRate: 1, reorderStatuses: true });
      await customerWrites('dup');
      await receiver.waitFor(() => receiver.events('message').length === 2, 'duplicate inbound');
      const result = await client.sendMessage(NUMBER, { to: CUSTOMER, type: 'text', text: { body: 'x' } });
      const statuses = await receiver.waitFor(
        () => statusesOf(result.waMessageId).length === 6 && statusesOf(result.waMessageId),
        'six statuses',
      );
      const order = statuses.map((s) => s.status);
      expect([...new Set(order)]).toEqual(['read', 'delivered', 'sent']);
      expect(order.filter((s) => s === 'read')).toHaveLength(2);
      expect(order.filter((s) => s === 'sent')).toHaveLength(2);
    });

    it('batches like Meta under load: updates that wait for a POST in flight go together', async () => {
      await control('PUT', '/scenario', { webhookBatching: { maxUpdates: 2, inFlight: 1 } });
      let answer = (): void => undefined;
      receiver.hold = new Promise((resolve) => (answer = resolve));
      await customerWrites('one');
      await receiver.waitFor(() => receiver.received.length === 1, 'the first POST');
      for (const text of ['two', 'three', 'four']) await customerWrites(text);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.received).toHaveLength(1); // one POST at a time

      answer();
      await receiver.waitFor(() => receiver.received.length === 3, 'the waiting updates');
      const bodies = receiver.received.map((r) => r.events.map((e) => (e as InboundMessageEvent).body));
      expect(bodies).toEqual([['one'], ['two', 'three'], ['four']]);
      expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
      const log = await control('GET', '/webhook-deliveries');
      expect(log.body.data.map((d: { summary: string }) => d.summary)).toEqual([
        'message text',
        '2 updates',
        'message text',
      ]);
      expect(log.body.data.every((d: { delivered: boolean }) => d.delivered)).toBe(true);
    });
  });

  describe('control API and page', () => {
    it('validates what it is told', async () => {
      expect((await control('PUT', '/scenario', { nonsense: 1 })).status).toBe(400);
      expect((await control('PUT', '/scenario', { failureRate: 2 })).status).toBe(400);
      const batching = await control('PUT', '/scenario', { webhookBatching: { maxUpdates: 1001 } });
      expect([batching.status, batching.body.error]).toEqual([
        400,
        'webhookBatching.maxUpdates must be a whole number from 1 to 1000',
      ]);
      expect(
        (await control('POST', '/inbound', { phoneNumberId: NUMBER, from: CUSTOMER, type: 'hologram' })).status,
      ).toBe(400);
      expect(
        (await control('POST', '/inbound', { phoneNumberId: '1', from: CUSTOMER, type: 'text', text: 'x' })).status,
      ).toBe(404);
      expect((await control('POST', '/wabas', { wabaId: '1' })).status).toBe(400);
    });

    it('serves the chat page', async () => {
      const page = await fetch(`${sandbox.url}/`);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('WhatsApp sandbox');
    });
  });
});
