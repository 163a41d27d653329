import { createHmac, timingSafeEqual } from 'node:crypto';
import type { components } from './generated/schema';

/** The headers on every webhook Parley sends (Node lower-cases incoming header names). */
export const WEBHOOK_HEADERS = {
  signature: 'x-parley-signature',
  timestamp: 'x-parley-timestamp',
  eventId: 'x-parley-event-id',
  eventType: 'x-parley-event-type',
  deliveryId: 'x-parley-delivery-id',
} as const;

/** How old a timestamp a receiver accepts, by default. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The events a webhook subscription may ask for. */
export const PARTNER_EVENT_TYPES = [
  'message.received',
  'message.status',
  'conversation.updated',
  'contact.opted_out',
  'campaign.completed',
  'template.status',
] as const;
export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];

/**
 * Every event a webhook may carry: the subscribable ones, the test an admin sends, and what an
 * automation rule's `call_webhook` action sends to the subscription it names.
 */
export type ParleyEventType = PartnerEventType | 'webhook.test' | 'automation.rule_fired';

/** What each event's `data` holds: the resource in the API's own shape. */
export interface ParleyEventData {
  'message.received': { message: components['schemas']['MessageDto'] };
  'message.status': { message: components['schemas']['MessageDto'] };
  'conversation.updated': {
    conversation: components['schemas']['ConversationDto'];
    changes?: { before?: Record<string, unknown>; after?: Record<string, unknown> };
  };
  'contact.opted_out': { contact: components['schemas']['ContactDto'] };
  'campaign.completed': { campaign: components['schemas']['CampaignDto'] };
  'template.status': {
    template: { metaTemplateId: string; name: string; language: string; status: string; reason: string | null };
  };
  'webhook.test': { subscriptionId: string };
  'automation.rule_fired': {
    ruleId: string;
    ruleName: string;
    trigger: string;
    contactId: string;
    conversationId: string | null;
    /** The customer message that set the rule off, if one did. */
    messageId: string | null;
  };
}

/** The body of a webhook. `id` is the same on every delivery of the event (redeliveries included): dedupe by it. */
export type ParleyEvent<T extends ParleyEventType = ParleyEventType> = {
  [K in T]: { id: string; type: K; orgId: string; createdAt: string; data: ParleyEventData[K] };
}[T];

/** `v1=` and the hex HMAC-SHA256, keyed by the subscription's secret, of `<timestamp>.<body>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * True if `body` was signed with the secret at `timestamp`, within `toleranceSeconds` of now (so a
 * captured request can't be replayed later). Pass the body exactly as received, before parsing.
 */
export function verifyWebhook(input: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  toleranceSeconds?: number;
  now?: number;
}): boolean {
  const timestamp = Number(input.timestamp);
  if (!input.signature || !Number.isInteger(timestamp)) return false;
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signWebhook(input.secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A signed request's event, or null when the signature does not check out. */
export function readWebhook(
  secret: string,
  request: { body: string; headers: Record<string, string | string[] | undefined> },
): ParleyEvent | null {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const signed = verifyWebhook({
    secret,
    body: request.body,
    timestamp: header(WEBHOOK_HEADERS.timestamp),
    signature: header(WEBHOOK_HEADERS.signature),
  });
  return signed ? (JSON.parse(request.body) as ParleyEvent) : null;
}
