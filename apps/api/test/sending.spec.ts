/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import type { INestApplicationContext } from '@nestjs/common';
import { CloudApiClient } from '@parley/whatsapp/cloud-api';
import type { ChatMessage, RunningSandbox } from '@parley/whatsapp/sandbox';
import { randomUUID } from 'node:crypto';
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

/** A customer's WhatsApp id no other test uses. */
const customer = () => `55119${randomDigits(8)}`;
const text = (body: string) => ({ type: 'text', text: { body } });

describe('sending', () => {
  let sandbox: RunningSandbox;
  let api: TestApi;
  let worker: INestApplicationContext;
  let owner: TestSession;
  let orgId: string;
  let wa: SandboxAccount;

  const control = (method: string, path: string, body?: unknown) => sandboxControl(sandbox)(method, path, body);
  /** What the business sent to a customer, as the sandbox (Meta) saw it. */
  const received = (waId: string): ChatMessage[] =>
    sandbox.ctx.state.messages.filter((m) => m.direction === 'outbound' && m.waId === waId);
  const graph = () => new CloudApiClient({ baseUrl: sandbox.url, version: 'v23.0', accessToken: wa.accessToken });

  /** The customer writes through the sandbox; resolves with their conversation once the worker stored it. */
  async function customerWrites(from: string, body: string, account = wa): Promise<any> {
    await control('POST', '/inbound', {
      phoneNumberId: account.number.phoneNumberId,
      from,
      name: 'Maria Souza',
      type: 'text',
      text: body,
    });
    const [stored] = await eventually(
      () =>
        api.dataSource
          .query(
            `SELECT m.conversation_id FROM messages m JOIN contacts c ON c.id = m.contact_id
           WHERE m.org_id = $1 AND c.phone = $2 AND m.direction = 'inbound' AND m.body = $3`,
            [orgId, `+${from}`, body],
          )
          .then((rows: { conversation_id: string }[]) => rows.length > 0 && rows),
      10_000,
      `"${body}" from ${from}`,
    );
    return expectStatus(await owner.get(`/api/v1/orgs/${orgId}/conversations/${stored.conversation_id}`), 200);
  }

  const messageOf = async (id: string) => expectStatus(await owner.get(`/api/v1/orgs/${orgId}/messages/${id}`), 200);
  /** The message once it reached one of `statuses`. */
  const settled = (id: string, ...statuses: string[]) =>
    eventually(
      async () => {
        const message = await messageOf(id);
        return statuses.includes(message.status) && message;
      },
      10_000,
      `message ${id} ${statuses.join(' or ')}`,
    );
  const reply = (conversationId: string, body: unknown, headers: Record<string, string> = {}) =>
    api.request('POST', `/api/v1/orgs/${orgId}/conversations/${conversationId}/messages`, {
      body,
      token: owner.accessToken,
      headers,
    });
  const partnerSend = (body: unknown, headers: Record<string, string> = {}) =>
    api.request('POST', `/api/v1/orgs/${orgId}/messages`, { body, token: owner.accessToken, headers });
  const countMessages = async () =>
    Number((await api.dataSource.query('SELECT count(*) FROM messages WHERE org_id = $1', [orgId]))[0].count);

  /** A template created at Meta (the sandbox), approved by its review, and known here through the webhook. */
  async function approvedTemplate(name: string, body: string, category = 'UTILITY'): Promise<void> {
    await graph().createTemplate(wa.account.wabaId, {
      name,
      category,
      language: 'en_US',
      components: [{ type: 'BODY', text: body }],
    });
    await eventually(
      async () => {
        const rows = await api.dataSource.query('SELECT status FROM templates WHERE org_id = $1 AND name = $2', [
          orgId,
          name,
        ]);
        return rows[0] && rows[0].status !== 'PENDING' && rows[0];
      },
      10_000,
      `template ${name} reviewed`,
    );
  }

  beforeAll(async () => {
    Object.assign(process.env, {
      SEND_RETRY_BASE_MS: '100',
      // Enough tries for a message to outlast a one-second throughput window even at the shortest jittered backoffs.
      SEND_MAX_ATTEMPTS: '8',
      SEND_LEASE_MS: '2500',
      SEND_SWEEP_INTERVAL_MS: '300',
      SEND_SWEEP_AFTER_MS: '500',
      GRAPH_API_TIMEOUT_MS: '1000',
    });
    sandbox = await startTestSandbox();
    api = await TestApi.start();
    worker = await startWorker();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Sending')).id;
    wa = await owner.connectSandbox(orgId, sandbox);
    await control('PUT', '/scenario', {
      templateReviewDelayMs: 50,
      statusDelaysMs: { sent: 20, delivered: 60, read: 120 },
      webhookRetry: { baseMs: 200, maxAttempts: 8 },
    });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });

  it('replies in a conversation: 202 queued, then Meta takes it and the ticks go sent → delivered → read', async () => {
    const from = customer();
    const conversation = await customerWrites(from, 'Oi! Tem o tênis 42?');
    const accepted = await reply(conversation.id, text('Temos sim!'));
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({
      conversationId: conversation.id,
      direction: 'outbound',
      type: 'text',
      status: 'queued',
      body: 'Temos sim!',
      waMessageId: null,
      senderId: owner.user.id,
      error: null,
    });
    const read = await settled(accepted.body.id, 'read');
    expect(read.waMessageId).toMatch(/^wamid\./);
    expect(new Date(read.sentAt) <= new Date(read.deliveredAt)).toBe(true);
    expect(new Date(read.deliveredAt) <= new Date(read.readAt)).toBe(true);
    // Each status is its own webhook: under load `read` may be applied before `sent` is stored.
    const statuses = await eventually(async () => {
      const rows: { status: string }[] = await api.dataSource.query(
        // Meta's times are whole seconds: delivered and read often share one, and arrive in either order.
        `SELECT status FROM message_status_events WHERE wa_message_id = $1
         ORDER BY occurred_at, array_position(ARRAY['sent', 'delivered', 'read'], status::text)`,
        [read.waMessageId],
      );
      return rows.length === 3 && rows;
    });
    expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    expect(received(from).map((m) => [m.id, m.body, m.status])).toEqual([[read.waMessageId, 'Temos sim!', 'read']]);
    const after = expectStatus(await owner.get(`/api/v1/orgs/${orgId}/conversations/${conversation.id}`), 200);
    expect(after.lastMessagePreview).toBe('Temos sim!');
  });

  it('refuses a free-form message outside the 24-hour window (422) and stores and sends nothing', async () => {
    const from = customer();
    const conversation = await customerWrites(from, 'Hello?');
    await api.dataSource.query(`UPDATE conversations SET last_inbound_at = now() - interval '25 hours' WHERE id = $1`, [
      conversation.id,
    ]);
    const before = await countMessages();
    const refused = await reply(conversation.id, text('Sorry for the wait!'));
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('OUTSIDE_CUSTOMER_SERVICE_WINDOW');
    expect(refused.body.error.details).toEqual([{ field: 'type', message: expect.stringContaining('template') }]);
    expect(await countMessages()).toBe(before);
    expect(received(from)).toEqual([]);
  });

  it('sends an approved template to a new number as a partner would, creating contact and conversation', async () => {
    const name = `order_ready_${randomDigits(6)}`;
    await approvedTemplate(name, 'Hi {{1}}, your order {{2}} is ready for pickup.');
    const to = `+1415555${randomDigits(4)}`;
    const template = (parameters: unknown[]) => ({
      type: 'template',
      template: { name, language: { code: 'en_US' }, components: [{ type: 'body', parameters }] },
    });

    const accepted = await partnerSend({
      to,
      ...template([
        { type: 'text', text: 'Ana' },
        { type: 'text', text: '#7' },
      ]),
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({
      type: 'template',
      status: 'queued',
      body: 'Hi Ana, your order #7 is ready for pickup.',
    });
    await settled(accepted.body.id, 'read');
    expect(received(to.slice(1)).map((m) => m.body)).toEqual(['Hi Ana, your order #7 is ready for pickup.']);
    const conversation = expectStatus(
      await owner.get(`/api/v1/orgs/${orgId}/conversations/${accepted.body.conversationId}`),
      200,
    );
    expect(conversation).toMatchObject({ contact: { phone: to }, status: 'open', windowExpiresAt: null });

    const mismatch = await partnerSend({ to, ...template([{ type: 'text', text: 'Ana' }]) });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error).toMatchObject({
      code: 'template_parameter_mismatch',
      details: [
        {
          field: 'template.components.body.parameters',
          message: expect.stringContaining('expects 2 parameters, got 1'),
        },
      ],
    });
    const unknown = await partnerSend({
      to,
      type: 'template',
      template: { name: 'no_such_template', language: { code: 'en_US' } },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'template_not_found', details: [{ field: 'template.name' }] });

    const rejected = `reject_${randomDigits(6)}`;
    await approvedTemplate(rejected, 'Buy now!', 'MARKETING');
    const refused = await partnerSend({
      to,
      type: 'template',
      template: { name: rejected, language: { code: 'en_US' } },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('template_not_approved');

    const stranger = `+1415556${randomDigits(4)}`;
    const freeForm = await partnerSend({ to: stranger, ...text('Hi there') });
    expect(freeForm.status).toBe(422);
    expect(freeForm.body.error.code).toBe('OUTSIDE_CUSTOMER_SERVICE_WINDOW');
    const contacts = await api.dataSource.query('SELECT 1 FROM contacts WHERE org_id = $1 AND phone = $2', [
      orgId,
      stranger,
    ]);
    expect(contacts).toEqual([]);
    expect(received(stranger.slice(1))).toEqual([]);
  });

  it('sends once per Idempotency-Key, and refuses the key with another body', async () => {
    const from = customer();
    const conversation = await customerWrites(from, 'Can you confirm my address?');
    const key = randomUUID();
    const first = await reply(conversation.id, text('Confirmed: Rua Augusta 100.'), { 'idempotency-key': key });
    const again = await reply(conversation.id, text('Confirmed: Rua Augusta 100.'), { 'idempotency-key': key });
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body.id).toBe(first.body.id);
    await settled(first.body.id, 'read');
    expect(received(from)).toHaveLength(1);

    const other = await reply(conversation.id, text('Something else'), { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'idempotency_key_reused', details: [{ field: 'Idempotency-Key' }] });
    const malformed = await reply(conversation.id, text('x'), { 'idempotency-key': 'has spaces in it' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    expect(received(from)).toHaveLength(1);
  });

  it('reopens a resolved conversation to reply, unless a newer one is open (409); refuses erased contacts (422)', async () => {
    const from = customer();
    const first = await customerWrites(from, 'Order status?');
    expectStatus(await owner.patch(`/api/v1/orgs/${orgId}/conversations/${first.id}`, { status: 'resolved' }), 200);
    const reopened = expectStatus(await reply(first.id, text('Following up!')), 202);
    expect(reopened.conversationId).toBe(first.id);
    expect(expectStatus(await owner.get(`/api/v1/orgs/${orgId}/conversations/${first.id}`), 200).status).toBe('open');

    expectStatus(await owner.patch(`/api/v1/orgs/${orgId}/conversations/${first.id}`, { status: 'resolved' }), 200);
    const second = await customerWrites(from, 'Me again');
    expect(second.id).not.toBe(first.id);
    const clash = await reply(first.id, text('Old thread'));
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('conversation_already_open');

    expectStatus(await owner.post(`/api/v1/orgs/${orgId}/contacts/${second.contact.id}/erase`), 200);
    const erased = await reply(second.id, text('Hello?'));
    expect(erased.status).toBe(422);
    expect(erased.body.error.code).toBe('contact_erased');
  });

  it('checks the message against Meta’s limits before queueing, naming each field', async () => {
    const conversation = await customerWrites(customer(), 'Quick question');
    const cases: [unknown, string[]][] = [
      [{ type: 'text', text: {} }, ['text.body']],
      [{ type: 'text', text: { body: 'hi' }, image: { link: 'https://example.com/a.png' } }, ['image']],
      [{ type: 'location', location: { latitude: 100, longitude: 0 } }, ['location.latitude']],
      [
        {
          type: 'interactive',
          interactive: {
            type: 'button',
            body: { text: 'Pick one' },
            action: {
              buttons: [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `b${i}`, title: `Option ${i}` } })),
            },
          },
        },
        ['interactive.action.buttons'],
      ],
      [{ type: 'sms', text: { body: 'hi' } }, ['type']],
    ];
    for (const [body, fields] of cases) {
      const refused = await reply(conversation.id, body);
      expect({ body, status: refused.status }).toEqual({ body, status: 400 });
      expect(refused.body.error.details.map((d: { field: string }) => d.field)).toEqual(fields);
    }
  });

  it('retries a rate-limited send (130429) with backoff until Meta takes it, sending each message once', async () => {
    const from = customer();
    const conversation = await customerWrites(from, 'Send me the three photos please');
    await control('PATCH', `/phone-numbers/${wa.number.phoneNumberId}`, { throughputMps: 2 });
    try {
      const ids = [];
      for (const body of ['Photo 1', 'Photo 2', 'Photo 3'])
        ids.push(expectStatus(await reply(conversation.id, text(body)), 202).id);
      for (const id of ids) await settled(id, 'read');
      expect(
        received(from)
          .map((m) => m.body)
          .sort(),
      ).toEqual(['Photo 1', 'Photo 2', 'Photo 3']);
      const [{ max }] = await api.dataSource.query('SELECT max(send_attempts) FROM messages WHERE id = ANY($1)', [ids]);
      expect(max).toBeGreaterThan(1); // at least one met Meta's limit and went again
    } finally {
      await control('PATCH', `/phone-numbers/${wa.number.phoneNumberId}`, { throughputMps: 80 });
    }
  });

  it("paces sends at the number's throughput, so Meta never answers 130429", async () => {
    const from = customer();
    const conversation = await customerWrites(from, 'Tell me everything');
    expectStatus(
      await owner.patch(`/api/v1/orgs/${orgId}/waba-accounts/${wa.account.id}/phone-numbers/${wa.number.id}`, {
        throughputMps: 5,
      }),
      200,
    );
    await control('PATCH', `/phone-numbers/${wa.number.phoneNumberId}`, { throughputMps: 5 });
    try {
      // Sent at once, so only the pacing spreads them out.
      const ids = await Promise.all(
        Array.from(
          { length: 8 },
          async (_, i) => expectStatus(await reply(conversation.id, text(`Part ${i + 1}`)), 202).id,
        ),
      );
      for (const id of ids) await settled(id, 'delivered', 'read');
      const attempts = await api.dataSource.query('SELECT send_attempts FROM messages WHERE id = ANY($1)', [ids]);
      expect(attempts.map((row: { send_attempts: number }) => row.send_attempts)).toEqual(Array(8).fill(1));
      const times = received(from)
        .map((m) => m.timestamp)
        .sort((a, b) => a - b);
      // Meta's limit alone would let the first five through at once; paced, they are spaced 200 ms
      // apart (800 ms in all). Each call's own latency jitters their arrival (CI saw 120 ms), so
      // half of that span is asked: a sender that bursts up to the limit arrives within a few ms.
      expect((times[4] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(400);
    } finally {
      await owner.patch(`/api/v1/orgs/${orgId}/waba-accounts/${wa.account.id}/phone-numbers/${wa.number.id}`, {
        throughputMps: 80,
      });
      await control('PATCH', `/phone-numbers/${wa.number.phoneNumberId}`, { throughputMps: 80 });
    }
  });

  it("records Meta's permanent errors on the message: later by webhook (131026) or at once (190), never retried", async () => {
    const gone = customer();
    const conversation = await customerWrites(gone, 'I am changing phones');
    await control('PUT', `/customers/${gone}`, { onWhatsApp: false });
    const undeliverable = expectStatus(await reply(conversation.id, text('Noted!')), 202);
    const failed = await settled(undeliverable.id, 'failed');
    expect(failed.error).toEqual({ code: 131026, title: 'Message undeliverable' });

    // A second account whose token Meta does not accept.
    const broken = await owner.connectSandbox(orgId, sandbox);
    expectStatus(
      await owner.patch(`/api/v1/orgs/${orgId}/waba-accounts/${broken.account.id}`, {
        accessToken: `EAAG-revoked-${randomDigits(20)}`,
      }),
      200,
    );
    const from = customer();
    const other = await customerWrites(from, 'Hi second number', broken);
    const refused = expectStatus(await reply(other.id, text('Hello!')), 202);
    const final = await settled(refused.id, 'failed');
    expect(final.error).toMatchObject({ code: 190 });
    const [row] = await api.dataSource.query('SELECT send_attempts FROM messages WHERE id = $1', [refused.id]);
    expect(row.send_attempts).toBe(1);
    expect(received(from)).toEqual([]);
  });

  it('never sends twice when a call times out: Meta’s status webhook names our message and completes it', async () => {
    const from = customer();
    const conversation = await customerWrites(from, 'Is my refund done?');
    await control('PUT', '/scenario', { latencyMs: 1_500 }); // longer than GRAPH_API_TIMEOUT_MS
    let id: string;
    try {
      id = expectStatus(await reply(conversation.id, text('Yes, refunded today.')), 202).id;
      await eventually(async () => received(from).length === 1, 10_000, 'the sandbox to take the send');
    } finally {
      await control('PUT', '/scenario', { latencyMs: 0 });
    }
    const read = await settled(id, 'read');
    expect(read.waMessageId).toBe(received(from)[0]?.id);
    // Past the lease and a few sweeps: still one message at Meta.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(received(from)).toHaveLength(1);
  });

  it('marks a conversation read: unread count to zero and blue ticks on the customer’s phone', async () => {
    const from = customer();
    await customerWrites(from, 'First');
    const conversation = await customerWrites(from, 'Second');
    expect(conversation.unreadCount).toBe(2);
    const marked = await owner.post(`/api/v1/orgs/${orgId}/conversations/${conversation.id}/read`);
    expect(marked.status).toBe(200);
    expect(marked.body.unreadCount).toBe(0);
    await eventually(
      async () =>
        sandbox.ctx.state.messages
          .filter((m) => m.direction === 'inbound' && m.waId === from)
          .every((m) => m.status === 'read'),
      10_000,
      'read receipts at the sandbox',
    );
  });

  it('keeps private notes on a conversation, never sent to the customer', async () => {
    const from = customer();
    const conversation = await customerWrites(from, 'I need an invoice');
    const note = await owner.post(`/api/v1/orgs/${orgId}/conversations/${conversation.id}/notes`, {
      body: '  Needs the company tax id on it.  ',
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({
      conversationId: conversation.id,
      authorId: owner.user.id,
      body: 'Needs the company tax id on it.',
    });
    const list = expectStatus(await owner.get(`/api/v1/orgs/${orgId}/conversations/${conversation.id}/notes`), 200);
    expect(list.data.map((n: { id: string }) => n.id)).toEqual([note.body.id]);
    expect(
      (await owner.post(`/api/v1/orgs/${orgId}/conversations/${conversation.id}/notes`, { body: ' ' })).status,
    ).toBe(400);
    expect(received(from)).toEqual([]);
  });

  it('opts a customer out on STOP (with a confirmation), refuses marketing to them, and opts them back in on START', async () => {
    const from = customer();
    const marketing = `promo_${randomDigits(6)}`;
    await approvedTemplate(marketing, 'Our winter sale starts today!', 'MARKETING');
    const conversation = await customerWrites(from, 'Stop');
    const contactOf = async () =>
      (
        await api.dataSource.query('SELECT opt_in_status, opt_in_source FROM contacts WHERE id = $1', [
          conversation.contact.id,
        ])
      )[0];
    await eventually(async () => (await contactOf()).opt_in_status === 'opted_out', 10_000, 'opt-out');
    expect((await contactOf()).opt_in_source).toBe('whatsapp_keyword');
    await eventually(async () => received(from).some((m) => /unsubscribed/.test(m.body)), 10_000, 'the confirmation');
    // Stored in the transaction of the customer's message, the confirmation still comes after it.
    const history = expectStatus(
      await owner.get(`/api/v1/orgs/${orgId}/conversations/${conversation.id}/messages`),
      200,
    ).data;
    expect(history.map((m: { direction: string }) => m.direction)).toEqual(['outbound', 'inbound']);

    const refused = await reply(conversation.id, {
      type: 'template',
      template: { name: marketing, language: { code: 'en_US' } },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('contact_opted_out');
    // Only the customer undoes their own opt-out: not an agent, not an import.
    const overridden = await owner.patch(`/api/v1/orgs/${orgId}/contacts/${conversation.contact.id}`, {
      optInStatus: 'opted_in',
    });
    expect(overridden.status).toBe(422);
    expect(overridden.body.error).toMatchObject({ code: 'contact_opted_out', details: [{ field: 'optInStatus' }] });
    const csv = new FormData();
    csv.set('file', new Blob([`phone,opt_in\n+${from},yes\n`], { type: 'text/csv' }), 'contacts.csv');
    const imported = await fetch(`${api.baseUrl}/api/v1/orgs/${orgId}/contacts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}` },
      body: csv,
    });
    expect(imported.status).toBe(200);
    expect((await contactOf()).opt_in_status).toBe('opted_out');

    await customerWrites(from, 'START');
    await eventually(async () => (await contactOf()).opt_in_status === 'opted_in', 10_000, 'opt-in');
    await eventually(
      async () => received(from).some((m) => /subscribed again/.test(m.body)),
      10_000,
      'the confirmation',
    );
    expect(
      (await reply(conversation.id, { type: 'template', template: { name: marketing, language: { code: 'en_US' } } }))
        .status,
    ).toBe(202);
  });

  it('reacts to and quotes customer messages by our ids, sending Meta its own', async () => {
    const from = customer();
    const conversation = await customerWrites(from, 'Can I pay by pix?');
    const [theirs] = expectStatus(
      await owner.get(`/api/v1/orgs/${orgId}/conversations/${conversation.id}/messages`),
      200,
    ).data;
    const reaction = expectStatus(
      await reply(conversation.id, { type: 'reaction', reaction: { message_id: theirs.id, emoji: '👍' } }),
      202,
    );
    const quoted = expectStatus(
      await reply(conversation.id, { ...text('Yes, pix works.'), context: { message_id: theirs.id } }),
      202,
    );
    expect(quoted.context).toEqual({ messageId: theirs.id, waMessageId: theirs.waMessageId });
    await settled(reaction.id, 'sent');
    await settled(quoted.id, 'read');
    const sent = received(from);
    expect(sent.find((m) => m.type === 'reaction')?.payload).toMatchObject({
      reaction: { message_id: theirs.waMessageId, emoji: '👍' },
    });
    expect(sent.find((m) => m.type === 'text')?.payload).toMatchObject({ context: { message_id: theirs.waMessageId } });

    const stray = await reply(conversation.id, { ...text('?'), context: { message_id: randomUUID() } });
    expect(stray.status).toBe(400);
    expect(stray.body.error.details).toEqual([{ field: 'context.message_id', message: expect.any(String) }]);
  });

  it('sends an uploaded image: uploaded to Meta once, then referenced by Meta’s id', async () => {
    const from = customer();
    const conversation = await customerWrites(from, 'Send me a picture');
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const form = new FormData();
    form.set('file', new Blob([png], { type: 'image/png' }), 'dot.png');
    const uploaded = await fetch(`${api.baseUrl}/api/v1/orgs/${orgId}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}` },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const media = (await uploaded.json()) as { id: string };

    const first = expectStatus(
      await reply(conversation.id, { type: 'image', image: { id: media.id, caption: 'One' } }),
      202,
    );
    expect(first.media).toMatchObject({ id: media.id, kind: 'image', mimeType: 'image/png' });
    await settled(first.id, 'read');
    const second = expectStatus(
      await reply(conversation.id, { type: 'image', image: { id: media.id, caption: 'Two' } }),
      202,
    );
    await settled(second.id, 'read');
    const metaIds = received(from).map((m) => (m.payload['image'] as { id: string }).id);
    expect(metaIds).toHaveLength(2);
    expect(metaIds[0]).toBe(metaIds[1]); // uploaded once
    expect(metaIds[0]).not.toBe(media.id);
    expect(sandbox.ctx.state.media.get(metaIds[0] as string)?.data.equals(png)).toBe(true);

    const missing = await reply(conversation.id, { type: 'image', image: { id: randomUUID() } });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: 'media_not_accepted', details: [{ field: 'image.id' }] });
  });

  it('answers 202 while Redis is away, and the worker sends the message once the sweeper finds it', async () => {
    const from = customer();
    const conversation = await customerWrites(from, 'Hello from a bad moment');
    const realRedis = process.env['REDIS_URL'];
    process.env['REDIS_URL'] = 'redis://127.0.0.1:6390';
    const offline = await TestApi.start();
    if (realRedis === undefined) delete process.env['REDIS_URL'];
    else process.env['REDIS_URL'] = realRedis;
    try {
      const accepted = await offline.request(
        'POST',
        `/api/v1/orgs/${orgId}/conversations/${conversation.id}/messages`,
        {
          body: text('Still here!'),
          token: owner.accessToken,
        },
      );
      expect(accepted.status).toBe(202);
      expect(accepted.body.status).toBe('queued');
      await settled(accepted.body.id, 'read');
      expect(received(from).map((m) => m.body)).toEqual(['Still here!']);
    } finally {
      await offline.close();
    }
  });
});
