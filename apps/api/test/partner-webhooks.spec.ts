/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import type { INestApplicationContext } from '@nestjs/common';
import { AppConfig, loadConfig } from '@parley/api/core';
import { signWebhook, verifyWebhook, WEBHOOK_HEADERS } from '@parley/partner-sdk';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, expectStatus, FakeMeta, startWorker, TestApi, TestSession } from './harness';

/*
 * Outgoing webhooks end to end: the real api and worker (in this process) against the real
 * PostgreSQL, delivering over real HTTP to a partner's server on loopback (allowed for this test
 * only, through PARTNER_WEBHOOKS_ALLOWED_NETWORKS). The partner checks each request with nothing
 * but its secret.
 */

interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
}

/** A partner's webhook receiver: records every request and answers what the test scripts (200 by default). */
class PartnerServer {
  readonly received: Received[] = [];
  answers: number[] = [];
  fallback = 200;
  private server!: Server;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ at: Date.now(), headers: request.headers, body, json: JSON.parse(body) });
        response.statusCode = this.answers.shift() ?? this.fallback;
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  of(type: string): Received[] {
    return this.received.filter((r) => r.json.type === type);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const SETTINGS = {
  PARTNER_WEBHOOKS_ALLOWED_NETWORKS: '127.0.0.0/8',
  PARTNER_WEBHOOKS_POLL_MS: '50',
  PARTNER_WEBHOOKS_RETRY_BASE_MS: '400',
  PARTNER_WEBHOOKS_MAX_ATTEMPTS: '3',
  PARTNER_WEBHOOKS_DISABLE_AFTER_FAILURES: '5',
};

describe('partner webhooks', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let partner: PartnerServer;
  let owner: TestSession;
  let orgId: string;
  let meta: FakeMeta;

  const subscribe = async (events: string[], url = partner.url) =>
    expectStatus(await owner.post(`/api/v1/orgs/${orgId}/webhook-subscriptions`, { url, events }), 201);
  const deliveries = async (subscriptionId: string) =>
    expectStatus(await owner.get(`/api/v1/orgs/${orgId}/webhook-subscriptions/${subscriptionId}/deliveries`), 200).data;
  /** The subscription's deliveries once the dispatcher has recorded the answer (it does so after the partner replied). */
  const recorded = (subscriptionId: string) =>
    eventually(async () => {
      const list = await deliveries(subscriptionId);
      return list.every((delivery: any) => delivery.status !== 'pending') && list;
    });
  const remove = async (subscriptionId: string) =>
    expectStatus(await owner.delete(`/api/v1/orgs/${orgId}/webhook-subscriptions/${subscriptionId}`), 204);

  beforeAll(async () => {
    Object.assign(process.env, SETTINGS);
    api = await TestApi.start();
    worker = await startWorker();
    partner = await new PartnerServer().start();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Partner Co')).id;
    meta = await owner.fakeMeta(orgId);
  });
  afterEach(() => {
    partner.answers = [];
    partner.fallback = 200;
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await partner?.close();
    for (const key of Object.keys(SETTINGS)) delete process.env[key];
  });

  it('shows the secret once, validates the fields, and keeps subscriptions to admins of the org', async () => {
    const created = await subscribe(['message.received']);
    expect(created.secret).toMatch(/^whsec_[\w-]{40,}$/);
    expect(created).toMatchObject({ url: partner.url, events: ['message.received'], enabled: true, failureStreak: 0 });
    const fetched = expectStatus(await owner.get(`/api/v1/orgs/${orgId}/webhook-subscriptions/${created.id}`), 200);
    expect(fetched.secret).toBeUndefined();
    expect(JSON.stringify(fetched)).not.toContain(created.secret);

    const bad = await owner.post(`/api/v1/orgs/${orgId}/webhook-subscriptions`, {
      url: partner.url,
      events: ['message.sent'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.field)).toContain('events');
    const ftp = await owner.post(`/api/v1/orgs/${orgId}/webhook-subscriptions`, {
      url: 'ftp://example.com/x',
      events: ['message.received'],
    });
    expect(ftp.status).toBe(422);
    expect(ftp.body.error).toMatchObject({ code: 'webhook_url_rejected', details: [{ field: 'url' }] });

    const agent = await owner.addTeammate(orgId, 'agent');
    expect((await agent.get(`/api/v1/orgs/${orgId}/webhook-subscriptions`)).status).toBe(403);
    const stranger = await TestSession.signup(api, 'stranger');
    expect((await stranger.get(`/api/v1/orgs/${orgId}/webhook-subscriptions/${created.id}`)).status).toBe(404);
    const partnerKey = await owner.createApiKey(orgId, ['admin']);
    const listed = expectStatus(
      await api.get(`/api/v1/orgs/${orgId}/webhook-subscriptions`, { apiKey: partnerKey }),
      200,
    );
    expect(listed.data.map((s: any) => s.id)).toContain(created.id);
    await remove(created.id);
  });

  it('delivers a customer message with a signature the partner verifies with only the secret', async () => {
    const { id, secret } = await subscribe(['message.received', 'message.status']);
    const wamid = await meta.customerWrites('5511912345678', 'Is my order on its way?');

    const [request] = await eventually(
      async () => partner.of('message.received').length > 0 && partner.of('message.received'),
    );
    const { headers, body, json } = request as Received;
    const signature = headers[WEBHOOK_HEADERS.signature] as string;
    const timestamp = headers[WEBHOOK_HEADERS.timestamp] as string;
    expect(verifyWebhook({ secret, body, timestamp, signature })).toBe(true);
    // Tampered, signed with another secret, or replayed later: all refused.
    expect(verifyWebhook({ secret, body: body.replace('order', 'ordem'), timestamp, signature })).toBe(false);
    expect(verifyWebhook({ secret: 'whsec_other', body, timestamp, signature })).toBe(false);
    expect(verifyWebhook({ secret, body, timestamp, signature, now: (Number(timestamp) + 600) * 1000 })).toBe(false);
    expect(signature).toBe(signWebhook(secret, Number(timestamp), body));

    expect(headers[WEBHOOK_HEADERS.eventId]).toBe(json.id);
    expect(headers[WEBHOOK_HEADERS.eventType]).toBe('message.received');
    expect(json).toMatchObject({
      type: 'message.received',
      orgId,
      data: { message: { waMessageId: wamid, direction: 'inbound', type: 'text', body: 'Is my order on its way?' } },
    });

    const [delivery] = await recorded(id);
    expect(delivery).toMatchObject({ eventId: json.id, status: 'succeeded', attempts: 1, lastStatusCode: 200 });
    expect(delivery.lastLatencyMs).toEqual(expect.any(Number));
    await remove(id);
  });

  it("sends an automation rule's call to the subscription it names, signed, whatever that one subscribed to", async () => {
    const { id, secret } = await subscribe(['template.status']);
    const rule = expectStatus(
      await owner.post(`/api/v1/orgs/${orgId}/automation-rules`, {
        name: 'Tell the CRM about refunds',
        trigger: { type: 'message', match: 'keyword', keywords: ['refund'] },
        actions: [{ type: 'call_webhook', subscriptionId: id }],
      }),
      201,
    );
    const wamid = await meta.customerWrites('5511955554444', 'I want a REFUND please');

    const [request] = await eventually(
      async () => partner.of('automation.rule_fired').length > 0 && partner.of('automation.rule_fired'),
    );
    const { headers, body, json } = request as Received;
    expect(
      verifyWebhook({
        secret,
        body,
        timestamp: headers[WEBHOOK_HEADERS.timestamp] as string,
        signature: headers[WEBHOOK_HEADERS.signature] as string,
      }),
    ).toBe(true);
    const [message] = await api.dataSource.query(
      'SELECT id, contact_id, conversation_id FROM messages WHERE wa_message_id = $1',
      [wamid],
    );
    expect(json).toMatchObject({
      type: 'automation.rule_fired',
      orgId,
      data: {
        ruleId: rule.id,
        ruleName: 'Tell the CRM about refunds',
        trigger: 'message',
        contactId: message.contact_id,
        conversationId: message.conversation_id,
        messageId: message.id,
      },
    });
    const [delivery] = await recorded(id);
    expect(delivery).toMatchObject({ eventType: 'automation.rule_fired', status: 'succeeded' });
    const runs = expectStatus(await owner.get(`/api/v1/orgs/${orgId}/automation-runs?ruleId=${rule.id}`), 200).data;
    expect(runs[0].results).toEqual([expect.objectContaining({ type: 'call_webhook', ok: true })]);

    // A disabled subscription is not called, and the rule's log says why.
    expectStatus(await owner.patch(`/api/v1/orgs/${orgId}/webhook-subscriptions/${id}`, { enabled: false }), 200);
    await meta.customerWrites('5511955554444', 'refund, again');
    const [failed] = await eventually(async () => {
      const page = expectStatus(await owner.get(`/api/v1/orgs/${orgId}/automation-runs?ruleId=${rule.id}`), 200).data;
      return page.length === 2 && page;
    });
    expect(failed.results).toEqual([
      expect.objectContaining({ ok: false, detail: 'webhook subscription missing or disabled' }),
    ]);
    expect(await deliveries(id)).toHaveLength(1);
    expectStatus(await owner.delete(`/api/v1/orgs/${orgId}/automation-rules/${rule.id}`), 204);
    await remove(id);
  });

  it('tells of delivery statuses and template reviews as Meta reports them', async () => {
    const { id } = await subscribe(['message.status', 'template.status']);
    const [conversation] = await api.dataSource.query(
      'SELECT id, contact_id, phone_number_id FROM conversations WHERE org_id = $1 LIMIT 1',
      [orgId],
    );
    const wamid = `wamid.out-${Date.now()}`;
    await api.dataSource.query(
      `INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, wa_message_id,
                             body, payload, occurred_at)
       VALUES ($1, $2, $3, $4, 'outbound', 'text', 'sent', $5, 'On its way!', '{"type": "text"}', now())`,
      [orgId, conversation.id, conversation.contact_id, conversation.phone_number_id, wamid],
    );
    expectStatus(await meta.post(meta.status(wamid, 'delivered', Math.floor(Date.now() / 1000), '5511912345678')), 200);
    const template = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: meta.account.wabaId,
          time: Math.floor(Date.now() / 1000),
          changes: [
            {
              field: 'message_template_status_update',
              value: {
                event: 'REJECTED',
                message_template_id: 4242,
                message_template_name: 'spring_sale',
                message_template_language: 'en_US',
                reason: 'INCORRECT_CATEGORY',
              },
            },
          ],
        },
      ],
    });
    expectStatus(await meta.post(template), 200);

    const status = await eventually(async () => partner.of('message.status')[0]);
    expect(status.json.data.message).toMatchObject({ waMessageId: wamid, status: 'delivered', body: 'On its way!' });
    const review = await eventually(async () => partner.of('template.status')[0]);
    expect(review.json.data.template).toEqual({
      metaTemplateId: '4242',
      name: 'spring_sale',
      language: 'en_US',
      status: 'REJECTED',
      reason: 'INCORRECT_CATEGORY',
    });
    await remove(id);
  });

  it('retries 5xx with exponential backoff and jitter, and logs every try', async () => {
    const { id } = await subscribe(['contact.opted_out']);
    partner.answers = [503, 503, 200];
    const contact = expectStatus(
      await owner.post(`/api/v1/orgs/${orgId}/contacts`, { phone: '+5511900000001', name: 'Ana' }),
      201,
    );
    expectStatus(await owner.patch(`/api/v1/orgs/${orgId}/contacts/${contact.id}`, { optInStatus: 'opted_out' }), 200);

    const tries = await eventually(
      async () => partner.of('contact.opted_out').length === 3 && partner.of('contact.opted_out'),
    );
    expect(new Set(tries.map((t) => t.json.id)).size).toBe(1);
    expect(tries[0]?.json.data.contact).toMatchObject({ id: contact.id, optInStatus: 'opted_out' });
    // Waits of base × 2^(n-1), jittered down by at most half: 200–400 ms, then 400–800 ms (plus polling).
    const gaps = [1, 2].map((i) => (tries[i]?.at ?? 0) - (tries[i - 1]?.at ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(190);
    expect(gaps[1]).toBeGreaterThanOrEqual(390);
    expect(gaps[1]).toBeLessThan(5_000);

    const [delivery] = await eventually(async () => {
      const rows = await deliveries(id);
      return rows[0]?.status === 'succeeded' && rows;
    });
    const detail = expectStatus(await owner.get(`/api/v1/orgs/${orgId}/webhook-deliveries/${delivery.id}`), 200);
    expect(detail.attemptLog.map((a: any) => [a.attempt, a.statusCode])).toEqual([
      [1, 503],
      [2, 503],
      [3, 200],
    ]);
    expect(detail.payload.id).toBe(delivery.eventId);
    await remove(id);
  });

  it('gives up at once on a 4xx other than 408 and 429, and redelivers by hand', async () => {
    const { id } = await subscribe(['conversation.updated']);
    partner.answers = [400];
    const [conversation] = (await owner.get(`/api/v1/orgs/${orgId}/conversations`)).body.data;
    expectStatus(
      await owner.patch(`/api/v1/orgs/${orgId}/conversations/${conversation.id}`, { status: 'resolved' }),
      200,
    );

    const [failed] = await eventually(async () => {
      const rows = await deliveries(id);
      return rows[0]?.status === 'failed' && rows;
    });
    expect(failed).toMatchObject({ attempts: 1, lastStatusCode: 400, eventType: 'conversation.updated' });
    expect(partner.of('conversation.updated')[0]?.json.data.conversation).toMatchObject({
      id: conversation.id,
      status: 'resolved',
    });

    const again = expectStatus(
      await owner.post(`/api/v1/orgs/${orgId}/webhook-deliveries/${failed.id}/redeliver`),
      201,
    );
    expect(again).toMatchObject({ eventId: failed.eventId, status: 'pending', attempts: 0 });
    await eventually(async () => (await deliveries(id)).find((d: any) => d.id === again.id)?.status === 'succeeded');
    const sent = partner.of('conversation.updated');
    expect(sent.map((r) => r.json.id)).toEqual([failed.eventId, failed.eventId]);
    await remove(id);
  });

  it('switches a subscription off after failing too many times in a row, with an audit row', async () => {
    const { id } = await subscribe(['message.received']);
    partner.fallback = 500;
    // Two messages, up to three tries each: the fifth failure in a row disables it.
    await meta.customerWrites('5511955550001', 'one');
    await meta.customerWrites('5511955550001', 'two');
    const disabled = await eventually(async () => {
      const subscription = (await owner.get(`/api/v1/orgs/${orgId}/webhook-subscriptions/${id}`)).body;
      return !subscription.enabled && subscription;
    }, 20_000);
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'failing' });
    expect(disabled.failureStreak).toBeGreaterThanOrEqual(5);
    const audit = expectStatus(await owner.get(`/api/v1/orgs/${orgId}/audit-logs?targetId=${id}`), 200);
    expect(audit.data.map((row: any) => row.action)).toContain('webhook_subscription.disabled');

    // Disabled: new events are not recorded for it; a test still goes out, to check the endpoint.
    const before = (await deliveries(id)).length;
    await meta.customerWrites('5511955550001', 'three');
    partner.fallback = 200;
    const test = expectStatus(await owner.post(`/api/v1/orgs/${orgId}/webhook-subscriptions/${id}/test`), 202);
    await eventually(async () => (await deliveries(id)).find((d: any) => d.id === test.id)?.status === 'succeeded');
    expect((await deliveries(id)).length).toBe(before + 1);

    // Switched back on, it starts over.
    const enabled = expectStatus(
      await owner.patch(`/api/v1/orgs/${orgId}/webhook-subscriptions/${id}`, { enabled: true }),
      200,
    );
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, failureStreak: 0 });
    await remove(id);
  });

  it('rotates the secret: deliveries are signed with the new one at once', async () => {
    const { id, secret: old } = await subscribe(['message.received']);
    const { secret } = expectStatus(
      await owner.post(`/api/v1/orgs/${orgId}/webhook-subscriptions/${id}/rotate-secret`),
      200,
    );
    expect(secret).not.toBe(old);
    const count = partner.of('message.received').length;
    await meta.customerWrites('5511977770000', 'rotated');
    const request = await eventually(async () => partner.of('message.received')[count]);
    const check = (key: string) =>
      verifyWebhook({
        secret: key,
        body: request.body,
        timestamp: request.headers[WEBHOOK_HEADERS.timestamp] as string,
        signature: request.headers[WEBHOOK_HEADERS.signature] as string,
      });
    expect([check(secret), check(old)]).toEqual([true, false]);
    await remove(id);
  });
});

