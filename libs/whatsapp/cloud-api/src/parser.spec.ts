import { InboundMessageEvent, parseWebhook, StatusEvent, WebhookParseError } from './parser';
import {
  BUTTON_REPLY,
  CUSTOMER,
  DELIVERED,
  FAILED_131047,
  IMAGE,
  inbound,
  messagesWebhook,
  METADATA,
  TEMPLATE_APPROVED,
  TEXT,
  WABA_ID,
} from './testing/webhook-fixtures';

const only = <T>(events: unknown[]): T => {
  expect(events).toHaveLength(1);
  return events[0] as T;
};

describe('parseWebhook', () => {
  describe("Meta's examples (CLOUD-API.md §2.6)", () => {
    it('(a) inbound text', () => {
      expect(only(parseWebhook(TEXT))).toEqual({
        kind: 'message',
        wabaId: WABA_ID,
        phoneNumberId: METADATA.phone_number_id,
        displayPhoneNumber: METADATA.display_phone_number,
        waMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        from: CUSTOMER,
        profileName: 'Sheena Nelson',
        timestamp: new Date(1749416383 * 1000),
        type: 'text',
        body: 'Does it come in another color?',
        media: null,
        context: null,
        reaction: null,
        reply: null,
        errors: [],
        raw: TEXT.entry[0]?.changes[0]?.value.messages[0],
      });
    });

    it('(b) inbound image: media id, type, hash and the caption as body', () => {
      const event = only<InboundMessageEvent>(parseWebhook(IMAGE));
      expect(event.body).toBe('Taj Mahal');
      expect(event.media).toEqual({
        kind: 'image',
        id: '1003383421387256',
        mimeType: 'image/jpeg',
        sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
        caption: 'Taj Mahal',
        filename: null,
        voice: false,
        animated: false,
      });
    });

    it('(c) interactive button reply with its context', () => {
      const event = only<InboundMessageEvent>(parseWebhook(BUTTON_REPLY));
      expect(event).toMatchObject({
        profileName: 'Pablo Morales',
        body: 'Change',
        reply: { source: 'button_reply', id: 'change-button', title: 'Change' },
        context: {
          waMessageId: 'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBJBM0Y4RUU0RUNFQkFDMjYzQUMA',
          from: '15550783881',
          forwarded: false,
        },
      });
    });

    it('(d) delivered status with pricing', () => {
      expect(only(parseWebhook(DELIVERED))).toMatchObject({
        kind: 'status',
        waMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA',
        status: 'delivered',
        timestamp: new Date(1750263773 * 1000),
        recipientId: CUSTOMER,
        pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' },
        conversationId: null,
        errors: [],
      });
    });

    it('(e) failed status keeps code, title and details', () => {
      const event = only<StatusEvent>(parseWebhook(FAILED_131047));
      expect(event.status).toBe('failed');
      expect(event.errors).toEqual([
        {
          code: 131047,
          title: 'Re-engagement message',
          details: 'More than 24 hours have passed since the recipient last replied to the sender number.',
        },
      ]);
    });

    it('(f) template status update', () => {
      expect(only(parseWebhook(TEMPLATE_APPROVED))).toEqual({
        kind: 'template_status',
        wabaId: WABA_ID,
        templateId: '1689556908129832',
        name: 'order_confirmation',
        language: 'en-US',
        event: 'APPROVED',
        reason: 'NONE',
        category: 'UTILITY',
        rejection: null,
        time: new Date(1751247548 * 1000),
      });
    });
  });

  describe('every inbound type reads well (§2.3)', () => {
    it.each([
      [
        { type: 'video', video: { id: 'v1', mime_type: 'video/mp4', sha256: 'x' } },
        '[Video]',
        { kind: 'video', id: 'v1' },
      ],
      [
        { type: 'audio', audio: { id: 'a1', mime_type: 'audio/ogg; codecs=opus', voice: true } },
        '[Voice message]',
        { kind: 'audio', voice: true },
      ],
      [{ type: 'audio', audio: { id: 'a2', mime_type: 'audio/mpeg' } }, '[Audio]', { kind: 'audio', voice: false }],
      [
        { type: 'document', document: { id: 'd1', filename: 'invoice.pdf', mime_type: 'application/pdf' } },
        'invoice.pdf',
        { kind: 'document', filename: 'invoice.pdf' },
      ],
      [
        { type: 'document', document: { id: 'd2', caption: 'Your quote', filename: 'q.pdf' } },
        'Your quote',
        { kind: 'document' },
      ],
      [
        { type: 'sticker', sticker: { id: 's1', mime_type: 'image/webp', animated: true } },
        '[Sticker]',
        { kind: 'sticker', animated: true },
      ],
    ])('media %#', (message, body, media) => {
      const event = only<InboundMessageEvent>(parseWebhook(inbound(message)));
      expect(event.body).toBe(body);
      expect(event.media).toMatchObject(media);
    });

    it.each([
      [
        { type: 'location', location: { latitude: 12.25, longitude: 43.9, name: 'Office', address: '1 Main St' } },
        '[Location] Office, 1 Main St',
      ],
      [{ type: 'location', location: { latitude: 12.25, longitude: 43.9 } }, '[Location] 12.25, 43.9'],
      [
        {
          type: 'contacts',
          contacts: [{ name: { formatted_name: 'Ana Lima' }, phones: [{ phone: '+55 11 9999', wa_id: '55119999' }] }],
        },
        '[Contact] Ana Lima',
      ],
      [
        {
          type: 'interactive',
          interactive: {
            type: 'list_reply',
            list_reply: { id: 'opt-2', title: 'Returns', description: 'How to return' },
          },
        },
        'Returns',
      ],
      [
        {
          type: 'interactive',
          interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: '{}' } },
        },
        'Sent',
      ],
      [
        {
          type: 'button',
          button: { payload: 'YES_PAYLOAD', text: 'Yes' },
          context: { from: '15550783881', id: 'wamid.tpl' },
        },
        'Yes',
      ],
      [{ type: 'reaction', reaction: { message_id: 'wamid.target', emoji: '😮' } }, 'Reacted 😮'],
      [{ type: 'reaction', reaction: { message_id: 'wamid.target', emoji: '' } }, 'Removed a reaction'],
      [
        {
          type: 'order',
          order: {
            catalog_id: 'c1',
            product_items: [{ product_retailer_id: 'p1', quantity: 2, item_price: 9.5, currency: 'USD' }],
          },
        },
        '[Order] 1 item',
      ],
      [
        { type: 'system', system: { body: 'User A changed from 1 to 2', wa_id: '2', type: 'user_changed_number' } },
        'User A changed from 1 to 2',
      ],
      [
        {
          type: 'unsupported',
          unsupported: { type: 'poll_update' },
          errors: [{ code: 131051, title: 'Message type unknown' }],
        },
        '[Unsupported message: poll_update]',
      ],
      [{ type: 'request_welcome' }, '[Opened the chat]'],
      [{ type: 'revoke', revoke: { original_message_id: 'wamid.old' } }, '[Message deleted]'],
      [
        {
          type: 'edit',
          edit: { original_message_id: 'wamid.old', message: { type: 'text', text: { body: 'fixed typo' } } },
        },
        'fixed typo',
      ],
      [{ type: 'poll', poll: {} }, '[poll]'],
    ])('%#: %j', (message, body) => {
      expect(only<InboundMessageEvent>(parseWebhook(inbound(message))).body).toBe(body);
    });

    it('links reactions, replies and quick replies to what they refer to', () => {
      const reaction = only<InboundMessageEvent>(
        parseWebhook(inbound({ type: 'reaction', reaction: { message_id: 'wamid.target', emoji: '' } })),
      );
      expect(reaction.reaction).toEqual({ waMessageId: 'wamid.target', emoji: null });
      const quick = only<InboundMessageEvent>(
        parseWebhook(
          inbound({
            type: 'button',
            button: { payload: 'STOP', text: 'Stop promotions' },
            context: { id: 'wamid.tpl' },
          }),
        ),
      );
      expect(quick.reply).toEqual({ source: 'quick_reply', id: 'STOP', title: 'Stop promotions' });
      expect(quick.context?.waMessageId).toBe('wamid.tpl');
      const errors = only<InboundMessageEvent>(
        parseWebhook(inbound({ type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] })),
      );
      expect(errors.errors).toEqual([{ code: 131051, title: 'Message type unknown', details: null }]);
      const forwarded = only<InboundMessageEvent>(
        parseWebhook(inbound({ type: 'text', text: { body: 'fwd' }, context: { frequently_forwarded: true } })),
      );
      expect(forwarded.context).toEqual({ waMessageId: null, from: null, forwarded: false, frequentlyForwarded: true });
    });
  });

  describe('batching and other fields', () => {
    it('yields every message and status of every change of every entry, in order', () => {
      const statuses = (n: number) =>
        Array.from({ length: n }, (_, i) => ({
          id: `wamid.s${i}`,
          status: 'sent',
          timestamp: '1',
          recipient_id: CUSTOMER,
        }));
      const payload = {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: 'waba-1',
            changes: [
              {
                field: 'messages',
                value: { messaging_product: 'whatsapp', metadata: METADATA, statuses: statuses(3) },
              },
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { ...METADATA, phone_number_id: 'pn-2' },
                  messages: [{ from: '1', id: 'wamid.m1', timestamp: '2', type: 'text', text: { body: 'hi' } }],
                },
              },
            ],
          },
          { id: 'waba-2', changes: [{ field: 'account_update', value: { event: 'ACCOUNT_RESTRICTION' } }] },
        ],
      };
      const events = parseWebhook(payload);
      expect(events.map((e) => [e.kind, e.wabaId])).toEqual([
        ['status', 'waba-1'],
        ['status', 'waba-1'],
        ['status', 'waba-1'],
        ['message', 'waba-1'],
        ['other', 'waba-2'],
      ]);
      expect(events[3]).toMatchObject({ phoneNumberId: 'pn-2', profileName: null });
      expect(events[4]).toEqual({
        kind: 'other',
        wabaId: 'waba-2',
        field: 'account_update',
        value: { event: 'ACCOUNT_RESTRICTION' },
      });
    });

    it('handles v23 statuses with conversation, `played`, and app-level errors', () => {
      const events = parseWebhook(
        messagesWebhook({
          statuses: [
            {
              id: 'wamid.a',
              status: 'sent',
              timestamp: '1',
              recipient_id: CUSTOMER,
              conversation: { id: 'conv-1', expiration_timestamp: '9', origin: { type: 'service' } },
            },
            { id: 'wamid.b', status: 'played', timestamp: '2', recipient_id: CUSTOMER },
          ],
          errors: [
            {
              code: 130429,
              title: 'Rate limit hit',
              error_data: { details: 'Cloud API message throughput has been reached.' },
            },
          ],
        }),
      );
      expect(events).toMatchObject([
        { kind: 'status', status: 'sent', conversationId: 'conv-1' },
        { kind: 'status', status: 'played' },
        {
          kind: 'error',
          phoneNumberId: METADATA.phone_number_id,
          errors: [
            { code: 130429, title: 'Rate limit hit', details: 'Cloud API message throughput has been reached.' },
          ],
        },
      ]);
    });

    it('parses template quality, category and rejection updates', () => {
      const change = (field: string, value: Record<string, unknown>) => ({
        object: 'whatsapp_business_account',
        entry: [{ id: WABA_ID, time: 1, changes: [{ field, value }] }],
      });
      const template = { message_template_id: 42, message_template_name: 'promo', message_template_language: 'pt_BR' };
      expect(
        parseWebhook(
          change('message_template_quality_update', {
            ...template,
            previous_quality_score: 'GREEN',
            new_quality_score: 'YELLOW',
          }),
        ),
      ).toEqual([
        {
          kind: 'template_quality',
          wabaId: WABA_ID,
          templateId: '42',
          name: 'promo',
          language: 'pt_BR',
          previousScore: 'GREEN',
          newScore: 'YELLOW',
        },
      ]);
      expect(
        parseWebhook(
          change('template_category_update', { ...template, new_category: 'MARKETING', previous_category: 'UTILITY' }),
        ),
      ).toEqual([
        {
          kind: 'template_category',
          wabaId: WABA_ID,
          templateId: '42',
          name: 'promo',
          language: 'pt_BR',
          newCategory: 'MARKETING',
          previousCategory: 'UTILITY',
        },
      ]);
      const rejected = parseWebhook(
        change('message_template_status_update', {
          ...template,
          event: 'REJECTED',
          reason: 'INVALID_FORMAT',
          rejection_info: { reason: 'Too many variables', recommendation: 'Add text' },
        }),
      );
      expect(rejected[0]).toMatchObject({
        event: 'REJECTED',
        reason: 'INVALID_FORMAT',
        rejection: { reason: 'Too many variables', recommendation: 'Add text' },
      });
    });

    it('skips pieces it cannot use and refuses what is not a webhook', () => {
      const events = parseWebhook(
        messagesWebhook({ messages: [{ from: '1', type: 'text' }, null], statuses: [{ status: 'sent' }] }),
      );
      expect(events).toEqual([]);
      for (const bad of [null, 'text', [], { object: 'page' }, { entry: {} }])
        expect(() => parseWebhook(bad)).toThrow(WebhookParseError);
    });
  });
});
