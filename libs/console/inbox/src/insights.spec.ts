import type { ConversationDto, MessageDto } from '@parley/console/api-client';
import { intentLabel, keepAi, languageName, latestReading, leadBand, percent } from './insights';

const message = (overrides: Partial<MessageDto>): MessageDto => ({ ...({} as MessageDto), ...overrides });

describe('AI insights in the inbox', () => {
  it('names intents, languages, lead bands and confidences for people', () => {
    expect(intentLabel('order_request')).toBe('Order request');
    expect(intentLabel('')).toBe('Unknown');
    expect(languageName('pt')).toBe('Portuguese');
    expect(languageName('und')).toBe('Language unknown');
    expect([leadBand(12), leadBand(40), leadBand(69), leadBand(70)]).toEqual(['cold', 'warm', 'warm', 'hot']);
    expect(percent(0.876)).toBe('88%');
    expect(percent(7)).toBe('100%');
  });

  it("reads the customer's latest message that was read, skipping ours and the unread ones", () => {
    const read = { sentiment: 'negative', intent: 'support_request', language: 'en' } as const;
    const messages = [
      message({ id: '1', direction: 'inbound', ai: { sentiment: 'positive', intent: 'general_chat', language: 'en' } }),
      message({ id: '2', direction: 'inbound', ai: read }),
      message({ id: '3', direction: 'outbound', ai: null }),
      message({ id: '4', direction: 'inbound', ai: null }),
    ];
    expect(latestReading(messages)).toBe(read);
    expect(latestReading([])).toBeNull();
  });

  it('keeps a reading on screen when an older copy without one arrives, and takes newer readings', () => {
    const ai = { summary: 'Wants sneakers', priority: 'high', suggestedTags: [], leadScore: 80 } as const;
    const shown = { id: 'c1', ai } as unknown as ConversationDto;
    const stale = { id: 'c1', ai: null, unreadCount: 2 } as unknown as ConversationDto;
    expect(keepAi(stale, shown)).toEqual({ id: 'c1', ai, unreadCount: 2 });
    const newer = { id: 'c1', ai: { ...ai, priority: 'low' } } as unknown as ConversationDto;
    expect(keepAi(newer, shown)).toBe(newer);
    expect(keepAi(stale, null)).toBe(stale);
    expect(keepAi(stale, { id: 'other', ai } as unknown as ConversationDto)).toBe(stale);
  });
});
