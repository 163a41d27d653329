/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import 'reflect-metadata';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { setupHttp } from '../src/http';
import { WorkerModule } from '../src/worker.module';
import { signPayload } from '@parley/whatsapp/cloud-api';
import { RunningSandbox, startSandbox } from '@parley/whatsapp/sandbox';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  body?: unknown;
  /** A user access token, sent as `Authorization: Bearer`. */
  token?: string;
  /** An API key, sent as `X-API-Key`. */
  apiKey?: string;
  headers?: Record<string, string>;
  /** Sent as is, not JSON-encoded. */
  rawBody?: string;
}

/** The real api on an ephemeral port, spoken to over real HTTP. */
export class TestApi {
  private constructor(
    readonly app: INestApplication,
    readonly baseUrl: string,
  ) {}

  static async start(customize: (builder: TestingModuleBuilder) => TestingModuleBuilder = (b) => b): Promise<TestApi> {
    const moduleRef = await customize(Test.createTestingModule({ imports: [AppModule] })).compile();
    const app = moduleRef.createNestApplication({ rawBody: true });
    setupHttp(app);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return new TestApi(app, `http://127.0.0.1:${port}`);
  }

  get dataSource(): DataSource {
    return this.app.get(DataSource);
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.apiKey) headers['x-api-key'] = options.apiKey;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('json');
    return {
      status: response.status,
      body: (isJson && text ? JSON.parse(text) : text) as T,
      headers: response.headers,
    };
  }

  get = <T = any>(path: string, options?: RequestOptions) => this.request<T>('GET', path, options);
  post = <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
    this.request<T>('POST', path, { ...options, body });
  patch = <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
    this.request<T>('PATCH', path, { ...options, body });
  delete = <T = any>(path: string, options?: RequestOptions) => this.request<T>('DELETE', path, options);

  async close(): Promise<void> {
    await this.app.close();
  }
}

export const PASSWORD = 'correct horse 7 battery';

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

/** A signed-in user (Novu's TestSession): creates orgs, keys and teammates through the API. */
export class TestSession {
  private constructor(
    readonly api: TestApi,
    readonly user: { id: string; email: string; name: string },
    public accessToken: string,
    public refreshToken: string,
  ) {}

