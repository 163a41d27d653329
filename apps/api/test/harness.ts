/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { setupHttp } from '../src/http';

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
