import type { TokenInfo } from '@parley/whatsapp/cloud-api';
import type { TokenStatus } from './entities/waba-account.entity';

/** What a WhatsApp token must be granted to send and to manage templates and numbers. */
export const REQUIRED_SCOPES = ['whatsapp_business_messaging', 'whatsapp_business_management'];

const DAY_MS = 86_400_000;

export interface TokenVerdict {
  status: Exclude<TokenStatus, 'unchecked'>;
  expiresAt: Date | null;
  problem: string | null;
}

/**
 * Judges Meta's `debug_token` answer: `invalid` when Meta says so or a WhatsApp permission is
 * missing, `expiring` when the token (or its data access) ends within `warningDays`, else `valid`.
 */
export function judgeToken(info: TokenInfo, now: Date, warningDays: number): TokenVerdict {
  const ends = [info.expires_at, info.data_access_expires_at].filter((at): at is number => !!at && at > 0);
  const expiresAt = ends.length > 0 ? new Date(Math.min(...ends) * 1_000) : null;
  if (!info.is_valid)
    return { status: 'invalid', expiresAt, problem: info.error?.message ?? 'Meta says the access token is not valid' };
  const missing = info.scopes ? REQUIRED_SCOPES.filter((scope) => !info.scopes?.includes(scope)) : [];
  if (missing.length > 0)
    return { status: 'invalid', expiresAt, problem: `The access token lacks the ${missing.join(' and ')} permission` };
  if (expiresAt && expiresAt.getTime() - now.getTime() <= warningDays * DAY_MS)
    return { status: 'expiring', expiresAt, problem: `The access token expires on ${expiresAt.toISOString()}` };
  return { status: 'valid', expiresAt, problem: null };
}
