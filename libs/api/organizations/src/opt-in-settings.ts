import type { Organization } from './entities/organization.entity';

/**
 * Words that always opt a contact out when sent alone, whatever the org adds: the usual English
 * set (CTIA's, without CANCEL, which customers send about orders).
 */
export const BUILT_IN_OPT_OUT_KEYWORDS = [
  'stop',
  'stopall',
  'stop all',
  'unsubscribe',
  'end',
  'quit',
  'opt out',
  'optout',
];
export const BUILT_IN_OPT_IN_KEYWORDS = ['start', 'unstop', 'subscribe', 'opt in', 'optin'];

/** How an org handles opt-out and opt-in words: the built-in words, its own, and the replies. */
export interface OptInSettings {
  builtInOptOutKeywords: string[];
  builtInOptInKeywords: string[];
  /** The org's own words, in any language, added to the built-in ones. */
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
  return {
    builtInOptOutKeywords: BUILT_IN_OPT_OUT_KEYWORDS,
    builtInOptInKeywords: BUILT_IN_OPT_IN_KEYWORDS,
    optOutKeywords: org.optOutKeywords ?? [],
    optInKeywords: org.optInKeywords ?? [],
    optOutReply:
      org.optOutReply ??
      "You have been unsubscribed and won't receive marketing messages from us. Reply START to subscribe again.",
    optInReply: org.optInReply ?? 'You are subscribed again. Reply STOP to unsubscribe.',
  };
}

/** Every word that opts out, and every word that opts in. */
function wordsOf(settings: OptInSettings): { out: string[]; in: string[] } {
  return {
    out: [...settings.builtInOptOutKeywords, ...settings.optOutKeywords],
    in: [...settings.builtInOptInKeywords, ...settings.optInKeywords],
  };
}

/** Words that would both opt out and opt in (an org can't add those). */
export function conflictingKeywords(settings: OptInSettings): string[] {
  const words = wordsOf(settings);
  return words.out.filter((word) => words.in.includes(word));
}

/** Whether a customer's message is, on its own, an opt-out or opt-in word. */
export function optInKeywordAction(settings: OptInSettings, text: string): 'opt_out' | 'opt_in' | null {
  const word = normalizeKeyword(text);
  if (!word) return null;
  const words = wordsOf(settings);
  if (words.out.includes(word)) return 'opt_out';
  if (words.in.includes(word)) return 'opt_in';
  return null;
}
