import { readState } from '@parley/testing/platform';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from './support/accessibility';
import { launch, openPage, screenshot, signUpWithSandbox } from './support/browser';

const state = readState();
const baseUrl = state.apiUrls[0] as string;
const run = Date.now().toString(36);
const owner = { name: 'Olga Owner', email: `olga-${run}@example.com`, password: 'correct-horse-battery' };

/** Meta's side of the token: the sandbox's control API ages, revokes or replaces it. */
async function tokenAtMeta(wabaId: string, token: { accessToken?: string; expiresAt?: number }): Promise<void> {
  const response = await fetch(`${state.sandboxUrl}/_sandbox/wabas/${wabaId}/token`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(token),
  });
  if (!response.ok) throw new Error(`sandbox token: ${response.status} ${await response.text()}`);
}

describe('governance in the console', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let wabaId = '';

  beforeAll(async () => {
    browser = await launch();
    ({ page, errors } = await openPage(browser, baseUrl));
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  it('warns on every page when the WhatsApp token is about to expire, until it is replaced', async () => {
    await signUpWithSandbox(page, owner, `Governed ${run}`);
    wabaId = ((await page.locator('dt:text-is("WABA id") + dd').textContent()) ?? '').trim();
    expect(wabaId).toMatch(/^\d+$/);

    // Meta will end the token in two days: the check flags it, and a banner shows on every page.
    await tokenAtMeta(wabaId, { expiresAt: Math.floor(Date.now() / 1000) + 2 * 86_400 });
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.locator('.token-status', { hasText: 'Expiring soon' }).waitFor();
    const banner = page.getByRole('alert').filter({ hasText: 'expires soon' });
    await banner.waitFor();
    await page.getByRole('link', { name: 'Inbox', exact: true }).click();
    await page.waitForURL(/\/inbox/);
    await banner.waitFor();
    await screenshot(page, 'governance-01-token-banner');

    // Replaced: Meta issues a new token, an admin pastes it, the check passes and the banner goes.
    await banner.getByRole('link', { name: 'Replace the token' }).click();
    await page.waitForURL(/\/settings\/whatsapp/);
    const accessToken = `EAAG${randomUUID().replace(/-/g, '')}${randomUUID().replace(/-/g, '')}`;
    await tokenAtMeta(wabaId, { accessToken, expiresAt: 0 });
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('New access token').fill(accessToken);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved. Token: Valid').waitFor();
    await page.locator('.token-status', { hasText: 'Valid' }).waitFor();
    await banner.waitFor({ state: 'detached' });
    expect(await page.locator('dt:text-is("Access token") + dd code').textContent()).toContain(accessToken.slice(-4));
  });

  it('sets how long messages are kept, and downloads everything as a ZIP made in the background', async () => {
    await page.getByRole('link', { name: 'Privacy' }).click();
    await page.waitForURL(/\/settings\/privacy/);
    await page.getByRole('radio', { name: 'Delete message contents after a number of days' }).check();
    await page.getByLabel('Days to keep').fill('90');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Message contents older than 90 days will be deleted nightly').waitFor();

    await page.getByRole('button', { name: 'Export everything' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Ready' });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toMatch(/(\d+) of \1 tables/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'governance-02-privacy');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^parley-export-governed-[\w-]+-\d{4}-\d{2}-\d{2}\.zip$/);
    const archive = await readFile((await download.path()) as string);
    expect(archive.subarray(0, 2).toString()).toBe('PK');
    expect(archive.includes(Buffer.from('manifest.json'))).toBe(true);
  });
});
