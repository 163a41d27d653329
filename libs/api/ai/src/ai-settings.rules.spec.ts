import { type AiSettingsValues, DEFAULT_AI_SETTINGS, effectiveBaseUrl, settingsProblems } from './ai-settings.rules';

const values = (overrides: Partial<AiSettingsValues> = {}): AiSettingsValues => ({
  ...DEFAULT_AI_SETTINGS,
  ...overrides,
});
const fields = (problems: { field: string }[]) => problems.map((problem) => problem.field);

describe('AI settings rules', () => {
  it('accepts the defaults and a complete remote provider', () => {
    expect(settingsProblems(values(), false)).toEqual([]);
    expect(settingsProblems(values({ provider: 'openai', model: 'gpt-4o-mini' }), false)).toEqual([]);
    expect(
      settingsProblems(values({ provider: 'anthropic', model: 'claude', baseUrl: 'http://localhost:8080' }), true),
    ).toEqual([]);
  });

  it.each([
    ['ftp://example.com/v1', 'baseUrl must be an http or https URL'],
    ['javascript:alert(1)', 'baseUrl must be an http or https URL'],
    ['not a url', 'baseUrl must be an absolute http(s) URL'],
    ['https://user:pass@example.com', 'baseUrl must not carry credentials; set apiKey instead'],
    ['https://example.com/v1?key=1', 'baseUrl must not have a query or fragment'],
  ])('refuses the base URL %s', (baseUrl, message) => {
    expect(settingsProblems(values({ provider: 'openai', model: 'm', baseUrl }), false)).toEqual([
      { field: 'baseUrl', message },
    ]);
  });

  it('names every field at fault', () => {
    const problems = settingsProblems(
      values({
        provider: 'anthropic',
        model: null,
        intents: [
          { name: 'Orders', description: '', keywords: [] },
          { name: 'ok', description: '', keywords: ['', 'x'.repeat(61)] },
          { name: 'ok', description: '', keywords: [] },
        ],
        dailyBudget: -1,
        summaryAfter: 0,
        timeoutMs: 10,
      }),
      false,
    );
    expect(fields(problems)).toEqual([
      'model',
      'apiKey',
      'intents[0].name',
      'intents[1].keywords[0]',
      'intents[1].keywords[1]',
      'intents[2].name',
      'dailyBudget',
      'summaryAfter',
      'timeoutMs',
    ]);
  });

  it('refuses a provider it does not know, no intents, and a key that cannot go in a header', () => {
    expect(
      fields(settingsProblems(values({ provider: 'gemini' as never, intents: [] }), false, 'a key\nwith lines')),
    ).toEqual(['provider', 'apiKey', 'intents']);
  });

  it("calls the provider's public API unless a base URL is set, without trailing slashes", () => {
    expect(effectiveBaseUrl('openai', null)).toBe('https://api.openai.com/v1');
    expect(effectiveBaseUrl('anthropic', null)).toBe('https://api.anthropic.com');
    expect(effectiveBaseUrl('openai', 'http://localhost:11434/v1/')).toBe('http://localhost:11434/v1');
    expect(effectiveBaseUrl('local', 'http://ignored')).toBeNull();
  });
});
