import type { AiSettingsDto } from '@parley/console/api-client';
import { formValueOf, keywordsFromText, settingsBody, testOutcome } from './ai-settings-form';

const saved: AiSettingsDto = {
  provider: 'openai',
  baseUrl: null,
  model: 'gpt-4o-mini',
  apiKey: '••••••••WXYZ',
  autoTriage: true,
  dailyBudget: 1000,
  callsToday: 3,
  summaryAfter: 5,
  timeoutMs: 20000,
  intents: [{ name: 'order_request', description: 'Wants to buy', keywords: ['buy', 'quero comprar'] }],
  updatedAt: '2030-01-01T00:00:00.000Z',
};

describe('the AI settings form', () => {
  it('reads keywords typed as a comma-separated line', () => {
    expect(keywordsFromText(' buy, quero   comprar ,, reserv* , buy ')).toEqual(['buy', 'quero comprar', 'reserv*']);
    expect(keywordsFromText('')).toEqual([]);
  });

  it('round-trips saved settings, never holding the key', () => {
    const value = formValueOf(saved);
    expect(value).toMatchObject({ baseUrl: '', apiKey: '', timeoutSeconds: 20 });
    expect(value.intents[0]?.keywords).toBe('buy, quero comprar');
    expect(settingsBody(value)).toEqual({
      provider: 'openai',
      baseUrl: null,
      model: 'gpt-4o-mini',
      autoTriage: true,
      dailyBudget: 1000,
      summaryAfter: 5,
      timeoutMs: 20000,
      intents: [{ name: 'order_request', description: 'Wants to buy', keywords: ['buy', 'quero comprar'] }],
    });
  });

  it('sends a typed key, or null to remove the saved one', () => {
    const value = formValueOf(saved);
    expect(settingsBody({ ...value, apiKey: ' sk-new ' }).apiKey).toBe('sk-new');
    expect(settingsBody(value, { removeKey: true }).apiKey).toBeNull();
    expect('apiKey' in settingsBody(value)).toBe(false);
  });

  it('says how a test went', () => {
    expect(testOutcome({ ok: true, provider: 'openai', model: 'gpt-4o-mini', latencyMs: 412, error: null })).toBe(
      'gpt-4o-mini answered in 412 ms.',
    );
    expect(
      testOutcome({
        ok: false,
        provider: 'openai',
        model: 'm',
        latencyMs: 30,
        error: 'The provider answered HTTP 401',
      }),
    ).toBe('The test failed after 30 ms: The provider answered HTTP 401');
  });
});
