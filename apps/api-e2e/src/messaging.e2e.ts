/* eslint-disable @typescript-eslint/no-explicit-any -- black-box tests read JSON bodies loosely */
import { signPayload } from '@parley/whatsapp/cloud-api';
import { createHash, randomUUID } from 'node:crypto';
import { customerSends, digits, eventually, expectStatus, setUpWorld, storedMessage, World } from './support/client';
import { readState } from '@parley/testing/platform';

/** A customer's WhatsApp id no other test uses. */
const customer = () => `55119${digits(8)}`;

describe('messaging, end to end (api ×2, worker and sandbox as processes)', () => {
  let world: World;

  /** What the business sent to a customer, as the sandbox (Meta) recorded it. */
  const sentTo = async (waId: string): Promise<any[]> =>
    (await world.sandbox.get(`/_sandbox/messages?to=${waId}&direction=outbound`)).body.data;
  /** Plays Meta by hand: a signed webhook POST carrying `value` for our number. */
  const webhook = (value: Record<string, unknown>, signature?: string) => {
    const json = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: world.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550100042', phone_number_id: world.phoneNumberId },
                ...value,
              },
            },
          ],
        },
      ],
    });
    return world.api.request('POST', `/api/v1/webhooks/whatsapp/${world.accountId}`, {
      raw: json,
      headers: { 'x-hub-signature-256': signature ?? signPayload(json, world.appSecret) },
    });
  };
  const eventCount = async () => {
    let count = 0;
    let cursor: string | null = null;
    do {
      const page: any = (
        await world.api.get(`${world.org}/webhook-events?limit=100${cursor ? `&cursor=${cursor}` : ''}`)
      ).body;
      count += page.data.length;
      cursor = page.nextCursor;
    } while (cursor);
    return count;
  };
  const settled = (id: string, status: string) =>
    eventually(async () => {
      const message = (await world.api2.get(`${world.org}/messages/${id}`)).body;
      return message.status === status && message;
    }, `message ${id} ${status}`);

  beforeAll(async () => {
    world = await setUpWorld(readState());
    expectStatus(
      await world.sandbox.request('PUT', '/_sandbox/scenario', {
        body: { statusDelaysMs: { sent: 30, delivered: 100, read: 200 }, templateReviewDelayMs: 100 },
      }),
      200,
    );
  });

  it('receives every inbound type and shows each readably, with media downloaded and served', async () => {
    const from = customer();
    const text = await customerSends(world, from, { type: 'text', text: 'Oi! Vocês entregam amanhã?' });
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'image', image: { caption: 'Is this the one?' } }, 'Is this the one?'],
      [{ type: 'document', document: { filename: 'invoice.pdf' } }, 'invoice.pdf'],
      [{ type: 'audio', audio: { voice: true } }, '[Voice message]'],
      [{ type: 'video', video: {} }, '[Video]'],
      [{ type: 'sticker', sticker: {} }, '[Sticker]'],
      [
        {
          type: 'location',
          location: { latitude: -23.56, longitude: -46.69, name: 'Loja Pinheiros', address: 'Rua dos Pinheiros 10' },
        },
        '[Location] Loja Pinheiros, Rua dos Pinheiros 10',
      ],
      [
        {
          type: 'contacts',
          contacts: [{ name: { formatted_name: 'Ana Lima' }, phones: [{ phone: '+5511999990000' }] }],
        },
        '[Contact] Ana Lima',
      ],
      [
        {
          type: 'interactive',
          interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes please' } },
        },
        'Yes please',
      ],
      [
        { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'size_m', title: 'Size M' } } },
        'Size M',
      ],
      [{ type: 'button', button: { payload: 'TRACK', text: 'Track my order' } }, 'Track my order'],
    ];
    for (const [message, readable] of cases) {
      const sent = await customerSends(world, from, message);
      const stored = await storedMessage(world, from, sent.id);
      expect({ type: stored.type, body: stored.body }).toEqual({ type: message['type'], body: readable });
    }
    await customerSends(world, from, { type: 'reaction', reaction: { message_id: text.id, emoji: '❤️' } });
    const reacted = await eventually(async () => {
      const message = await storedMessage(world, from, text.id);
      return message.reactions.length === 1 && message;
    }, 'the reaction');
    expect(reacted.reactions).toEqual([{ emoji: '❤️', by: 'contact', at: expect.any(String) }]);

    const image = await storedMessage(world, from, (await sentOf(from, 'image')).id);
    const media = await eventually(async () => {
      const message = (await world.api.get(`${world.org}/messages/${image.id}`)).body;
      return message.media?.status === 'stored' && message.media;
    }, 'the image downloaded');
    const content = await fetch(`${world.api2.baseUrl}${media.url}`, {
      headers: { authorization: `Bearer ${world.api.token}` },
    });
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await content.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('base64')).toBe(media.sha256);
  });

  /** The customer's own message of a type, as the sandbox recorded it. */
  async function sentOf(from: string, type: string): Promise<any> {
    const chat = (await world.sandbox.get(`/_sandbox/chats/${world.phoneNumberId}/${from}`)).body.data;
    return chat.find((m: { direction: string; type: string }) => m.direction === 'inbound' && m.type === type);
  }

  it('delivers a reply to the customer, and its ticks go sent → delivered → read', async () => {
    const from = customer();
    const hello = await customerSends(world, from, { type: 'text', text: 'Do you have it in blue?' });
    const theirs = await storedMessage(world, from, hello.id);
    const reply = expectStatus(
      await world.api2.post(`${world.org}/conversations/${theirs.conversationId}/messages`, {
        type: 'text',
        text: { body: 'Yes, in every size.' },
      }),
      202,
    );
    expect(reply.status).toBe('queued');
    const read = await settled(reply.id, 'read');
    const [atMeta] = await sentTo(from);
    expect(atMeta).toMatchObject({ id: read.waMessageId, body: 'Yes, in every size.', status: 'read' });
    expect([read.sentAt, read.deliveredAt, read.readAt].every(Boolean)).toBe(true);
  });

  it('stores a webhook Meta delivers three times as one message', async () => {
    const from = customer();
    const id = `wamid.${randomUUID()}`;
    const value = {
      contacts: [{ profile: { name: 'Triple' }, wa_id: from }],
      messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'once' } }],
    };
    for (let i = 0; i < 3; i += 1) expect((await webhook(value)).status).toBe(200);
    const stored = await storedMessage(world, from, id);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // every copy processed by now
    const messages = (await world.api.get(`${world.org}/conversations/${stored.conversationId}/messages`)).body.data;
    expect(messages.map((m: { waMessageId: string }) => m.waMessageId)).toEqual([id]);
  });

  it('ends at read when Meta reports the statuses out of order', async () => {
    expectStatus(await world.sandbox.request('PUT', '/_sandbox/scenario', { body: { reorderStatuses: true } }), 200);
    try {
      const from = customer();
      const hello = await customerSends(world, from, { type: 'text', text: 'Hi' });
      const theirs = await storedMessage(world, from, hello.id);
      const reply = expectStatus(
        await world.api.post(`${world.org}/conversations/${theirs.conversationId}/messages`, {
          type: 'text',
          text: { body: 'Hello!' },
        }),
        202,
      );
      const read = await settled(reply.id, 'read');
      await new Promise((resolve) => setTimeout(resolve, 600)); // the late `sent` and `delivered` arrive
      expect((await world.api.get(`${world.org}/messages/${read.id}`)).body.status).toBe('read');
    } finally {
      await world.sandbox.request('PUT', '/_sandbox/scenario', { body: { reorderStatuses: false } });
    }
  });

  it('refuses a bad signature (401) and malformed JSON (400), storing nothing', async () => {
    const before = await eventCount();
    const forged = await webhook({ statuses: [] }, `sha256=${'0'.repeat(64)}`);
    expect(forged.status).toBe(401);
    const unsigned = await world.api.request('POST', `/api/v1/webhooks/whatsapp/${world.accountId}`, { raw: '{}' });
    expect(unsigned.status).toBe(401);
    const broken = '{"object": "whatsapp_business_account", "entry": [';
    const malformed = await world.api.request('POST', `/api/v1/webhooks/whatsapp/${world.accountId}`, {
      raw: broken,
      headers: { 'x-hub-signature-256': signPayload(broken, world.appSecret) },
    });
    expect(malformed.status).toBe(400);
    expect(await eventCount()).toBe(before);
  });

  it('refuses free-form messages outside the window (422) and template sends whose parameters do not match', async () => {
    const to = `+1415555${digits(4)}`;
    const freeForm = await world.api.post(`${world.org}/messages`, { to, type: 'text', text: { body: 'Hi!' } });
    expect(freeForm.status).toBe(422);
    expect(freeForm.body.error.code).toBe('OUTSIDE_CUSTOMER_SERVICE_WINDOW');

    const name = `welcome_${digits(6)}`;
    const created = await fetch(`${world.sandbox.baseUrl}/v23.0/${world.wabaId}/message_templates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        category: 'UTILITY',
        language: 'en_US',
        components: [{ type: 'BODY', text: 'Welcome, {{1}}! Your code is {{2}}.' }],
      }),
    });
    expect(created.status).toBe(200);
    await eventually(async () => {
      const templates = (await world.api.get(`${world.org}/templates?name=${name}`)).body.data;
      return templates[0]?.status === 'APPROVED';
    }, 'template approval');
    const template = (parameters: string[]) => ({
      to,
      type: 'template',
      template: {
        name,
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }],
      },
    });
    const mismatch = await world.api.post(`${world.org}/messages`, template(['Ana']));
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error).toMatchObject({
      code: 'template_parameter_mismatch',
      details: [{ field: 'template.components.body.parameters' }],
    });
    const accepted = expectStatus(await world.api.post(`${world.org}/messages`, template(['Ana', '4242'])), 202);
    await settled(accepted.id, 'read');
    expect((await sentTo(to.slice(1))).map((m) => m.body)).toEqual(['Welcome, Ana! Your code is 4242.']);
  });
});
