import { describeInbound, InboundMessage } from '@parley/whatsapp/cloud-api';
import type { SandboxContext } from './context';
import { digits } from './outbound';
import type { MediaType } from '@parley/whatsapp/cloud-api';
import { wamid } from './state';

/** Tiny but real files, so a platform that downloads inbound media gets something it can store and show. */
const SAMPLES: Record<MediaType, { mimeType: string; filename: string; data: Buffer }> = {
  image: {
    mimeType: 'image/png',
    filename: 'photo.png',
    data: Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    ),
  },
  document: {
    mimeType: 'application/pdf',
    filename: 'document.pdf',
    data: Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    ),
  },
  audio: { mimeType: 'audio/ogg', filename: 'voice.ogg', data: Buffer.from('OggS\0\x02sandbox-voice-note') },
  video: { mimeType: 'video/mp4', filename: 'video.mp4', data: Buffer.from('\0\0\0\x18ftypmp42sandbox-video') },
  sticker: {
    mimeType: 'image/webp',
    filename: 'sticker.webp',
    data: Buffer.from('RIFF\x1a\0\0\0WEBPVP8 sandbox-sticker'),
  },
};

export interface InboundRequest {
  phoneNumberId: string;
  from: string;
  name?: string;
  type: string;
  /** The type's object as Meta sends it; for media, optional `dataBase64`, `mimeType` and `filename` choose the file. */
  [key: string]: unknown;
}

/**
 * A simulated customer sends a message: it is stored in their chat, opens the customer service
 * window, and reaches the platform as Meta's webhook. Returns the message as sent.
 */
export function sendInbound(ctx: SandboxContext, request: InboundRequest): InboundMessage {
  const number = ctx.state.numbers.get(request.phoneNumberId);
  const waba = number && ctx.state.wabas.get(number.wabaId);
  if (!number || !waba) throw new Error(`unknown phone number ${request.phoneNumberId}`);
  const from = digits(request.from);
  const customer = ctx.state.customer(from, request.name);
  const now = Date.now();
  const { phoneNumberId: _p, from: _f, name: _n, type, ...rest } = request;
  const message: InboundMessage = {
    from,
    id: wamid(),
    timestamp: String(Math.floor(now / 1000)),
    type,
    ...(rest as Partial<InboundMessage>),
  };

  if (type in SAMPLES) {
    const kind = type as MediaType;
    const given = (rest[kind] ?? {}) as {
      dataBase64?: string;
      mimeType?: string;
      filename?: string;
      caption?: string;
      voice?: boolean;
      animated?: boolean;
    };
    const sample = SAMPLES[kind];
    const data = given.dataBase64 ? Buffer.from(given.dataBase64, 'base64') : sample.data;
    const mimeType = given.mimeType ?? sample.mimeType;
    const filename = kind === 'document' ? (given.filename ?? sample.filename) : null;
    const item = ctx.state.addMedia(number.phoneNumberId, data, mimeType, filename);
    message[kind] = {
      id: item.id,
      mime_type: kind === 'audio' && given.voice ? 'audio/ogg; codecs=opus' : mimeType,
      sha256: item.sha256,
      ...(given.caption && { caption: given.caption }),
      ...(filename && { filename }),
      ...(kind === 'audio' && { voice: given.voice === true }),
      ...(kind === 'sticker' && { animated: given.animated === true }),
    };
  }
  if ((type === 'interactive' || type === 'button') && !message.context) {
    // A reply to buttons quotes the business message that offered them.
    const offered = [...ctx.state.messages]
      .reverse()
      .find((m) => m.direction === 'outbound' && m.waId === from && m.phoneNumberId === number.phoneNumberId);
    if (offered) message.context = { from: digits(number.displayPhoneNumber), id: offered.id };
  }

  customer.lastInboundAt.set(number.phoneNumberId, now);
  ctx.state.record({
    id: message.id,
    phoneNumberId: number.phoneNumberId,
    waId: from,
    direction: 'inbound',
    type,
    payload: message as unknown as Record<string, unknown>,
    body: describeInbound(message),
    status: 'received',
    error: null,
    timestamp: now,
  });
  ctx.webhooks.send(waba, [
    {
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: digits(number.displayPhoneNumber), phone_number_id: number.phoneNumberId },
        contacts: [{ profile: { name: customer.name }, wa_id: from }],
        messages: [message],
      },
    },
  ]);
  return message;
}
