import { readState } from '@parley/testing/platform';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from './support/accessibility';
import { json } from './support/api';
import { launch, openPage, screenshot } from './support/browser';

const state = readState();
const baseUrl = state.apiUrls[0] as string;
const run = Date.now().toString(36);

describe('an admin writes a message template and gets it approved', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launch();
    ({ page, errors } = await openPage(browser, baseUrl));
    // Signed up, with an organization on the sandbox, through the API: the agent's-day test covers those screens.
    const tokens = await json<{ accessToken: string; refreshToken: string }>('POST', '/api/v1/auth/signup', undefined, {
      name: 'Tina Templates',
      email: `tina-${run}@example.com`,
      password: 'correct-horse-battery',
    });
    const org = await json<{ id: string }>('POST', '/api/v1/orgs', tokens.accessToken, { name: `Templates ${run}` });
    await json('POST', `/api/v1/orgs/${org.id}/waba-accounts/sandbox`, tokens.accessToken, {});
    await page.goto('/sign-in');
    await page.evaluate(
      ([stored, orgId]) => {
        localStorage.setItem('parley.tokens', stored);
        localStorage.setItem('parley.org', orgId);
      },
      [JSON.stringify(tokens), org.id] as const,
    );
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(() => {
    // Any error in the browser's console fails the step it happened in (the API's 4xx answers are expected ones).
    expect(errors.splice(0).filter((error) => !/status of 4\d\d/.test(error))).toEqual([]);
  });

  it('writes a template with a live preview, sees Meta’s rules, and submits it for review', async () => {
    await page.goto('/templates');
    await page.getByRole('link', { name: 'New template' }).click();
    await page.waitForURL(/\/templates\/new/);

    await page.getByLabel('Name').fill('Order Shipped');
    await page.getByText('name may hold only lowercase letters').waitFor();
    await page.getByLabel('Name').fill(`order_shipped_${run}`);
    await page.getByLabel('Body text').fill('Hi {{1}}, your order *{{2}}* is on its way.');
    await page.getByLabel('Body {{1}}').fill('Maria');
    await page.getByLabel('Body {{2}}').fill('#1042');
    await page.getByLabel('Footer (optional)').fill('Reply STOP to opt out');
    await page.getByRole('button', { name: 'Add button' }).click();
    await page.getByRole('menuitem', { name: 'Visit website' }).click();
    await page.getByLabel('Label').fill('Track order');
    await page.getByLabel('URL (may end with {{1}})').fill('https://shop.example/track/{{1}}');
    await page.getByLabel('Sample for {{1}}').fill('1042');

    const preview = page.getByRole('figure', { name: 'Preview as the customer sees it' });
    await preview.getByText('Hi Maria, your order').waitFor();
    await expect(preview.locator('.bold').textContent()).resolves.toBe('#1042');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '20-template-editor');

    await page.getByRole('button', { name: 'Submit to Meta' }).click();
    await page.waitForURL(/\/templates\/[0-9a-f-]{36}$/);
    // The sandbox approves it by webhook; the page looks again while Meta reviews.
    await page.locator('.page-header').getByText('Approved').waitFor({ timeout: 20_000 });
    await screenshot(page, '21-template-approved');

    await page.getByRole('link', { name: 'Back to templates' }).click();
    const row = page.getByRole('row').filter({ hasText: `order_shipped_${run}` });
    await row.getByText('Approved').waitFor();
    await screenshot(page, '22-templates-list');
  });
});
