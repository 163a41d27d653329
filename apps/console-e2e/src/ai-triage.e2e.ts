import { readState } from '@parley/testing/platform';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from './support/accessibility';
import { customerWrites, json } from './support/api';
import { launch, openPage, screenshot, signUpWithSandbox } from './support/browser';

const state = readState();
const baseUrl = state.apiUrls[0] as string;
const run = Date.now().toString(36);
const admin = { name: 'Iara Insights', email: `iara-${run}@example.com`, password: 'correct-horse-battery' };
const customer = { name: 'Bruno Comprador', waId: `5521${String(Date.now()).slice(-9)}` };

describe('AI triage in the console', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launch();
    ({ page, errors } = await openPage(browser, baseUrl));
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(() => {
    // Any error in the browser's console fails the step it happened in.
    expect(errors.splice(0)).toEqual([]);
  });

  it('turns triage on in the AI settings, and tests the provider', async () => {
    await signUpWithSandbox(page, admin, `Loja IA ${run}`);

    await page.getByRole('link', { name: 'AI', exact: true }).click();
    await page.waitForURL(/\/settings\/ai/);
    const toggle = page.getByRole('switch', { name: 'Read customer messages as they arrive' });
    // Off for a new org, once the settings have loaded (the form shows its defaults until then).
    await page.getByRole('switch', { name: 'Read customer messages as they arrive', checked: false }).waitFor();
    await toggle.click();
    await page.getByLabel('Summarize every (messages)').fill('2');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('AI settings saved').waitFor();

    await page.getByRole('button', { name: 'Test' }).click();
    await page
      .getByRole('status')
      .getByText(/The local provider answered in \d+ ms\./)
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'ai-01-settings');
  });

  it('shows what triage read in a conversation, and drafts a reply the agent sends', async () => {
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('parley.tokens') ?? '{}').accessToken);
    const orgId = await page.evaluate(() => localStorage.getItem('parley.org'));
    const accounts = await json<{ data: { id: string }[] }>('GET', `/api/v1/orgs/${orgId}/waba-accounts`, token);
    const numbers = await json<{ data: { phoneNumberId: string }[] }>(
      'GET',
      `/api/v1/orgs/${orgId}/waba-accounts/${accounts.data[0]?.id}/phone-numbers`,
      token,
    );
    const phoneNumberId = numbers.data[0]?.phoneNumberId as string;

    await page.getByRole('link', { name: 'Inbox', exact: true }).click();
    await page.waitForURL(/\/inbox/);
    await customerWrites(phoneNumberId, customer, 'Olá! Quanto custa o tênis azul no tamanho 42?');
    const row = page.getByRole('link', { name: new RegExp(customer.name) });
    await row.waitFor();
    await row.click();
    const log = page.getByRole('log', { name: 'Messages' });
    await log.getByText('Quanto custa o tênis azul').waitFor();
    await customerWrites(phoneNumberId, customer, 'Quero comprar dois pares, por favor. Vocês entregam amanhã?');
    await log.getByText('Quero comprar dois pares').waitFor();

    // Each customer message gets its reading, live; after two, the conversation's summary.
    await log.getByText('Neutral · Product inquiry').waitFor();
    const insights = page.getByRole('region', { name: 'AI insights' });
    await insights.getByText('Portuguese').waitFor();
    await insights.getByText(/Quero comprar dois pares/).waitFor();
    await insights.getByRole('meter', { name: 'Lead score' }).waitFor();
    const lead = Number(await insights.getByRole('meter', { name: 'Lead score' }).getAttribute('aria-valuenow'));
    expect(lead).toBeGreaterThanOrEqual(70);
    const suggested = insights.getByRole('list', { name: 'Suggested tags' });
    await suggested.getByText('order request').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'ai-02-inbox-insights');
    // A suggested tag is one click from the contact's tags.
    await suggested.getByRole('button', { name: 'Tag the contact order request' }).click();
    await page.locator('mat-chip-set[aria-label="Tags"]').getByText('order request').waitFor();
    await suggested.getByRole('button', { name: 'Tag the contact order request' }).waitFor({ state: 'detached' });

    // A drafted reply, in the customer's language, into the composer to edit and send.
    await page.getByRole('button', { name: 'Suggested reply' }).click();
    const suggestion = page.getByRole('region', { name: 'Suggested reply' });
    await suggestion.getByText(/Obrigado pelo seu pedido/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'ai-03-suggested-reply');
    await suggestion.getByRole('button', { name: 'Use draft' }).click();
    await suggestion.waitFor({ state: 'detached' });
    await expect(suggestion.count()).resolves.toBe(0);
    const composer = page.getByLabel('Message', { exact: true });
    await expect(composer.inputValue()).resolves.toMatch(/^Obrigado pelo seu pedido!/);
    await composer.press('End');
    await composer.pressSequentially(' 🙂');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await log.getByText(/Obrigado pelo seu pedido!.*🙂/).waitFor();
  });
});
