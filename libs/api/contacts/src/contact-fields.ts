import { OPT_IN_STATUSES, OptInStatus } from './entities/contact.entity';

export type AttributeValue = string | number | boolean | null;
export type Attributes = Record<string, AttributeValue>;

/** What one contact may hold, the same through the API and CSV imports. */
export const CONTACT_LIMITS = {
  nameLength: 256,
  tags: 50,
  tagLength: 64,
  attributes: 50,
  attributeValueLength: 1000,
} as const;

/** Attribute keys: identifiers, so they read well as template variables and CSV headers. */
export const ATTRIBUTE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Characters a tag can't hold: `, ; |` separate tags in CSV cells and query lists. */
const TAG_FORBIDDEN = /[,;|\p{Cc}]/u;

/**
 * Tags are compared case-insensitively by storing them lower-cased, trimmed and with inner
 * whitespace collapsed (`" VIP  Gold "` → `"vip gold"`); duplicates go, the first keeps its place.
 */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().replace(/\s+/g, ' ').toLowerCase()))];
}

/** The tags of a CSV cell or query value: separated by `;`, `|` or `,`; empty pieces dropped. */
export function splitTagList(text: string): string[] {
  return text
    .split(/[;|,]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
}

/** Why normalized `tags` can't be stored, or null when they can. */
export function tagsProblem(tags: readonly string[], field = 'tags'): string | null {
  if (tags.length > CONTACT_LIMITS.tags) return `${field} can hold at most ${CONTACT_LIMITS.tags} tags`;
  for (const tag of tags) {
    if (tag.length === 0) return `${field} must not contain empty tags`;
    if (tag.length > CONTACT_LIMITS.tagLength)
      return `each tag in ${field} must be at most ${CONTACT_LIMITS.tagLength} characters`;
    if (TAG_FORBIDDEN.test(tag)) return `tags in ${field} must not contain , ; | or control characters`;
  }
  return null;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why `value` is not a flat attributes object (keys per `ATTRIBUTE_KEY`, values string, finite
 * number, boolean or null), or null when it is.
 */
export function attributesProblem(value: unknown): string | null {
  if (!isPlainObject(value)) return 'attributes must be an object of string, number, boolean or null values';
  const entries = Object.entries(value);
  if (entries.length > CONTACT_LIMITS.attributes)
    return `attributes can hold at most ${CONTACT_LIMITS.attributes} keys`;
  for (const [key, item] of entries) {
    if (!ATTRIBUTE_KEY.test(key))
      return `attributes key "${key.slice(0, 80)}" must start with a letter and hold only letters, digits and _ (at most 64)`;
    const ok =
      item === null ||
      typeof item === 'boolean' ||
      (typeof item === 'number' && Number.isFinite(item)) ||
      typeof item === 'string';
    if (!ok) return `attributes.${key} must be a string, number, boolean or null`;
    if (typeof item === 'string' && item.length > CONTACT_LIMITS.attributeValueLength)
      return `attributes.${key} must be at most ${CONTACT_LIMITS.attributeValueLength} characters`;
  }
  return null;
}

/** `patch` laid over `existing`; a key set to null in `patch` is removed. */
export function mergeAttributes(existing: Attributes, patch: Attributes): Attributes {
  const merged: Attributes = { ...existing };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

const OPT_IN_WORDS = new Map<string, OptInStatus>([
  ...['yes', 'y', 'true', '1', 'in', 'optin', 'optedin', 'subscribed'].map((w) => [w, 'opted_in'] as const),
  ...['no', 'n', 'false', '0', 'out', 'optout', 'optedout', 'unsubscribed'].map((w) => [w, 'opted_out'] as const),
  ['unknown', 'unknown'],
]);

/**
 * The opt-in state a person wrote in a spreadsheet (`yes`, `No`, `opted-in`, `OPTED_OUT`, `1`...),
 * or null when it says neither. Case, spaces, `-` and `_` don't matter.
 */
export function parseOptIn(text: string): OptInStatus | null {
  const word = text.toLowerCase().replace(/[\s_-]+/g, '');
  return OPT_IN_WORDS.get(word) ?? null;
}

export const OPT_IN_HINT = `use ${OPT_IN_STATUSES.join(', ')}, yes or no`;
