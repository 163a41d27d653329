import { randomUUID } from 'node:crypto';

/**
 * Keys are `/`-separated segments of letters, digits, `_`, `-` and `.`, each starting with a
 * letter or digit: no `.` or `..` segment, no leading `/`, no backslash, so a key can't leave the
 * storage root on disk or be renormalized into another object's URL on S3.
 */
const STORAGE_KEY = /^[A-Za-z0-9][\w.-]*(?:\/[A-Za-z0-9][\w.-]*)*$/;

export function assertStorageKey(key: string): void {
  if (key.length > 512 || !STORAGE_KEY.test(key))
    throw new Error(`Refusing media storage key ${JSON.stringify(key.slice(0, 100))}`);
}

/** Where a new file of `orgId` goes: `<orgId>/<yyyy>/<mm>/<uuid>` (UTC), so a tenant's files stay together. */
export function newStorageKey(orgId: string, at = new Date()): string {
  const month = String(at.getUTCMonth() + 1).padStart(2, '0');
  return `${orgId}/${at.getUTCFullYear()}/${month}/${randomUUID()}`;
}
