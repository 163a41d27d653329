import type {
  DeliveryStatus,
  InboundMessage,
  MediaObject,
  MessagesValue,
  MetaErrorItem,
  Pricing,
  StatusUpdate,
  TemplateCategoryValue,
  TemplateQualityValue,
  TemplateStatusValue,
  WebhookContact,
} from './types/webhook';
import { MEDIA_TYPES, MediaType } from './types/webhook';

export interface MetaErrorSummary {
  code: number;
  title: string;
  details: string | null;
}

export interface InboundMedia {
  kind: MediaType;
  id: string;
  mimeType: string | null;
  sha256: string | null;
  caption: string | null;
  filename: string | null;
  voice: boolean;
  animated: boolean;
}

export interface InboundMessageEvent {
  kind: 'message';
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  waMessageId: string;
  /** The customer's WhatsApp id (digits). */
  from: string;
  /** The customer's profile name, from `contacts[]`. */
  profileName: string | null;
  timestamp: Date;
  type: string;
  /** A readable rendering of any type, for lists, previews and search. */
  body: string;
  media: InboundMedia | null;
  context: { waMessageId: string | null; from: string | null; forwarded: boolean; frequentlyForwarded: boolean } | null;
  /** For `reaction`: the message reacted to, and the emoji (null when the reaction was removed). */
  reaction: { waMessageId: string; emoji: string | null } | null;
  /** For button, list and template quick-reply taps: what was chosen. */
  reply: { source: 'button_reply' | 'list_reply' | 'quick_reply' | 'flow'; id: string; title: string } | null;
  errors: MetaErrorSummary[];
  raw: InboundMessage;
}

export interface StatusEvent {
  kind: 'status';
  wabaId: string;
  phoneNumberId: string;
  waMessageId: string;
  status: DeliveryStatus;
  timestamp: Date;
  recipientId: string;
  pricing: Pricing | null;
  conversationId: string | null;
  /** What the sender put in `biz_opaque_callback_data`, echoed by Meta. */
  bizOpaqueCallbackData: string | null;
  errors: MetaErrorSummary[];
  raw: StatusUpdate;
}

export interface TemplateStatusEvent {
  kind: 'template_status';
  wabaId: string;
  templateId: string;
  name: string;
  language: string;
  event: string;
  reason: string | null;
  category: string | null;
  rejection: { reason: string | null; recommendation: string | null } | null;
  time: Date | null;
}

export interface TemplateQualityEvent {
  kind: 'template_quality';
  wabaId: string;
  templateId: string;
  name: string;
  language: string;
  previousScore: string | null;
  newScore: string;
}

export interface TemplateCategoryEvent {
  kind: 'template_category';
  wabaId: string;
  templateId: string;
  name: string;
  language: string;
  newCategory: string;
  previousCategory: string | null;
}

/** `value.errors[]` of a messages change: a system or app problem not tied to one message. */
export interface ErrorEvent {
  kind: 'error';
  wabaId: string;
  phoneNumberId: string | null;
  errors: MetaErrorSummary[];
}

/** Any other field (account_update, phone_number_quality_update, ...), kept as Meta sent it. */
export interface OtherEvent {
  kind: 'other';
  wabaId: string;
  field: string;
  value: unknown;
}

export type WebhookEvent =
  | InboundMessageEvent
  | StatusEvent
  | TemplateStatusEvent
  | TemplateQualityEvent
  | TemplateCategoryEvent
  | ErrorEvent
  | OtherEvent;

