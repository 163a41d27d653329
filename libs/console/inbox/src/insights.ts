import type {
  ConversationInsightsDto,
  MessageDto,
  MessageInsightsDto,
  SuggestedReplyDto,
} from '@parley/console/api-client';

export const SENTIMENT_LABELS: Record<MessageInsightsDto['sentiment'], string> = {
  positive: 'Positive',
  neutral: 'Neutral',
  negative: 'Negative',
};

export const PRIORITY_LABELS: Record<ConversationInsightsDto['priority'], string> = {
  low: 'Low priority',
  normal: 'Normal priority',
  high: 'High priority',
  urgent: 'Urgent',
};

export const PROVIDER_LABELS: Record<SuggestedReplyDto['provider'], string> = {
  local: 'Parley (local)',
  openai: 'OpenAI-compatible model',
  anthropic: 'Anthropic',
};

/** An intent label as people read it: `order_request` → "Order request". */
export function intentLabel(intent: string): string {
  const words = intent.replace(/_/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Unknown';
}

const LANGUAGE_NAMES =
  typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'language' }) : null;

/** An ISO 639-1 code's English name (`pt` → "Portuguese"); `und` → "Language unknown". */
export function languageName(code: string): string {
  if (!code || code === 'und') return 'Language unknown';
  try {
    return LANGUAGE_NAMES?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** How likely to buy, in a word: below 40 cold, below 70 warm, else hot. */
export function leadBand(score: number): 'cold' | 'warm' | 'hot' {
  return score < 40 ? 'cold' : score < 70 ? 'warm' : 'hot';
}

/** 0..1 as a whole percentage. */
export function percent(confidence: number): string {
  return `${Math.round(Math.min(1, Math.max(0, confidence)) * 100)}%`;
}

/** The reading of the customer's latest message that has one: how they feel and what they want now. */
export function latestReading(messages: readonly MessageDto[]): MessageInsightsDto | null {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (message?.direction === 'inbound' && message.ai) return message.ai;
  }
  return null;
}

/**
 * The incoming copy of a message or conversation, keeping the AI reading the one on screen has
 * when the incoming copy has none: readings are never removed, so a copy without one is older
 * (an event that crossed the triage's).
 */
export function keepAi<T extends { id: string; ai: unknown }>(incoming: T, existing: T | null | undefined): T {
  if (incoming.ai !== null || !existing || existing.id !== incoming.id || existing.ai === null) return incoming;
  return { ...incoming, ai: existing.ai };
}
