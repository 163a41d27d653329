import type { Json } from '@parley/api/core';

/** What erased personal values are replaced by. */
export const ERASED = '[erased]';

/** The field by which an item of each of Meta's arrays names the WhatsApp user it is about. */
const IDENTITY_FIELD = new Map([
  ['contacts', 'wa_id'],
  ['messages', 'from'],
  ['statuses', 'recipient_id'],
]);

/**
 * A stored Meta webhook with everything about one WhatsApp user taken out: their `contacts`
 * entries, their `messages` and the `statuses` of messages sent to them are dropped (the rest of
 * a batched webhook stays, so other people's messages can still be replayed), and any other
 * string holding their id (a shared contact card, say) becomes `[erased]`.
 */
export function redactWebhookPayload(payload: Json, waId: string): Json {
  const walk = (value: Json, key?: string): Json => {
    if (typeof value === 'string') return value.includes(waId) ? ERASED : value;
    if (Array.isArray(value)) {
      const field = key === undefined ? undefined : IDENTITY_FIELD.get(key);
      return value.filter((item) => !(field && isAbout(item, field, waId))).map((item) => walk(item));
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, walk(item, name)]));
    }
    return value;
  };
  return walk(payload);
}

function isAbout(item: Json, field: string, waId: string): boolean {
  return item !== null && typeof item === 'object' && !Array.isArray(item) && item[field] === waId;
}