export class WebhookParseError extends Error {
  override readonly name = 'WebhookParseError';
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asString = (value: unknown): string | null =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
const fromUnixSeconds = (value: unknown): Date => {
  const seconds = Number(value);
  return Number.isFinite(seconds) ? new Date(seconds * 1000) : new Date(0);
};

function summarizeErrors(errors: unknown): MetaErrorSummary[] {
  if (!Array.isArray(errors)) return [];
  return errors.filter(isObject).map((error) => {
    const item = error as unknown as MetaErrorItem;
    return {
      code: Number(item.code),
      title: item.title ?? item.message ?? 'Unknown error',
      details: item.error_data?.details ?? null,
    };
  });
}

/**
 * Turns one webhook POST into its events: every entry, every change, every message, status and
 * error. Throws `WebhookParseError` only when the envelope is not Meta's; unknown fields and types
 * pass through (as `other` events, or messages with a generic body).
 */
export function parseWebhook(payload: unknown): WebhookEvent[] {
  if (!isObject(payload) || !Array.isArray(payload['entry'])) {
    throw new WebhookParseError('not a WhatsApp webhook: expected { object, entry: [...] }');
  }
  const events: WebhookEvent[] = [];
  for (const entry of payload['entry']) {
    if (!isObject(entry) || !Array.isArray(entry['changes'])) continue;
    const wabaId = asString(entry['id']) ?? '';
    const time = entry['time'] === undefined ? null : fromUnixSeconds(entry['time']);
    for (const change of entry['changes']) {
      if (!isObject(change) || typeof change['field'] !== 'string' || !isObject(change['value'])) continue;
      events.push(...parseChange(wabaId, time, change['field'], change['value']));
    }
  }
  return events;
}

/** The fields every template webhook names its template by. */
function templateRef(value: {
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
}) {
  return {
    templateId: String(value.message_template_id),
    name: value.message_template_name,
    language: value.message_template_language,
  };
}

function parseChange(wabaId: string, time: Date | null, field: string, value: Record<string, unknown>): WebhookEvent[] {
  switch (field) {
    case 'messages':
      return parseMessagesValue(wabaId, value as unknown as MessagesValue);
    case 'message_template_status_update': {
      const v = value as unknown as TemplateStatusValue;
      return [
        {
          kind: 'template_status',
          wabaId,
          ...templateRef(v),
          event: v.event,
          reason: v.reason ?? null,
          category: v.message_template_category ?? null,
          rejection: v.rejection_info
            ? { reason: v.rejection_info.reason ?? null, recommendation: v.rejection_info.recommendation ?? null }
            : null,
          time,
        },
      ];
    }
    case 'message_template_quality_update': {
      const v = value as unknown as TemplateQualityValue;
      return [
        {
          kind: 'template_quality',
          wabaId,
          ...templateRef(v),
          previousScore: v.previous_quality_score ?? null,
          newScore: v.new_quality_score,
        },
      ];
    }
    case 'template_category_update': {
      const v = value as unknown as TemplateCategoryValue;
      return [
        {
          kind: 'template_category',
          wabaId,
          ...templateRef(v),
          newCategory: v.new_category,
          previousCategory: v.previous_category ?? v.correct_category ?? null,
        },
      ];
    }
    default:
      return [{ kind: 'other', wabaId, field, value }];
  }
}

function parseMessagesValue(wabaId: string, value: MessagesValue): WebhookEvent[] {
  const phoneNumberId = asString(value.metadata?.phone_number_id) ?? '';
  const displayPhoneNumber = asString(value.metadata?.display_phone_number) ?? '';
  const events: WebhookEvent[] = [];
  const names = new Map<string, string>();
  for (const contact of (Array.isArray(value.contacts) ? value.contacts : []) as WebhookContact[]) {
    if (contact?.wa_id && contact.profile?.name) names.set(contact.wa_id, contact.profile.name);
  }
  for (const message of Array.isArray(value.messages) ? value.messages : []) {
    if (!isObject(message) || typeof message.id !== 'string' || typeof message.from !== 'string') continue;
    events.push(toMessageEvent(wabaId, phoneNumberId, displayPhoneNumber, message, names.get(message.from) ?? null));
  }
  for (const status of Array.isArray(value.statuses) ? value.statuses : []) {
    if (!isObject(status) || typeof status.id !== 'string' || typeof status.status !== 'string') continue;
    events.push({
      kind: 'status',
      wabaId,
      phoneNumberId,
      waMessageId: status.id,
      status: status.status as DeliveryStatus,
      timestamp: fromUnixSeconds(status.timestamp),
      recipientId: asString(status.recipient_id) ?? '',
      pricing: status.pricing ?? null,
      conversationId: status.conversation?.id ?? null,
      bizOpaqueCallbackData: asString(status.biz_opaque_callback_data),
      errors: summarizeErrors(status.errors),
      raw: status,
    });
  }
  const errors = summarizeErrors(value.errors);
  if (errors.length > 0) events.push({ kind: 'error', wabaId, phoneNumberId: phoneNumberId || null, errors });
  return events;
}

function toMessageEvent(
  wabaId: string,
  phoneNumberId: string,
  displayPhoneNumber: string,
  message: InboundMessage,
  profileName: string | null,
): InboundMessageEvent {
  const context = message.context
    ? {
        waMessageId: message.context.id ?? null,
        from: message.context.from ?? null,
        forwarded: message.context.forwarded === true,
        frequentlyForwarded: message.context.frequently_forwarded === true,
      }
    : null;
  return {
    kind: 'message',
    wabaId,
    phoneNumberId,
    displayPhoneNumber,
    waMessageId: message.id,
    from: message.from,
    profileName,
    timestamp: fromUnixSeconds(message.timestamp),
    type: message.type,
    body: describeInbound(message),
    media: mediaOf(message),
    context,
    reaction:
      message.type === 'reaction' && message.reaction
        ? { waMessageId: message.reaction.message_id, emoji: message.reaction.emoji || null }
        : null,
    reply: replyOf(message),
    errors: summarizeErrors(message.errors),
    raw: message,
  };
}

function mediaOf(message: InboundMessage): InboundMedia | null {
  const kind = MEDIA_TYPES.find((type) => type === message.type);
  const media: MediaObject | undefined = kind ? message[kind] : undefined;
  if (!kind || !media?.id) return null;
  return {
    kind,
    id: media.id,
    mimeType: media.mime_type ?? null,
    sha256: media.sha256 ?? null,
    caption: media.caption ?? null,
    filename: media.filename ?? null,
    voice: media.voice === true,
    animated: media.animated === true,
  };
}

function replyOf(message: InboundMessage): InboundMessageEvent['reply'] {
  if (message.type === 'button' && message.button) {
    return { source: 'quick_reply', id: message.button.payload, title: message.button.text };
  }
  const interactive = message.interactive;
  if (message.type !== 'interactive' || !interactive) return null;
  if (interactive.type === 'button_reply' && isObject(interactive['button_reply'])) {
    const reply = interactive['button_reply'] as { id: string; title: string };
    return { source: 'button_reply', id: reply.id, title: reply.title };
  }
  if (interactive.type === 'list_reply' && isObject(interactive['list_reply'])) {
    const reply = interactive['list_reply'] as { id: string; title: string };
    return { source: 'list_reply', id: reply.id, title: reply.title };
  }
  if (interactive.type === 'nfm_reply' && isObject(interactive['nfm_reply'])) {
    const reply = interactive['nfm_reply'] as { name?: string; body?: string };
    return { source: 'flow', id: reply.name ?? 'flow', title: reply.body ?? 'Sent' };
  }
  return null;
}

const MEDIA_LABELS: Record<MediaType, string> = {
  image: 'Photo',
  video: 'Video',
  audio: 'Audio',
  document: 'Document',
  sticker: 'Sticker',
};

/** How an inbound message reads in a list or a notification, whatever its type. */
export function describeInbound(message: InboundMessage): string {
  switch (message.type) {
    case 'text':
      return message.text?.body ?? '';
    case 'image':
    case 'video':
    case 'document': {
      const media = message[message.type];
      return media?.caption || media?.filename || `[${MEDIA_LABELS[message.type]}]`;
    }
    case 'audio':
      return message.audio?.voice ? '[Voice message]' : '[Audio]';
    case 'sticker':
      return '[Sticker]';
    case 'location': {
      const location = message.location;
      const label = [location?.name, location?.address].filter(Boolean).join(', ');
      return `[Location] ${label || `${location?.latitude}, ${location?.longitude}`}`;
    }
    case 'contacts':
      return `[Contact] ${(message.contacts ?? [])
        .map((card) => card.name?.formatted_name)
        .filter(Boolean)
        .join(', ')}`;
    case 'interactive':
    case 'button':
      return replyOf(message)?.title ?? `[${message.type}]`;
    case 'reaction':
      return message.reaction?.emoji ? `Reacted ${message.reaction.emoji}` : 'Removed a reaction';
    case 'order': {
      const items = message.order?.product_items ?? [];
      return message.order?.text || `[Order] ${items.length} item${items.length === 1 ? '' : 's'}`;
    }
    case 'system':
      return message.system?.body ?? '[System message]';
    case 'request_welcome':
      return '[Opened the chat]';
    case 'revoke':
      return '[Message deleted]';
    case 'edit':
      return message.edit?.message?.text?.body ?? '[Message edited]';
    case 'unsupported':
      return `[Unsupported message${message.unsupported?.type ? `: ${message.unsupported.type}` : ''}]`;
    default:
      return `[${message.type}]`;
  }
}