  static async signup(api: TestApi, label = 'user'): Promise<TestSession> {
    const reply = await api.post('/api/v1/auth/signup', {
      email: uniqueEmail(label),
      password: PASSWORD,
      name: `Test ${label}`,
    });
    if (reply.status !== 201) throw new Error(`signup failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return new TestSession(api, reply.body.user, reply.body.accessToken, reply.body.refreshToken);
  }

  get = <T = any>(path: string) => this.api.get<T>(path, { token: this.accessToken });
  post = <T = any>(path: string, body?: unknown) => this.api.post<T>(path, body, { token: this.accessToken });
  patch = <T = any>(path: string, body?: unknown) => this.api.patch<T>(path, body, { token: this.accessToken });
  delete = <T = any>(path: string) => this.api.delete<T>(path, { token: this.accessToken });

  async createOrg(name = 'Acme Retail'): Promise<{ id: string; name: string }> {
    return expectStatus(await this.post('/api/v1/orgs', { name }), 201);
  }

  async createApiKey(orgId: string, scopes: string[]): Promise<string> {
    return expectStatus(
      await this.post(`/api/v1/orgs/${orgId}/api-keys`, { name: `key ${scopes.join('+')}`, scopes }),
      201,
    ).key;
  }

  /** Invites a new user with `role` and accepts as them: a teammate with exactly that role. */
  async addTeammate(orgId: string, role: string): Promise<TestSession> {
    const teammate = await TestSession.signup(this.api, role);
    const invitation = expectStatus(
      await this.post(`/api/v1/orgs/${orgId}/invitations`, { email: teammate.user.email, role }),
      201,
    );
    expectStatus(await teammate.post(`/api/v1/invitations/${invitation.token}/accept`), 200);
    return teammate;
  }

  /** A WABA account with one phone number in `orgId`, with the secrets it was created with. */
  async connectNumber(orgId: string): Promise<SandboxAccount> {
    const appSecret = randomSecret();
    const accessToken = `EAAG${randomSecret()}`;
    const account = await this.createWabaAccount(orgId, { appSecret, accessToken });
    const number = expectStatus(
      await this.post(`/api/v1/orgs/${orgId}/waba-accounts/${account.id}/phone-numbers`, {
        phoneNumberId: randomDigits(15),
        displayPhoneNumber: `+1 555 ${randomDigits(3)} ${randomDigits(4)}`,
      }),
      201,
    );
    return { account, number, appSecret, accessToken };
  }

  /** A new number of the org, with Meta played by hand (signed webhooks built in the test). */
  async fakeMeta(orgId: string): Promise<FakeMeta> {
    const { account, number, appSecret } = await this.connectNumber(orgId);
    return new FakeMeta(this.api, account, number.phoneNumberId, appSecret);
  }

  /**
   * A number of the org registered in `sandbox` with the same secrets and this api's webhook URL:
   * the sandbox plays Meta for it (webhooks in, Graph API calls out).
   */
  async connectSandbox(orgId: string, sandbox: RunningSandbox): Promise<SandboxAccount> {
    const connected = await this.connectNumber(orgId);
    const { account, number, appSecret, accessToken } = connected;
    const registered = await fetch(`${sandbox.url}/_sandbox/wabas`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        wabaId: account.wabaId,
        appSecret,
        accessToken,
        callbackUrl: `${this.api.baseUrl}/api/v1/webhooks/whatsapp/${account.id}`,
        verifyToken: account.verifyToken,
        phoneNumbers: [{ phoneNumberId: number.phoneNumberId, displayPhoneNumber: number.displayPhoneNumber }],
      }),
    });
    if (!registered.ok) throw new Error(`sandbox registration failed: ${registered.status} ${await registered.text()}`);
    return connected;
  }

  async createWabaAccount(orgId: string, overrides: Record<string, unknown> = {}) {
    const body = {
      wabaId: randomDigits(15),
      appId: randomDigits(16),
      appSecret: randomSecret(),
      accessToken: `EAAG${randomSecret()}${randomSecret()}`,
      ...overrides,
    };
    return expectStatus(await this.post(`/api/v1/orgs/${orgId}/waba-accounts`, body), 201);
  }
}

export function expectStatus<T = any>(reply: Reply<T>, status: number): T {
  if (reply.status !== status)
    throw new Error(`expected ${status}, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export function randomDigits(length: number): string {
  return Array.from({ length }, (_, i) =>
    i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10),
  ).join('');
}

export function randomSecret(): string {
  return randomUUID().replace(/-/g, '');
}

/** Polls `probe` until it returns a truthy value or the deadline passes. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What `TestSession.connectSandbox` set up: our account and number rows, and the secrets the sandbox shares. */
export interface SandboxAccount {
  account: { id: string; wabaId: string; verifyToken: string };
  number: { id: string; wabaAccountId: string; phoneNumberId: string; displayPhoneNumber: string };
  appSecret: string;
  accessToken: string;
}

/** The sandbox's control API (`/_sandbox/...`), as its chat page and the demo use it. */
export function sandboxControl(sandbox: RunningSandbox) {
  return async (method: string, path: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
}

/** The Cloud API sandbox in this process; an api or worker started after it uses it as the Graph API. */
export async function startTestSandbox(): Promise<RunningSandbox> {
  const sandbox = await startSandbox(0, '127.0.0.1');
  process.env['GRAPH_API_BASE_URL'] = sandbox.url;
  return sandbox;
}

/** Plays Meta for one WABA account of ours: builds webhook bodies, signs them with the app secret, POSTs them. */
export class FakeMeta {
  constructor(
    readonly api: TestApi,
    readonly account: { id: string; wabaId: string },
    readonly phoneNumberId: string,
    readonly appSecret: string,
  ) {}

  /** A `messages` change for our number carrying `value`. */
  envelope(value: Record<string, unknown>): string {
    return JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: this.account.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550100001', phone_number_id: this.phoneNumberId },
                ...value,
              },
            },
          ],
        },
      ],
    });
  }

  /** A customer's message as a webhook body, with its wamid. */
  inbound(
    message: Record<string, unknown>,
    from: string,
    name = 'Maria Souza',
    at = new Date(),
  ): { id: string; json: string } {
    const id = `wamid.${randomUUID()}`;
    const json = this.envelope({
      contacts: [{ profile: { name }, wa_id: from }],
      messages: [{ from, id, timestamp: String(Math.floor(at.getTime() / 1000)), ...message }],
    });
    return { id, json };
  }

  status(waMessageId: string, status: string, atSeconds: number, recipient: string): string {
    return this.envelope({
      statuses: [{ id: waMessageId, status, timestamp: String(atSeconds), recipient_id: recipient }],
    });
  }

  post(
    json: string,
    signature: string | undefined = signPayload(json, this.appSecret),
    accountId = this.account.id,
  ): Promise<Reply> {
    return this.api.request('POST', `/api/v1/webhooks/whatsapp/${accountId}`, {
      rawBody: json,
      headers: { 'content-type': 'application/json', ...(signature && { 'x-hub-signature-256': signature }) },
    });
  }

  /** A customer writes `text`; resolves once the worker has stored it. */
  async customerWrites(from: string, text: string, name?: string, at?: Date): Promise<string> {
    const message = this.inbound({ type: 'text', text: { body: text } }, from, name, at);
    expectStatus(await this.post(message.json), 200);
    await eventually(
      async () =>
        (await this.api.dataSource.query('SELECT 1 FROM messages WHERE wa_message_id = $1', [message.id])).length === 1,
      15_000,
      `message "${text}"`,
    );
    return message.id;
  }
}

/** The worker, in this process: Bull processors against the same PostgreSQL and Redis. */
export async function startWorker(
  customize: (builder: TestingModuleBuilder) => TestingModuleBuilder = (b) => b,
): Promise<INestApplicationContext> {
  const worker = await customize(Test.createTestingModule({ imports: [WorkerModule] })).compile();
  await worker.init();
  return worker;
}
