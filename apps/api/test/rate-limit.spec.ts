import { AppConfig, loadConfig } from '@parley/api/core';
import { randomUUID } from 'node:crypto';
import { expectStatus, TestApi, TestSession } from './harness';

/*
 * Rate limits over real HTTP against two api processes' worth of apps sharing one Redis: a caller's
 * budget is one, whichever process answers.
 */
describe('rate limits', () => {
  let apis: TestApi[];
  const start = () =>
    TestApi.start((builder) =>
      builder.overrideProvider(AppConfig).useValue(
        loadConfig({
          ...process.env,
          RATE_LIMIT_USER_REQUESTS: '5',
          RATE_LIMIT_API_KEY_REQUESTS: '3',
          RATE_LIMIT_WINDOW_SECONDS: '60',
        }),
      ),
    );

  beforeAll(async () => {
    apis = [await start(), await start()];
  });
  afterAll(async () => {
    await Promise.all((apis ?? []).map((api) => api.close()));
  });

  it('counts a user across both processes, with RateLimit headers, then answers 429 with Retry-After', async () => {
    const [one, two] = apis as [TestApi, TestApi];
    // Signing up and in is not counted (sign-in has its own throttle).
    const user = await TestSession.signup(one, 'busy');
    const me = (api: TestApi) => api.get('/api/v1/me', { token: user.accessToken });
    const replies = [];
    for (const api of [one, two, one, two, one]) replies.push(await me(api));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(replies.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);
    expect(replies[0]?.headers.get('ratelimit-limit')).toBe('5');
    expect(replies[0]?.headers.get('ratelimit-policy')).toBe('5;w=60');
    const reset = Number(replies[4]?.headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(reset).toBeLessThanOrEqual(60);

    const over = await me(two);
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('rate_limited');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(over.headers.get('ratelimit-remaining')).toBe('0');

    // Another user has a budget of their own.
    const other = await TestSession.signup(two, 'calm');
    expect((await one.get('/api/v1/me', { token: other.accessToken })).status).toBe(200);
  });

  it('gives each API key its own budget, apart from its creator', async () => {
    const [one, two] = apis as [TestApi, TestApi];
    const owner = await TestSession.signup(one, 'partner-owner');
    const orgId = (await owner.createOrg('Partner')).id;
    const apiKey = await owner.createApiKey(orgId, ['read']);
    const list = (api: TestApi) => api.get(`/api/v1/orgs/${orgId}/contacts`, { apiKey });
    const statuses = [];
    for (const api of [one, two, one, two]) statuses.push((await list(api)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await list(one)).headers.get('ratelimit-limit')).toBe('3');
    // The key's calls did not spend its creator's budget.
    expectStatus(await owner.get(`/api/v1/orgs/${orgId}`), 200);
  });

  it("does not count Meta's webhooks or the health check", async () => {
    const [one] = apis as [TestApi, TestApi];
    for (let i = 0; i < 8; i += 1) {
      const health = await one.get('/health');
      expect(health.status).toBe(200);
      expect(health.headers.get('ratelimit-limit')).toBeNull();
      const webhook = await one.request('POST', `/api/v1/webhooks/whatsapp/${randomUUID()}`, {
        rawBody: '{"object":"whatsapp_business_account","entry":[]}',
        headers: { 'content-type': 'application/json' },
      });
      expect(webhook.status).not.toBe(429);
      expect(webhook.headers.get('ratelimit-limit')).toBeNull();
    }
  });
});
