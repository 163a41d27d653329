import { readState } from '@parley/testing/platform';

const state = readState();

/** The first api process: it serves the console and its API. */
export const baseUrl = state.apiUrls[0] as string;

/** One call to Parley's API (as `token`, when given) and its JSON answer; anything but a 2xx throws. */
export async function json<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The customer writes from their phone: the sandbox sends Meta's signed webhook to Parley. */
export async function customerWrites(
  phoneNumberId: string,
  customer: { waId: string; name: string },
  body: string,
): Promise<void> {
  const response = await fetch(`${state.sandboxUrl}/_sandbox/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumberId, from: customer.waId, name: customer.name, type: 'text', text: { body } }),
  });
  if (!response.ok) throw new Error(`sandbox inbound: ${response.status} ${await response.text()}`);
}
