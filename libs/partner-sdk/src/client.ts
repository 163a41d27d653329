import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/schema';

export type ParleyClient = Client<paths>;

/**
 * A typed client for Parley's REST API, generated from its OpenAPI document: every path, parameter,
 * body and answer is checked by TypeScript. Calls answer `{ data, error, response }`; `error` is
 * Parley's `{ error: { code, message, details }, requestId }`.
 */
export function createParleyClient(options: { baseUrl: string; apiKey: string; fetch?: typeof fetch }): ParleyClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/$/, ''),
    headers: { 'x-api-key': options.apiKey },
    ...(options.fetch && { fetch: options.fetch }),
  });
}
