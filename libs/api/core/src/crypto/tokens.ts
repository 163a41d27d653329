import { createHash, randomBytes } from 'node:crypto';

/** A URL-safe random token with `bytes` of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Hash for high-entropy tokens (refresh tokens, API keys, invitations): a lookup key, not a password hash. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** What responses show in place of a secret. */
export const SECRET_MASK = '••••••••';
