/* eslint-disable @typescript-eslint/no-explicit-any -- black-box tests read JSON bodies loosely */
import { randomBytes, randomUUID } from 'node:crypto';
import type { PlatformState } from '@parley/testing/platform';

export interface Reply<T = any> {
  status: number;
  body: T;
}

/** JSON over HTTP to one base URL, optionally as a signed-in user. */
export class Http {
  constructor(
    readonly baseUrl: string,
    public token?: string,
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json');
    return { status: response.status, body: (json && text ? JSON.parse(text) : text) as T };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request<T>('POST', path, { body, headers });
  patch = <T = any>(path: string, body?: unknown) => this.request<T>('PATCH', path, { body });
}

export function expectStatus<T>(reply: Reply<T>, status: number): T {
  if (reply.status !== status)
    throw new Error(`expected ${status}, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const digits = (length: number) =>
  Array.from(randomBytes(length), (b, i) => (i === 0 ? 1 + (b % 9) : b % 10)).join('');

/** An org with a WhatsApp account and number, registered in the sandbox, as a newcomer would set it up. */
export interface World {
  /** The first api (Meta's webhooks go there) and the second, both as the org's owner. */
  api: Http;
  api2: Http;
  sandbox: Http;
  orgId: string;
  userId: string;
  accountId: string;
  wabaId: string;
  appSecret: string;
  accessToken: string;
  phoneNumberId: string;
  /** `/api/v1/orgs/<orgId>` */
  org: string;
}

export async function setUpWorld(state: PlatformState): Promise<World> {
  const api = new Http(state.apiUrls[0]);
  const signup = expectStatus(
    await api.post('/api/v1/auth/signup', {
      email: `e2e-${randomUUID().slice(0, 8)}@example.com`,
      password: 'e2e correct horse 7',
      name: 'E2E Owner',
    }),
    201,
  );
  api.token = signup.accessToken;
  const org = expectStatus(await api.post('/api/v1/orgs', { name: 'E2E Retail' }), 201);
  const appSecret = randomUUID();
  const accessToken = `EAAG${randomUUID().replace(/-/g, '')}`;
  const account = expectStatus(
    await api.post(`/api/v1/orgs/${org.id}/waba-accounts`, {
      wabaId: digits(15),
      appId: digits(15),
      appSecret,
      accessToken,
    }),
    201,
  );
  const number = expectStatus(
    await api.post(`/api/v1/orgs/${org.id}/waba-accounts/${account.id}/phone-numbers`, {
      phoneNumberId: digits(15),
      displayPhoneNumber: '+1 555 010 0042',
    }),
    201,
  );
  const sandbox = new Http(state.sandboxUrl);
  expectStatus(
    await sandbox.post('/_sandbox/wabas', {
      wabaId: account.wabaId,
      appSecret,
      accessToken,
      callbackUrl: account.webhookUrl,
      verifyToken: account.verifyToken,
      phoneNumbers: [{ phoneNumberId: number.phoneNumberId, displayPhoneNumber: number.displayPhoneNumber }],
    }),
    200,
  );
  return {
    api,
    api2: new Http(state.apiUrls[1], signup.accessToken),
    sandbox,
    orgId: org.id,
    userId: signup.user.id,
    accountId: account.id,
    wabaId: account.wabaId,
    appSecret,
    accessToken,
    phoneNumberId: number.phoneNumberId,
    org: `/api/v1/orgs/${org.id}`,
  };
}

/**
 * A marketing template with a body of `text` (its parameters' samples `example`), made at Meta (the
 * sandbox approves it a moment later) and synced: its id, once approved.
 */
export async function approvedTemplate(world: World, name: string, text: string, example: string[]): Promise<string> {
  const created = await fetch(`${world.sandbox.baseUrl}/v23.0/${world.wabaId}/message_templates`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      language: 'en_US',
      category: 'MARKETING',
      components: [{ type: 'BODY', text, example: { body_text: [example] } }],
    }),
  });
  if (created.status !== 200) throw new Error(`the sandbox refused the template: ${await created.text()}`);
  return eventually(async () => {
    await world.api.post(`${world.org}/templates/sync`, { wabaAccountId: world.accountId });
    const [template] = expectStatus(await world.api.get(`${world.org}/templates?name=${name}`), 200).data;
    return template?.status === 'APPROVED' && template.id;
  }, `${name} approved`);
}

/** A customer writes through the sandbox (which plays Meta): resolves with the message as sent. */
export async function customerSends(world: World, from: string, message: Record<string, unknown>): Promise<any> {
  return expectStatus(
    await world.sandbox.post('/_sandbox/inbound', {
      phoneNumberId: world.phoneNumberId,
      from,
      name: 'Maria Souza',
      ...message,
    }),
    200,
  );
}

/** Our record of a message Meta gave `waMessageId`, once the worker stored it. */
export async function storedMessage(world: World, from: string, waMessageId: string): Promise<any> {
  return eventually(async () => {
    const conversations = (await world.api.get(`${world.org}/conversations?q=${from}`)).body.data ?? [];
    for (const conversation of conversations) {
      const messages = (await world.api.get(`${world.org}/conversations/${conversation.id}/messages?limit=100`)).body
        .data;
      const found = messages?.find((m: { waMessageId: string }) => m.waMessageId === waMessageId);
      if (found) return found;
    }
    return null;
  }, `message ${waMessageId}`);
}
