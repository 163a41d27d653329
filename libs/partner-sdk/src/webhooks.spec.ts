import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readWebhook, signWebhook, verifyWebhook, WEBHOOK_HEADERS } from './webhooks';

const ROOT = join(__dirname, '../../..');
const secret = 'whsec_test-secret';
const body = JSON.stringify({
  id: '6f1c2a8e-2d7b-4b0e-9a51-8f3d1e0c7b42',
  type: 'webhook.test',
  orgId: 'org',
  createdAt: '2026-11-24T10:00:00.000Z',
  data: { subscriptionId: 'sub' },
});
const now = Date.parse('2026-11-24T10:00:00Z');
const timestamp = Math.floor(now / 1000);

describe('webhook signatures', () => {
  it('verifies what was signed with the secret, within five minutes', () => {
    const signature = signWebhook(secret, timestamp, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook({ secret, body, timestamp: String(timestamp), signature, now })).toBe(true);
    expect(verifyWebhook({ secret, body, timestamp: String(timestamp), signature, now: now + 299_000 })).toBe(true);
  });

  it('refuses another body, another secret, an old or missing timestamp, a missing signature', () => {
    const signature = signWebhook(secret, timestamp, body);
    const check = (overrides: Partial<Parameters<typeof verifyWebhook>[0]>) =>
      verifyWebhook({ secret, body, timestamp: String(timestamp), signature, now, ...overrides });
    expect(check({ body: body.replace('sub', 'bus') })).toBe(false);
    expect(check({ secret: 'whsec_other' })).toBe(false);
    expect(check({ now: now + 301_000 })).toBe(false);
    expect(check({ timestamp: undefined })).toBe(false);
    expect(check({ timestamp: String(timestamp + 1) })).toBe(false);
    expect(check({ signature: undefined })).toBe(false);
    expect(check({ signature: 'v1=short' })).toBe(false);
  });

  it('reads a signed request into its event, and nothing from an unsigned one', () => {
    const headers = {
      [WEBHOOK_HEADERS.timestamp]: String(Math.floor(Date.now() / 1000)),
      [WEBHOOK_HEADERS.signature]: signWebhook(secret, Math.floor(Date.now() / 1000), body),
    };
    expect(readWebhook(secret, { body, headers })).toMatchObject({
      type: 'webhook.test',
      data: { subscriptionId: 'sub' },
    });
    expect(readWebhook(secret, { body, headers: {} })).toBeNull();
  });
});

describe('the SDK', () => {
  it('has types generated from the committed OpenAPI document', () => {
    expect(() =>
      execFileSync(process.execPath, [join(ROOT, 'tools/partner-sdk.mjs'), '--check'], { cwd: ROOT }),
    ).not.toThrow();
  });
});
