/** Webhook bodies from CLOUD-API.md §2.6 (Meta's own examples) and built from §2.3's shapes, for tests. */

export const WABA_ID = '102290129340398';
export const METADATA = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };
export const CUSTOMER = '16505551234';

/** One `messages` change carrying `value`. */
export function messagesWebhook(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WABA_ID,
        changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: METADATA, ...value } }],
      },
    ],
  };
}

/** An inbound message of any type from the customer, with their profile. */
export function inbound(message: Record<string, unknown>, name = 'Sheena Nelson') {
  return messagesWebhook({
    contacts: [{ profile: { name }, wa_id: CUSTOMER }],
    messages: [
      { from: CUSTOMER, id: `wamid.${Math.random().toString(36).slice(2)}`, timestamp: '1749416383', ...message },
    ],
  });
}

/** §2.6 (a): inbound text, verbatim. */
export const TEXT = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
            contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
            messages: [
              {
                from: '16505551234',
                id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
                timestamp: '1749416383',
                type: 'text',
                text: { body: 'Does it come in another color?' },
              },
            ],
          },
        },
      ],
    },
  ],
};

/** §2.6 (b): inbound image. */
export const IMAGE = inbound({
  type: 'image',
  image: {
    caption: 'Taj Mahal',
    mime_type: 'image/jpeg',
    sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
    id: '1003383421387256',
    url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=133',
  },
});

/** §2.6 (c): interactive button reply to one of our messages. */
export const BUTTON_REPLY = inbound(
  {
    context: { from: '15550783881', id: 'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBJBM0Y4RUU0RUNFQkFDMjYzQUMA' },
    type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id: 'change-button', title: 'Change' } },
  },
  'Pablo Morales',
);

/** §2.6 (d): delivered, per-message pricing, v24+ (no conversation). */
export const DELIVERED = messagesWebhook({
  statuses: [
    {
      id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA',
      status: 'delivered',
      timestamp: '1750263773',
      recipient_id: '16505551234',
      pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' },
    },
  ],
});

/** §2.6 (e): failed outside the customer service window. */
export const FAILED_131047 = messagesWebhook({
  statuses: [
    {
      id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA',
      status: 'failed',
      timestamp: '1751142888',
      recipient_id: '16505551234',
      errors: [
        {
          code: 131047,
          title: 'Re-engagement message',
          message: 'Re-engagement message',
          error_data: {
            details: 'More than 24 hours have passed since the recipient last replied to the sender number.',
          },
          href: '/documentation/business-messaging/whatsapp/support/error-codes',
        },
      ],
    },
  ],
});

/** §2.6 (f): template approved. */
export const TEMPLATE_APPROVED = {
  entry: [
    {
      id: '102290129340398',
      time: 1751247548,
      changes: [
        {
          value: {
            event: 'APPROVED',
            message_template_id: 1689556908129832,
            message_template_name: 'order_confirmation',
            message_template_language: 'en-US',
            reason: 'NONE',
            message_template_category: 'UTILITY',
          },
          field: 'message_template_status_update',
        },
      ],
    },
  ],
  object: 'whatsapp_business_account',
};
