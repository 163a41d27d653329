import type { AiSettingsDto, AiSettingsInputDto, AiTestResultDto } from '@parley/console/api-client';

export type AiProvider = AiSettingsDto['provider'];

export const PROVIDERS: { value: AiProvider; label: string; hint: string }[] = [
  {
    value: 'local',
    label: 'Parley (local, no network)',
    hint: 'Word lists and heuristics on this server: free and private',
  },
  {
    value: 'openai',
    label: 'OpenAI-compatible API',
    hint: 'OpenAI, or any server with /chat/completions (Ollama, vLLM, LM Studio...)',
  },
  { value: 'anthropic', label: 'Anthropic', hint: "Anthropic's Messages API" },
];

/** Where each remote provider is when no base URL is set, shown as the field's placeholder. */
export const DEFAULT_BASE_URLS: Record<Exclude<AiProvider, 'local'>, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

/** One intent as the form edits it: keywords as one comma-separated line. */
export interface IntentRow {
  name: string;
  description: string;
  keywords: string;
}

/** The form's values. The key field is empty unless the admin types a new key. */
export interface AiSettingsFormValue {
  provider: AiProvider;
  baseUrl: string;
  model: string;
  apiKey: string;
  autoTriage: boolean;
  dailyBudget: number;
  summaryAfter: number;
  timeoutSeconds: number;
  intents: IntentRow[];
}

/** Keywords typed as `a, b c, d*`: trimmed, blanks and repeats dropped. */
export function keywordsFromText(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((keyword) => keyword.trim().replace(/\s+/g, ' '))
        .filter(Boolean),
    ),
  ];
}

export function keywordsToText(keywords: readonly string[]): string {
  return keywords.join(', ');
}

/** The form's values for saved settings (or the defaults). */
export function formValueOf(settings: AiSettingsDto): AiSettingsFormValue {
  return {
    provider: settings.provider,
    baseUrl: settings.baseUrl ?? '',
    model: settings.model ?? '',
    apiKey: '',
    autoTriage: settings.autoTriage,
    dailyBudget: settings.dailyBudget,
    summaryAfter: settings.summaryAfter,
    timeoutSeconds: Math.round(settings.timeoutMs / 1000),
    intents: settings.intents.map((intent) => ({
      name: intent.name,
      description: intent.description,
      keywords: keywordsToText(intent.keywords),
    })),
  };
}

/**
 * The request body for the form: blank base URL and model become null (the provider's defaults), a
 * blank key field keeps the saved key (`removeKey` removes it), and the timeout goes in milliseconds.
 */
export function settingsBody(value: AiSettingsFormValue, options: { removeKey?: boolean } = {}): AiSettingsInputDto {
  const apiKey = value.apiKey.trim();
  return {
    provider: value.provider,
    baseUrl: value.baseUrl.trim() || null,
    model: value.model.trim() || null,
    ...(apiKey ? { apiKey } : options.removeKey ? { apiKey: null } : {}),
    autoTriage: value.autoTriage,
    dailyBudget: value.dailyBudget,
    summaryAfter: value.summaryAfter,
    timeoutMs: Math.round(value.timeoutSeconds * 1000),
    intents: value.intents.map((intent) => ({
      name: intent.name.trim(),
      description: intent.description.trim(),
      keywords: keywordsFromText(intent.keywords),
    })),
  };
}

/** A connection test's outcome in a sentence. */
export function testOutcome(result: AiTestResultDto): string {
  const who = result.provider === 'local' ? 'The local provider' : `${result.model ?? 'The model'}`;
  return result.ok
    ? `${who} answered in ${result.latencyMs} ms.`
    : `The test failed after ${result.latencyMs} ms: ${result.error ?? 'unknown error'}`;
}
