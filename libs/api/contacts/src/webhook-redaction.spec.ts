import type { JsonObject } from '@parley/api/core';
import { ERASED, redactWebhookPayload } from './webhook-redaction';

interface Item {
  id?: string;
  contacts: [{ phones: [{ wa_id: string }] }];
}
interface Value {
  metadata: JsonObject;
  contacts: JsonObject[];
  messages: Item[];
  statuses: Item[];
}
const valueOf = (payload: unknown) =>
  (payload as { entry: [{ changes: [{ value: Value }] }] }).entry[0].changes[0].value;

const erased = '5511987651001';
const other = '14155551002';

/** A batched webhook: two customers' messages, and a status of a message to the erased one. */
const webhook: JsonObject = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550100001', phone_number_id: '106540352242922' },
            contacts: [
              { profile: { name: 'Maria Souza' }, wa_id: erased },
              { profile: { name: 'John Carter' }, wa_id: other },
            ],
            messages: [
              { from: erased, id: 'wamid.1', type: 'text', text: { body: 'my address is Rua A, 1' } },
              {
                from: other,
                id: 'wamid.2',
                type: 'contacts',
                contacts: [{ name: { formatted_name: 'Maria' }, phones: [{ phone: '+55 11', wa_id: erased }] }],
              },
            ],
            statuses: [
              { id: 'wamid.3', status: 'read', recipient_id: erased },
              { id: 'wamid.4', status: 'read', recipient_id: other },
            ],
          },
        },
      ],
    },
  ],
};

describe('redactWebhookPayload', () => {
  const redacted = redactWebhookPayload(webhook, erased);
  const text = JSON.stringify(redacted);

  it('leaves nothing about the erased person', () => {
    expect(text).not.toContain(erased);
    expect(text).not.toContain('Maria Souza');
    expect(text).not.toContain('Rua A');
  });

  it("keeps everyone else's messages and statuses, so the event still replays for them", () => {
    const value = valueOf(redacted);
    expect(value.contacts).toEqual([{ profile: { name: 'John Carter' }, wa_id: other }]);
    expect(value.messages.map((m) => m.id)).toEqual(['wamid.2']);
    expect(value.statuses.map((s) => s.id)).toEqual(['wamid.4']);
    expect((value.messages as [Item])[0].contacts[0].phones[0].wa_id).toBe(ERASED);
    expect(value.metadata).toEqual(valueOf(webhook).metadata);
  });

  it('returns a payload that never mentioned the person unchanged', () => {
    expect(redactWebhookPayload(webhook, '447700901003')).toEqual(webhook);
  });
});
