import type { FieldError } from '@parley/api/core';
import { DEFAULT_INTENTS } from './providers/local/default-intents';
import { AI_PROVIDERS, type AiProviderName, type IntentLabel } from './providers/provider';

/** An org's AI settings as values (the key aside), whether stored or the defaults. */
export interface AiSettingsValues {
  provider: AiProviderName;
  baseUrl: string | null;
  model: string | null;
  intents: IntentLabel[];
  autoTriage: boolean;
  dailyBudget: number;
  summaryAfter: number;
  timeoutMs: number;
}

/** What an org without settings gets: the local provider, off until an admin turns triage on. */
export const DEFAULT_AI_SETTINGS: Readonly<AiSettingsValues> = {
  provider: 'local',
  baseUrl: null,
  model: null,
  intents: DEFAULT_INTENTS.map((intent) => ({ ...intent, keywords: [...intent.keywords] })),
  autoTriage: false,
  dailyBudget: 1_000,
  summaryAfter: 5,
  timeoutMs: 20_000,
};

/** Where each remote provider is when no base URL is set. */
export const DEFAULT_BASE_URLS: Readonly<Record<Exclude<AiProviderName, 'local'>, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

/** The base URL calls go to: the one set (without trailing slashes), or the provider's own. */
export function effectiveBaseUrl(provider: AiProviderName, baseUrl: string | null): string | null {
  if (provider === 'local') return null;
  return (baseUrl ?? DEFAULT_BASE_URLS[provider]).replace(/\/+$/, '');
}

export const LIMITS = {
  intents: 20,
  keywords: 50,
  keywordChars: 60,
  descriptionChars: 200,
  dailyBudget: 1_000_000,
  summaryAfter: 100,
  timeoutMs: [1_000, 120_000],
  modelChars: 200,
  baseUrlChars: 500,
  apiKeyChars: 500,
} as const;

const INTENT_NAME = /^[a-z][a-z0-9_]{0,39}$/;
/** Printable ASCII without spaces: it goes into an HTTP header as is. */
const API_KEY = /^[\x21-\x7e]+$/;

/** Why a base URL can't be used, or null: http(s) only, no credentials in it, no query or fragment. */
export function baseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'baseUrl must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'baseUrl must be an http or https URL';
  if (url.username || url.password) return 'baseUrl must not carry credentials; set apiKey instead';
  if (url.search || url.hash) return 'baseUrl must not have a query or fragment';
  if (value.length > LIMITS.baseUrlChars) return `baseUrl must be at most ${LIMITS.baseUrlChars} characters`;
  return null;
}

/**
 * Every rule the settings break, each naming its field: what the input shape can't say (ranges,
 * URLs, unique intent names) and what the combination needs (a remote provider needs a model;
 * Anthropic needs a key). `hasKey`: whether a key will be set once saved.
 */
export function settingsProblems(values: AiSettingsValues, hasKey: boolean, apiKey?: string | null): FieldError[] {
  const problems: FieldError[] = [];
  const fail = (field: string, message: string) => problems.push({ field, message });
  if (!(AI_PROVIDERS as readonly string[]).includes(values.provider))
    fail('provider', `provider must be one of ${AI_PROVIDERS.join(', ')}`);
  if (values.baseUrl !== null) {
    const problem = baseUrlProblem(values.baseUrl);
    if (problem) fail('baseUrl', problem);
  }
  if (values.model !== null && (values.model.trim() === '' || values.model.length > LIMITS.modelChars))
    fail('model', `model must be 1 to ${LIMITS.modelChars} characters`);
  if ((values.provider === 'openai' || values.provider === 'anthropic') && !values.model)
    fail('model', `model is required for the ${values.provider} provider`);
  if (typeof apiKey === 'string' && (!API_KEY.test(apiKey) || apiKey.length > LIMITS.apiKeyChars))
    fail('apiKey', `apiKey must be 1 to ${LIMITS.apiKeyChars} printable characters without spaces`);
  else if (values.provider === 'anthropic' && !hasKey)
    fail(
      'apiKey',
      'apiKey is required for the anthropic provider (it is not kept when the provider or base URL changes)',
    );

  if (values.intents.length === 0 || values.intents.length > LIMITS.intents)
    fail('intents', `intents must have 1 to ${LIMITS.intents} labels`);
  const seen = new Set<string>();
  values.intents.forEach((intent, i) => {
    if (!INTENT_NAME.test(intent.name))
      fail(`intents[${i}].name`, 'intent names are 1 to 40 lowercase letters, digits or _, starting with a letter');
    else if (seen.has(intent.name)) fail(`intents[${i}].name`, `intent ${intent.name} is listed twice`);
    seen.add(intent.name);
    if (intent.description.length > LIMITS.descriptionChars)
      fail(`intents[${i}].description`, `descriptions are at most ${LIMITS.descriptionChars} characters`);
    if (intent.keywords.length > LIMITS.keywords)
      fail(`intents[${i}].keywords`, `an intent has at most ${LIMITS.keywords} keywords`);
    intent.keywords.forEach((keyword, k) => {
      if (keyword.trim() === '' || keyword.length > LIMITS.keywordChars || keyword.trim() === '*')
        fail(`intents[${i}].keywords[${k}]`, `keywords are 1 to ${LIMITS.keywordChars} characters`);
    });
  });

  if (!Number.isInteger(values.dailyBudget) || values.dailyBudget < 0 || values.dailyBudget > LIMITS.dailyBudget)
    fail('dailyBudget', `dailyBudget must be an integer from 0 to ${LIMITS.dailyBudget}`);
  if (!Number.isInteger(values.summaryAfter) || values.summaryAfter < 1 || values.summaryAfter > LIMITS.summaryAfter)
    fail('summaryAfter', `summaryAfter must be an integer from 1 to ${LIMITS.summaryAfter}`);
  const [minTimeout, maxTimeout] = LIMITS.timeoutMs;
  if (!Number.isInteger(values.timeoutMs) || values.timeoutMs < minTimeout || values.timeoutMs > maxTimeout)
    fail('timeoutMs', `timeoutMs must be an integer from ${minTimeout} to ${maxTimeout}`);
  return problems;
}

/** Intents as given, tidied: names and keywords trimmed, keywords de-duplicated. */
export function tidyIntents(
  intents: readonly { name: string; description?: string; keywords?: string[] }[],
): IntentLabel[] {
  return intents.map((intent) => ({
    name: intent.name.trim(),
    description: (intent.description ?? '').trim(),
    keywords: [...new Set((intent.keywords ?? []).map((keyword) => keyword.trim().replace(/\s+/g, ' ')))],
  }));
}
