import { conflictingKeywords, normalizeKeyword, optInKeywordAction, optInSettingsOf } from './opt-in-settings';

const none = { optOutKeywords: null, optInKeywords: null, optOutReply: null, optInReply: null };

describe('opt-in keywords', () => {
  it('compares words without case, accents, punctuation or extra spaces, in any script', () => {
    expect(normalizeKeyword('  STOP! ')).toBe('stop');
    expect(normalizeKeyword('¡Baja!')).toBe('baja');
    expect(normalizeKeyword('Não   quero')).toBe('nao quero');
    expect(normalizeKeyword('إلغاء')).toBe(normalizeKeyword('الغاء'));
    expect(normalizeKeyword('إلغاء')).toHaveLength(5);
    expect(normalizeKeyword('👋')).toBe('');
  });

  it('knows the usual words, and only when they stand alone', () => {
    const settings = optInSettingsOf(none);
    expect(optInKeywordAction(settings, 'Stop.')).toBe('opt_out');
    expect(optInKeywordAction(settings, 'UNSUBSCRIBE')).toBe('opt_out');
    expect(optInKeywordAction(settings, 'start')).toBe('opt_in');
    expect(optInKeywordAction(settings, 'please stop sending me the wrong size')).toBeNull();
    expect(optInKeywordAction(settings, 'cancel')).toBeNull();
    expect(settings.optOutReply).toContain('Reply START');
    expect(settings.optInReply).toContain('Reply STOP');
  });

  it("adds the org's own words and replies to the built-in ones, which always stay", () => {
    const settings = optInSettingsOf({
      optOutKeywords: ['parar', 'baja'],
      optInKeywords: ['voltar'],
      optOutReply: 'Pronto, você não receberá mais promoções.',
      optInReply: null,
    });
    expect(optInKeywordAction(settings, 'PARAR')).toBe('opt_out');
    expect(optInKeywordAction(settings, 'stop')).toBe('opt_out');
    expect(optInKeywordAction(settings, 'Voltar!')).toBe('opt_in');
    expect(settings.optOutReply).toBe('Pronto, você não receberá mais promoções.');
    expect(conflictingKeywords(settings)).toEqual([]);
    expect(conflictingKeywords({ ...settings, optInKeywords: ['stop', 'baja'] })).toEqual(['stop', 'baja']);
  });
});