describe('partner webhooks without an allowed network', () => {
  let api: TestApi;
  let owner: TestSession;
  let orgId: string;

  beforeAll(async () => {
    api = await TestApi.start((builder) =>
      builder
        .overrideProvider(AppConfig)
        .useValue(loadConfig({ ...process.env, PARTNER_WEBHOOKS_ALLOWED_NETWORKS: '' })),
    );
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Careful Co')).id;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses URLs that reach this host or a private network (SSRF)', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hooks',
      'http://localhost/hooks',
      'http://10.1.2.3/hooks',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hooks',
      'http://[::ffff:192.168.0.10]/hooks',
      'https://user:pass@example.com/hooks',
    ]) {
      const reply = await owner.post(`/api/v1/orgs/${orgId}/webhook-subscriptions`, {
        url,
        events: ['message.received'],
      });
      expect({
        url,
        status: reply.status,
        code: reply.body.error?.code,
        field: reply.body.error?.details?.[0]?.field,
      }).toEqual({ url, status: 422, code: 'webhook_url_rejected', field: 'url' });
    }
    const count = await api.dataSource.query('SELECT count(*)::int AS n FROM webhook_subscriptions WHERE org_id = $1', [
      orgId,
    ]);
    expect(count[0].n).toBe(0);
  });
});
