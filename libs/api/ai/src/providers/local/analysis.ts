import type { ConversationInsights, Priority, Sentiment } from '@parley/api/conversations';
import type { IntentLabel, Turn } from '../provider';
import { FALLBACK_INTENT, GENERIC_REPLY, REPLY_TEMPLATES } from './default-intents';
import {
  CLAUSE_BREAKS,
  ESCALATION_WORDS,
  FILLER_WORDS,
  INTENSIFIERS,
  LETTER_HINTS,
  NEGATIVE_EMOJI,
  NEGATORS,
  POSITIVE_EMOJI,
  SCRIPT_LANGUAGES,
  SENTIMENT_WORDS,
  STOPWORDS,
  URGENCY_WORDS,
} from './lexicon';
import { clamp, clauseTokens, fold, foldedWords, phraseSpace, round2, sentences, words } from './text';

/** How many words after a negator it reaches ("not very good" turns "good"). */
const NEGATION_REACH = 3;

export interface SentimentReading {
  sentiment: Sentiment;
  /** Sum of the polarities found: below zero is negative. */
  score: number;
  confidence: number;
}

/**
 * Lexicon sentiment: each known word adds its polarity, strengthened by an intensifier before it
 * ("very good") and turned by a negator up to three words before it in the same clause ("not
 * good", "não gostei", "no me gusta"); a negated negative is only mildly positive ("not bad").
 * Emoji count too.
 */
export function readSentiment(text: string): SentimentReading {
  const tokens = clauseTokens(text);
  let score = 0;
  let hits = 0;
  let negatedUntil = -1;
  let boost = 1;
  tokens.forEach((token, index) => {
    if (CLAUSE_BREAKS.has(token)) {
      negatedUntil = -1;
      boost = 1;
      return;
    }
    if (NEGATORS.has(token)) {
      negatedUntil = index + NEGATION_REACH;
      return;
    }
    if (INTENSIFIERS.has(token)) {
      boost = 1.5;
      return;
    }
    const polarity = SENTIMENT_WORDS.get(token);
    if (polarity === undefined) return;
    hits += 1;
    let value = polarity * boost;
    if (index <= negatedUntil) value = value > 0 ? -value * 0.8 : -value * 0.4;
    score += value;
    boost = 1;
  });
  const positive = text.match(POSITIVE_EMOJI)?.length ?? 0;
  const negative = text.match(NEGATIVE_EMOJI)?.length ?? 0;
  score += positive - negative * 1.5;
  hits += positive + negative;
  const sentiment: Sentiment = score >= 0.5 ? 'positive' : score <= -0.5 ? 'negative' : 'neutral';
  const confidence = hits === 0 ? 0.55 : sentiment === 'neutral' ? 0.5 : clamp(0.55 + 0.12 * Math.abs(score), 0, 0.95);
  return { sentiment, score: round2(score), confidence: round2(confidence) };
}

/**
 * The language by its script, or else by counting each language's common words: the one with the
 * most wins when it has at least two (one in a message of three words or fewer) and no other ties
 * it. `und` when unsure.
 */
export function detectLanguage(text: string): string {
  const letters = text.replace(/[^\p{L}]/gu, '');
  for (const [script, language] of SCRIPT_LANGUAGES) {
    const inScript = letters.match(new RegExp(script.source, 'gu'))?.length ?? 0;
    if (letters.length > 0 && inScript / letters.length > 0.3) return language;
  }
  const tokens = words(text);
  if (tokens.length === 0) return 'und';
  const lower = text.toLowerCase();
  const hints = (language: string) =>
    LETTER_HINTS.filter(([, hinted]) => hinted === language).reduce(
      (sum, [letters]) => sum + (lower.match(letters)?.length ?? 0),
      0,
    );
  const scores = Object.entries(STOPWORDS)
    .map(([language, list]) => [language, tokens.filter((token) => list.has(token)).length + hints(language)] as const)
    .sort((a, b) => b[1] - a[1]);
  const [best, second] = scores;
  if (!best || best[1] === 0) return 'und';
  if (second && second[1] === best[1]) return 'und';
  const needed = tokens.length <= 3 ? 1 : 2;
  return best[1] >= needed ? best[0] : 'und';
}

export interface IntentReading {
  intent: string;
  confidence: number;
}

