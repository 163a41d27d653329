import * as argon2 from 'argon2';
import type { FieldError } from '@parley/api/core';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

const COMMON_PASSWORDS = new Set([
  '1234567890',
  '12345678910',
  '0987654321',
  '1q2w3e4r5t',
  '1qaz2wsx3edc',
  'qwertyuiop',
  'q1w2e3r4t5',
  'password1!',
  'password12',
  'password123',
  'passw0rd123',
  'iloveyou123',
  'welcome123',
  'letmein123',
  'administrator',
  'admin12345',
  'changeme123',
  'qwerty12345',
  'abc1234567',
  'abcdefghij',
  'whatsapp123',
  'football123',
  'baseball123',
  'sunshine123',
  'princess123',
  'monkey12345',
  'dragon12345',
  'master12345',
]);

/** What is wrong with a password, as a field error, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email: string; name?: string }): FieldError | null {
  const problem = (message: string): FieldError => ({ field: 'password', message });
  if (password.length < PASSWORD_MIN_LENGTH)
    return problem(`password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH)
    return problem(`password must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (!/\p{L}/u.test(password) || !/[^\p{L}]/u.test(password)) {
    return problem('password must mix letters with digits or symbols');
  }
  const lower = password.toLowerCase();
  if (new Set(lower).size < 5) return problem('password repeats too few different characters');
  if (COMMON_PASSWORDS.has(lower)) return problem('password is too common');
  const personal = [context.email.split('@')[0], ...(context.name?.split(/\s+/) ?? [])]
    .map((part) => part?.toLowerCase() ?? '')
    .filter((part) => part.length >= 4);
  if (personal.some((part) => lower.includes(part))) return problem('password must not contain your name or email');
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

// Verifying against this when the email is unknown keeps sign-in time the same either way.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashPassword('not-a-real-password-0');
  const ok = await argon2.verify(hash ?? (await dummyHash), password).catch(() => false);
  return ok && hash !== undefined;
}
