import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

/** `X-Hub-Signature-256` for a body: HMAC-SHA256 of the exact bytes, keyed with the app secret. */
export function signPayload(rawBody: Buffer | string, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/** Checks `X-Hub-Signature-256` against the raw bytes received, in constant time. */
export function verifySignature(rawBody: Buffer | string, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith(PREFIX)) return false;
  const given = Buffer.from(header.slice(PREFIX.length), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * JSON as Meta sends it: every character outside printable ASCII escaped as lowercase `\uXXXX`,
 * so verifiers that hash the raw bytes and those that re-escape a decoded string agree.
 */
export function serializeLikeMeta(payload: unknown): string {
  return JSON.stringify(payload).replace(
    /[^\0-~]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
