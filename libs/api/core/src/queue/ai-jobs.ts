/**
 * The jobs of the `ai` queue that other features queue by name, so they need not depend on the AI
 * feature (which depends on them): the webhook path asks for a message's triage, the inbox for a
 * conversation's summary when it is resolved. The AI feature's worker processes them.
 */
export const AiJobName = {
  /** Sentiment, intent and language of one inbound message. */
  Triage: 'triage',
  /** Summary, priority, tags and lead score of a conversation. */
  Summarize: 'summarize',
  /** Automation's AI reply to a customer message (queued through the AI feature's `AiService`). */
  AutoReply: 'auto-reply',
} as const;

/** Customer message types whose text can be read (a caption, a button's title...); reactions, stickers and voice notes can't. */
export const AI_READABLE_TYPES: readonly string[] = [
  'text',
  'button',
  'interactive',
  'image',
  'video',
  'document',
  'order',
];

export interface AiTriageJob {
  orgId: string;
  messageId: string;
}

export interface AiSummarizeJob {
  orgId: string;
  conversationId: string;
  /** After every N customer messages, or because the conversation was resolved. */
  reason: 'messages' | 'resolved';
}

/** One triage per message: a redelivered webhook or a sweep queues it again harmlessly. */
export const aiTriageJobId = (messageId: string) => `triage-${messageId}`;

/** One reading per resolve: the sweeper's retry of a lost job and the job itself share the id. */
export const resolvedSummaryJobId = (conversationId: string, resolvedAt: Date) =>
  `summarize-${conversationId}-resolved-${resolvedAt.getTime()}`;
