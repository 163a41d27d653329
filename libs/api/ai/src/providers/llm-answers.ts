import {
  type ConversationInsights,
  PRIORITIES,
  type Priority,
  SENTIMENTS,
  type Sentiment,
} from '@parley/api/conversations';
import { AiProviderError, type IntentLabel, type MessageReading, type ReplySuggestion, type Turn } from './provider';

/**
 * What the remote providers are asked, and the strict reading of what they answer: one JSON object
 * with exactly the fields asked for, each checked; anything else is a `malformed` failure (and the
 * caller falls back or retries), never a half-read answer.
 */

/** Messages of a conversation given to a model at most, the latest ones. */
const MAX_TURNS = 30;
/** Characters of one message given to a model at most. */
const MAX_TURN_CHARS = 1_000;
export const MAX_REPLY_CHARS = 1_000;
const MAX_SUMMARY_CHARS = 600;

function intentList(intents: readonly IntentLabel[]): string {
  return intents
    .map((intent) => {
      const hints = intent.keywords.slice(0, 12).join(', ');
      return `- ${intent.name}: ${intent.description || intent.name}${hints ? ` (e.g. ${hints})` : ''}`;
    })
    .join('\n');
}

/** The conversation as lines `Customer: ...` / `Business: ...`, latest last. */
export function transcript(turns: readonly Turn[]): string {
  return turns
    .slice(-MAX_TURNS)
    .map((turn) => `${turn.from === 'customer' ? 'Customer' : 'Business'}: ${turn.text.slice(0, MAX_TURN_CHARS)}`)
    .join('\n');
}

export interface Prompt {
  system: string;
  user: string;
}

export function messagePrompt(text: string, intents: readonly IntentLabel[]): Prompt {
  return {
    system: [
      'You triage WhatsApp messages that customers send to a business.',
      'Answer with one JSON object and nothing else, with exactly these fields:',
      '{"sentiment": "positive" | "neutral" | "negative", "intent": one of the intent names below, "language": the ISO 639-1 code of the message\'s language or "und" when unsure, "confidence": a number from 0 to 1, how sure you are of the intent}',
      'Intents:',
      intentList(intents),
    ].join('\n'),
    user: text.slice(0, MAX_TURN_CHARS * 2),
  };
}

export function conversationPrompt(turns: readonly Turn[]): Prompt {
  return {
    system: [
      'You read WhatsApp conversations between a customer and a business, for the team that answers them.',
      'Answer with one JSON object and nothing else, with exactly these fields:',
      `{"summary": one or two sentences on what the customer wants (at most ${MAX_SUMMARY_CHARS} characters), in the customer's language, "priority": "low" | "normal" | "high" | "urgent", "suggestedTags": up to 5 short lowercase tags, "leadScore": an integer from 0 to 100, how likely the customer is to buy}`,
      'Priority: urgent for angry customers, threats to escalate or safety issues; high for problems waiting on the business; low for small talk.',
    ].join('\n'),
    user: transcript(turns),
  };
}

export function replyPrompt(turns: readonly Turn[], intents: readonly IntentLabel[]): Prompt {
  return {
    system: [
      "You suggest the business's next WhatsApp reply to a customer, in the customer's language: short, friendly, and never inventing facts (prices, stock, dates, order status) the conversation does not give.",
      'Answer with one JSON object and nothing else, with exactly these fields:',
      `{"reply": the text to send (at most ${MAX_REPLY_CHARS} characters), "intent": the intent of the customer's last message, one of the names below, "confidence": a number from 0 to 1, how sure you are that this reply fully answers the customer without help from a person (low when it needs facts you do not have)}`,
      'Intents:',
      intentList(intents),
    ].join('\n'),
    user: transcript(turns),
  };
}

/** The JSON object of an answer: the whole text, or the text inside one ```json fence (some models add it). */
function objectOf(content: string): Record<string, unknown> {
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(content.trim());
  let value: unknown;
  try {
    value = JSON.parse(fenced?.[1] ?? content);
  } catch {
    throw malformed('the answer is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed('the answer is not an object');
  return value as Record<string, unknown>;
}

const malformed = (why: string) => new AiProviderError('malformed', `The provider's answer was unusable: ${why}`);

function exactly(answer: Record<string, unknown>, fields: readonly string[]): void {
  const extra = Object.keys(answer).filter((key) => !fields.includes(key));
  const missing = fields.filter((key) => !(key in answer));
  if (missing.length > 0) throw malformed(`missing ${missing.join(', ')}`);
  if (extra.length > 0) throw malformed(`unexpected ${extra.join(', ')}`);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  const normalized = typeof value === 'string' ? value.trim().toLowerCase() : value;
  const found = allowed.find((option) => option.toLowerCase() === normalized);
  if (found === undefined) throw malformed(`${field} is not one of ${allowed.join(', ')}`);
  return found;
}

function fraction(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1)
    throw malformed(`${field} is not a number from 0 to 1`);
  return Math.round(value * 100) / 100;
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw malformed(`${field} is not a non-empty string`);
  if (value.length > max) throw malformed(`${field} is longer than ${max} characters`);
  return value.trim();
}

function language(value: unknown): string {
  if (typeof value !== 'string') throw malformed('language is not a string');
  const code = value.trim().toLowerCase();
  if (!/^([a-z]{2}|und)$/.test(code)) throw malformed('language is not an ISO 639-1 code');
  return code;
}

export function parseMessageReading(content: string, intents: readonly IntentLabel[]): MessageReading {
  const answer = objectOf(content);
  exactly(answer, ['sentiment', 'intent', 'language', 'confidence']);
  return {
    sentiment: oneOf<Sentiment>(answer['sentiment'], SENTIMENTS, 'sentiment'),
    intent: oneOf(
      answer['intent'],
      intents.map((intent) => intent.name),
      'intent',
    ),
    language: language(answer['language']),
    confidence: fraction(answer['confidence'], 'confidence'),
  };
}

export function parseConversationInsights(content: string): ConversationInsights {
  const answer = objectOf(content);
  exactly(answer, ['summary', 'priority', 'suggestedTags', 'leadScore']);
  const tags = answer['suggestedTags'];
  if (!Array.isArray(tags) || tags.length > 5 || !tags.every((tag) => typeof tag === 'string' && tag.trim() !== ''))
    throw malformed('suggestedTags is not a list of up to 5 tags');
  const leadScore = answer['leadScore'];
  if (typeof leadScore !== 'number' || !Number.isFinite(leadScore) || leadScore < 0 || leadScore > 100)
    throw malformed('leadScore is not a number from 0 to 100');
  return {
    summary: text(answer['summary'], 'summary', MAX_SUMMARY_CHARS),
    priority: oneOf<Priority>(answer['priority'], PRIORITIES, 'priority'),
    suggestedTags: [
      ...new Set((tags as string[]).map((tag) => tag.trim().replace(/\s+/g, ' ').toLowerCase().slice(0, 40))),
    ],
    leadScore: Math.round(leadScore),
  };
}

export function parseReply(content: string, intents: readonly IntentLabel[]): ReplySuggestion {
  const answer = objectOf(content);
  exactly(answer, ['reply', 'intent', 'confidence']);
  return {
    text: text(answer['reply'], 'reply', MAX_REPLY_CHARS),
    intent: oneOf(
      answer['intent'],
      intents.map((intent) => intent.name),
      'intent',
    ),
    confidence: fraction(answer['confidence'], 'confidence'),
  };
}
