import { readState } from '@parley/testing/platform';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from './support/accessibility';
import { customerWrites, json } from './support/api';
import { launch, openPage, screenshot, signUpWithSandbox } from './support/browser';

const state = readState();
const baseUrl = state.apiUrls[0] as string;
const run = Date.now().toString(36);
const admin = { name: 'Paula Parceira', email: `paula-${run}@example.com`, password: 'correct-horse-battery' };
const customer = { name: 'Caio Cliente', waId: `55319${String(Date.now()).slice(-8)}` };

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** What a partner's server does with a request: recompute the signature with nothing but the secret. */
function signedBy(secret: string, request: Received): boolean {
  const timestamp = request.headers['x-parley-timestamp'] as string;
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`;
  return request.headers['x-parley-signature'] === expected;
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the partner API from the console', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let partner: Server;
  const received: Received[] = [];
  let apiKey = '';
  let secret = '';

  beforeAll(async () => {
    browser = await launch();
    ({ page, errors } = await openPage(browser, baseUrl));
    partner = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.end();
      });
    });
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => partner?.close(resolve));
  });

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  it('creates an API key, shown once', async () => {
    await signUpWithSandbox(page, admin, `Parceiros ${run}`);

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL(/\/settings\/api-keys/);
    await page.getByText('No API keys yet.').waitFor();
    await page.getByLabel('Name').fill('CRM sync');
    await page.getByRole('button', { name: 'Create key' }).click();
    apiKey = (await page.getByTestId('new-api-key').textContent())?.trim() ?? '';
    expect(apiKey).toMatch(/^prl_\w{8}_/);
    const row = page.getByRole('row', { name: /CRM sync/ });
    await row.waitFor();
    // The list shows the key masked, never whole.
    expect(await row.textContent()).not.toContain(apiKey);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'partner-01-api-keys');
    await page.getByRole('button', { name: 'Done' }).click();
  });

  it('subscribes a webhook, and shows the deliveries of a message the partner sends with the key', async () => {
    const url = `http://127.0.0.1:${(partner.address() as AddressInfo).port}/parley`;
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL(/\/settings\/webhooks/);
    await page.getByLabel('URL').fill(url);
    await page.getByLabel('Description').fill('CRM');
    // message.received and message.status are ticked to begin with.
    await page.getByRole('button', { name: 'Create webhook' }).click();
    secret = (await page.getByTestId('webhook-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('row', { name: new RegExp(url) }).waitFor();

    // The customer writes first (the 24-hour window opens); the partner answers through the API with its key.
    const orgId = await page.evaluate(() => localStorage.getItem('parley.org'));
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('parley.tokens') ?? '{}').accessToken);
    const accounts = await json<{ data: { id: string }[] }>('GET', `/api/v1/orgs/${orgId}/waba-accounts`, token);
    const numbers = await json<{ data: { id: string; phoneNumberId: string }[] }>(
      'GET',
      `/api/v1/orgs/${orgId}/waba-accounts/${accounts.data[0]?.id}/phone-numbers`,
      token,
    );
    await customerWrites(numbers.data[0]?.phoneNumberId as string, customer, 'Oi, meu pedido chegou?');
    // The partner hears of the customer's message: it is stored, and the window is open.
    await until(() => received.some((r) => JSON.parse(r.body).type === 'message.received'), 'message.received');
    const sent = await fetch(`${baseUrl}/api/v1/orgs/${orgId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ to: `+${customer.waId}`, type: 'text', text: { body: 'Chegou sim! Saiu hoje cedo.' } }),
    });
    // Accepted for sending (the answer's body is in the failure message otherwise).
    expect([sent.status, await sent.text()]).toEqual([202, expect.stringContaining('"direction":"outbound"')]);

    await page.getByRole('button', { name: 'Deliveries' }).click();
    const log = page.getByRole('table', { name: 'Deliveries' });
    await log.getByRole('row', { name: /message\.received succeeded/ }).waitFor({ timeout: 20_000 });
    await log
      .getByRole('row', { name: /message\.status succeeded/ })
      .first()
      .waitFor({ timeout: 20_000 });

    // The partner's server got the same events, each signed with the secret it was shown.
    const types = received.map((r) => JSON.parse(r.body).type);
    expect(types).toContain('message.received');
    expect(types).toContain('message.status');
    expect(received.every((r) => signedBy(secret, r))).toBe(true);
    const status = received.find((r) => JSON.parse(r.body).type === 'message.status');
    expect(JSON.parse(status?.body ?? '{}').data.message).toMatchObject({
      direction: 'outbound',
      body: 'Chegou sim! Saiu hoje cedo.',
    });

    await log
      .getByRole('row', { name: /message\.received/ })
      .getByRole('button', { name: 'Details' })
      .click();
    const details = page.getByRole('region', { name: 'Delivery details' });
    await details.getByText(/200 in \d+ ms/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'partner-02-webhook-deliveries');
  });

  it('shows who did it in the audit log, filtered by action', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(/\/settings\/audit-log/);
    const log = page.getByRole('table', { name: 'Audit log' });
    await log.getByRole('row', { name: /api_key\.created/ }).waitFor();
    await log.getByRole('row', { name: /webhook_subscription\.created/ }).waitFor();
    expect(await log.getByRole('row', { name: /api_key\.created/ }).textContent()).toContain(admin.email);

    await page.getByLabel('Action').fill('webhook_subscription.*');
    await page.getByRole('button', { name: 'Filter' }).click();
    await log.getByRole('row', { name: /api_key\.created/ }).waitFor({ state: 'detached' });
    const actions = await log.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(actions.map((a) => a.trim())).toEqual(['webhook_subscription.created']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'partner-03-audit-log');
  });
});