/** Does `keyword` occur in the message (folded words `tokens`, and `spaced` for phrases)? */
function matches(keyword: string, tokens: readonly string[], spaced: string): boolean {
  const folded = foldedWords(keyword.replace(/\*$/, '')).join(' ');
  if (!folded) return false;
  if (keyword.endsWith('*')) return tokens.some((token) => token.startsWith(folded));
  if (folded.includes(' ')) return spaced.includes(` ${folded} `);
  // A plain word also matches its plurals and simple inflections ("order" in "orders", "ordered").
  return tokens.some(
    (token) =>
      token === folded || (folded.length >= 4 && token.startsWith(folded) && token.length - folded.length <= 3),
  );
}

const SUPPORT_LIKE = /support|complain|problem|issue|help/;

/**
 * The org's label whose keywords the message matches best: a phrase counts as many as its words,
 * since it says more; a negative message leans to support-like labels. On a tie the label listed
 * first wins; with no match, `general_chat` (or the last label).
 */
export function classifyIntent(text: string, intents: readonly IntentLabel[], sentiment?: Sentiment): IntentReading {
  const fallback = intents.find((intent) => intent.name === FALLBACK_INTENT) ?? intents[intents.length - 1];
  const tokens = foldedWords(text);
  const spaced = phraseSpace(text);
  const scored = intents.map((intent, order) => {
    let score = 0;
    for (const keyword of intent.keywords) {
      if (matches(keyword, tokens, spaced)) score += keyword.replace(/\*$/, '').trim().split(/\s+/).length;
    }
    if (score > 0 && sentiment === 'negative' && SUPPORT_LIKE.test(intent.name)) score += 1;
    return { name: intent.name, score, order };
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  const [best, second] = scored;
  if (!best || best.score === 0) return { intent: fallback?.name ?? FALLBACK_INTENT, confidence: 0.3 };
  const confidence = clamp(0.5 + 0.15 * best.score - 0.12 * (second?.score ?? 0), 0.35, 0.95);
  return { intent: best.name, confidence: round2(confidence) };
}

/** Words that carry content: not a common word of any language, not filler, three letters or more. */
function isContentWord(word: string): boolean {
  if (word.length < 3 || /^\d+$/.test(word)) return false;
  if (FILLER_WORDS.has(word)) return false;
  return !Object.values(STOPWORDS).some((list) => list.has(word));
}

const MAX_SUMMARY_CHARS = 300;
const SUMMARY_SENTENCES = 3;

/**
 * Extractive summary: the customer's most informative sentences, in the order they wrote them. A
 * sentence scores by its distinct content words (words the customer repeats count more), intent
 * keywords, numbers (quantities, sizes, order numbers) and questions; greetings score nothing.
 */
export function summarize(turns: readonly Turn[], intents: readonly IntentLabel[]): string {
  const customerText = turns.filter((turn) => turn.from === 'customer').map((turn) => turn.text);
  const candidates = customerText.flatMap(sentences);
  if (candidates.length === 0) return '';
  const frequency = new Map<string, number>();
  for (const word of customerText.flatMap(foldedWords).filter(isContentWord))
    frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const keywordSets = intents.filter((intent) => intent.name !== FALLBACK_INTENT);
  const scored = candidates.map((sentence, index) => {
    const content = [...new Set(foldedWords(sentence).filter(isContentWord))];
    let score = content.reduce((sum, word) => sum + 1 + Math.log(frequency.get(word) ?? 1), 0);
    const intent = classifyIntent(sentence, keywordSets);
    if (intent.confidence > 0.3) score += 2;
    if (/\d/.test(sentence)) score += 1;
    if (sentence.includes('?')) score += 0.5;
    return { sentence, index, score };
  });
  const informative = scored.filter((candidate) => candidate.score > 0);
  if (informative.length === 0) return clip(candidates[candidates.length - 1] ?? '');
  const chosen = [...informative]
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, SUMMARY_SENTENCES)
    .sort((a, b) => a.index - b.index);
  return clip(chosen.map((candidate) => endSentence(candidate.sentence)).join(' '));
}

function endSentence(sentence: string): string {
  return /[.!?…]$/.test(sentence) ? sentence : `${sentence}.`;
}

function clip(text: string): string {
  if (text.length <= MAX_SUMMARY_CHARS) return text;
  const cut = text.slice(0, MAX_SUMMARY_CHARS - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), MAX_SUMMARY_CHARS / 2))}…`;
}

const containsAny = (text: string, list: readonly string[]) => {
  const spaced = phraseSpace(text);
  return list.some((phrase) => spaced.includes(` ${fold(phrase)} `));
};

const BUYING = /order|buy|purchase|sale|booking|reserv/;
const ASKING = /product|price|inquir|quote|catalog/;

/** The whole conversation read by the heuristics: summary, priority, tags and lead score. */
export function readConversation(turns: readonly Turn[], intents: readonly IntentLabel[]): ConversationInsights {
  const customer = turns.filter((turn) => turn.from === 'customer').map((turn) => turn.text);
  const readings = customer.map((text) => {
    const sentiment = readSentiment(text);
    return { text, sentiment, intent: classifyIntent(text, intents, sentiment.sentiment) };
  });
  const all = customer.join('\n');
  const negatives = readings.filter((reading) => reading.sentiment.sentiment === 'negative').length;
  const positives = readings.filter((reading) => reading.sentiment.sentiment === 'positive').length;
  const matched = new Set(readings.filter((r) => r.intent.confidence > 0.3).map((r) => r.intent.intent));
  const supportLike = [...matched].some((name) => SUPPORT_LIKE.test(name));

  let priority: Priority = 'normal';
  const urgent = containsAny(all, URGENCY_WORDS);
  if (containsAny(all, ESCALATION_WORDS) || (urgent && negatives > 0)) priority = 'urgent';
  else if (urgent || negatives >= 2 || (negatives > 0 && supportLike)) priority = 'high';
  else if (matched.size > 0 && [...matched].every((name) => name === FALLBACK_INTENT) && negatives === 0)
    priority = 'low';

  let leadScore = 10;
  if ([...matched].some((name) => BUYING.test(name))) leadScore += 45;
  if ([...matched].some((name) => ASKING.test(name))) leadScore += 25;
  if (/\d/.test(all)) leadScore += 5;
  leadScore += Math.min(10, positives * 5) - Math.min(30, negatives * 10) - (supportLike ? 10 : 0);
  leadScore += Math.min(10, customer.length * 2);

  return {
    summary: summarize(turns, intents),
    priority,
    suggestedTags: suggestTags(customer, matched, intents),
    leadScore: clamp(Math.round(leadScore), 0, 100),
  };
}

/**
 * Up to five tags: the intents found (but small talk), then the customer's most repeated content
 * words, leaving out intent keywords ("buy" says no more than the intent does).
 */
export function suggestTags(
  customerText: readonly string[],
  matched: ReadonlySet<string>,
  intents: readonly IntentLabel[],
): string[] {
  const tags = [...matched].filter((name) => name !== FALLBACK_INTENT).map((name) => name.replace(/_/g, ' '));
  const keywords = intents.flatMap((intent) => intent.keywords);
  const isKeyword = (word: string) => keywords.some((keyword) => matches(keyword, [word], ` ${word} `));
  // Counted by their folded form ("tenis" and "tênis" are one word), shown as first written.
  const frequency = new Map<string, { count: number; first: number; written: string }>();
  customerText
    .flatMap(words)
    .map((written) => ({ written, folded: fold(written) }))
    .filter(
      ({ folded }) =>
        isContentWord(folded) &&
        folded.length >= 4 &&
        /^\p{L}+$/u.test(folded) &&
        !SENTIMENT_WORDS.has(folded) &&
        !isKeyword(folded),
    )
    .forEach(({ written, folded }, index) => {
      const seen = frequency.get(folded);
      frequency.set(folded, {
        count: (seen?.count ?? 0) + 1,
        first: seen?.first ?? index,
        written: seen?.written ?? written,
      });
    });
  const topical = [...frequency.values()]
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .map((word) => word.written)
    .slice(0, 3);
  return [...new Set([...tags, ...topical])].slice(0, 5);
}

/**
 * A reply from templates per intent and language (English when the language has none). Confidence
 * is the intent's, lower for intents without a template of their own (a plain acknowledgement),
 * for languages without templates, and for unhappy customers, who are better served by a person.
 */
export function templateReply(
  turns: readonly Turn[],
  intents: readonly IntentLabel[],
): { text: string; intent: string; confidence: number } {
  const lastCustomer = [...turns].reverse().find((turn) => turn.from === 'customer')?.text ?? '';
  const sentiment = readSentiment(lastCustomer);
  const { intent, confidence } = classifyIntent(lastCustomer, intents, sentiment.sentiment);
  const language = detectLanguage(lastCustomer);
  const templates = REPLY_TEMPLATES[intent] ?? GENERIC_REPLY;
  const known = language === 'en' || language === 'pt' || language === 'es';
  let score = confidence;
  if (!REPLY_TEMPLATES[intent]) score *= 0.6;
  if (!known) score *= 0.7;
  if (sentiment.sentiment === 'negative') score *= 0.8;
  return { text: templates[known ? language : 'en'], intent, confidence: round2(score) };
}
