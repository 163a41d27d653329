import type { Organization } from './entities/organization.entity';

/** Words that opt a contact out when sent alone: the usual English set (CTIA's, without CANCEL, which customers send about orders). */
export const DEFAULT_OPT_OUT_KEYWORDS = [
  'stop',
  'stopall',
  'stop all',
  'unsubscribe',
  'end',
  'quit',
  'opt out',
  'optout',
];
export const DEFAULT_OPT_IN_KEYWORDS = ['start', 'unstop', 'subscribe', 'opt in', 'optin'];

/** How an org handles opt-out and opt-in words: its own lists and replies, or the built-in ones. */
export interface OptInSettings {
  optOutKeywords: string[];
  optInKeywords: string[];
  optOutReply: string;
  optInReply: string;
}

/**
 * A keyword as compared: case, accents, punctuation and extra spaces don't count, in any script
 * ("¡Baja!" and "baja" match; so do "STOP." and "stop").
 */
export function normalizeKeyword(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function optInSettingsOf(
  org: Pick<Organization, 'optOutKeywords' | 'optInKeywords' | 'optOutReply' | 'optInReply'>,
): OptInSettings {
  const optOutKeywords = org.optOutKeywords ?? DEFAULT_OPT_OUT_KEYWORDS;
  const optInKeywords = org.optInKeywords ?? DEFAULT_OPT_IN_KEYWORDS;
  const first = (words: string[]) => (words[0] ?? '').toUpperCase();
  return {
    optOutKeywords,
    optInKeywords,
    optOutReply:
      org.optOutReply ??
      `You have been unsubscribed and won't receive marketing messages from us. Reply ${first(optInKeywords)} to subscribe again.`,
    optInReply: org.optInReply ?? `You are subscribed again. Reply ${first(optOutKeywords)} to unsubscribe.`,
  };
}

/** Whether a customer's message is, on its own, one of the org's opt-out or opt-in words. */
export function optInKeywordAction(settings: OptInSettings, text: string): 'opt_out' | 'opt_in' | null {
  const word = normalizeKeyword(text);
  if (!word) return null;
  if (settings.optOutKeywords.includes(word)) return 'opt_out';
  if (settings.optInKeywords.includes(word)) return 'opt_in';
  return null;
}
