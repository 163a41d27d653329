import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers every outgoing webhook carries. */
export const WEBHOOK_HEADERS = {
  signature: 'x-parley-signature',
  timestamp: 'x-parley-timestamp',
  eventId: 'x-parley-event-id',
  eventType: 'x-parley-event-type',
  deliveryId: 'x-parley-delivery-id',
} as const;

/** How old a timestamp a receiver should accept, by default. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** `v1=` and the hex HMAC-SHA256, keyed by the subscription's secret, of `<timestamp>.<body>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a partner runs on receipt: true if the body was signed with the secret at `timestamp`, and
 * that was within `toleranceSeconds` of now (so a captured request can't be replayed later).
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
