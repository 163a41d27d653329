import { readState } from '@parley/testing/platform';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from './support/accessibility';
import { json } from './support/api';
import { launch, openPage, screenshot, signUpWithSandbox } from './support/browser';

const state = readState();
const baseUrl = state.apiUrls[0] as string;
const run = Date.now().toString(36);
const admin = { name: 'Marta Marketing', email: `marta-${run}@example.com`, password: 'correct-horse-battery' };

/** 30 opted-in customers tagged `spring`, each with an order; the first has no name (the fallback says hi). */
const AUDIENCE = 30;
const FIRST_NAMES = ['Bruna', 'Caio', 'Dora', 'Enzo', 'Fabi', 'Gil', 'Helena', 'Igor', 'Julia', 'Lucas'];
const prefix = `55219${String(Date.now()).slice(-4)}`;
const customers = Array.from({ length: AUDIENCE }, (_, i) => ({
  phone: `+${prefix}${String(i).padStart(4, '0')}`,
  name: i === 0 ? '' : `${FIRST_NAMES[i % FIRST_NAMES.length]} Souza`,
  orderId: `#${1000 + i}`,
}));

describe('a marketing campaign in the console', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let token: string;
  let orgId: string;
  let metaPhoneNumberId: string;

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

  it('signs up, connects the sandbox, and has an audience of 30 opted-in customers tagged spring', async () => {
    await signUpWithSandbox(page, admin, `Loja Primavera ${run}`);
    await page.locator('.numbers li').first().waitFor();

    token = await page.evaluate(() => JSON.parse(localStorage.getItem('parley.tokens') ?? '{}').accessToken);
    orgId = (await page.evaluate(() => localStorage.getItem('parley.org'))) as string;
    const accounts = await json<{ data: { id: string }[] }>('GET', `/api/v1/orgs/${orgId}/waba-accounts`, token);
    const numbers = await json<{ data: { id: string; phoneNumberId: string }[] }>(
      'GET',
      `/api/v1/orgs/${orgId}/waba-accounts/${accounts.data[0]?.id}/phone-numbers`,
      token,
    );
    metaPhoneNumberId = numbers.data[0]?.phoneNumberId as string;
    // A slow number (3 messages a second): the campaign is still sending when its page opens.
    await json(
      'PATCH',
      `/api/v1/orgs/${orgId}/waba-accounts/${accounts.data[0]?.id}/phone-numbers/${numbers.data[0]?.id}`,
      token,
      {
        throughputMps: 3,
      },
    );

    // The marketer's CSV, imported as the console's import does; two more tagged customers opted out.
    const csv = ['phone,name,order_id', ...customers.map((c) => `${c.phone},${c.name},${c.orderId}`)].join('\n');
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'spring.csv');
    form.append('tags', 'spring');
    form.append('optInStatus', 'opted_in');
    const imported = await fetch(`${baseUrl}/api/v1/orgs/${orgId}/contacts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(imported.status).toBe(200);
    expect(await imported.json()).toEqual(expect.objectContaining({ created: AUDIENCE }));
    for (const phone of [`+${prefix}9998`, `+${prefix}9999`])
      await json('POST', `/api/v1/orgs/${orgId}/contacts`, token, {
        phone,
        name: 'Otto Out',
        tags: ['spring'],
        optInStatus: 'opted_out',
      });
  });

  it('builds the campaign: order_update, each parameter mapped, the spring tag, and a live count of 30', async () => {
    await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
    await page.waitForURL(/\/campaigns$/);
    await page.getByText('No campaigns yet.').waitFor();
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.waitForURL(/\/campaigns\/new/);

    await page.getByLabel('Campaign name').fill('Spring orders shipped');
    // The org's only number is chosen already; its account's approved templates load.
    const templates = page.getByLabel('Approved template');
    const orderUpdate = templates.locator('option', { hasText: 'order_update' });
    await orderUpdate.waitFor({ state: 'attached' });
    await templates.selectOption((await orderUpdate.getAttribute('value')) as string);

    // {{1}}: the contact's first name (the default), "there" for a contact without one.
    const first = page.getByRole('group', { name: /^Body \{\{1\}\}/ });
    await expect(first.getByLabel('Source').inputValue()).resolves.toBe('contact');
    await first.getByLabel('Fallback').fill('there');
    // {{2}}: the order_id attribute the CSV brought; {{3}}: the same text for everyone.
    const second = page.getByRole('group', { name: /^Body \{\{2\}\}/ });
    await second.getByLabel('Source').selectOption('attribute');
    await second.getByLabel('Attribute').fill('order_id');
    await page
      .getByRole('group', { name: /^Body \{\{3\}\}/ })
      .getByLabel('Text')
      .fill('tomorrow');
    await expect(page.getByTestId('campaign-preview').textContent()).resolves.toContain(
      'Hi Maria, your order [order_id] has shipped and arrives tomorrow.',
    );

    await page.locator('input[name="tags-any"]').fill('spring');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Remove spring' }).waitFor();
    // The count asks the API as the audience changes: 30 opted in, the 2 who opted out skipped.
    await page.getByTestId('estimate-eligible').filter({ hasText: /^30$/ }).waitFor();
    await page.getByText('2 skipped: Opted out').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('estimate-eligible').evaluate((count) => count.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'campaigns-01-builder');
  });

  it('launches after confirming how many will be messaged, and the funnel fills live to 30 delivered', async () => {
    await page.getByRole('button', { name: 'Launch' }).click();
    const confirm = page.getByRole('dialog', { name: 'Launch this campaign?' });
    await confirm.getByText(/30 people will be messaged with order_update now\. 2 will be skipped\./).waitFor();
    await confirm.getByRole('button', { name: 'Send to 30' }).click();

    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    // From here on the page is never reloaded: a reload would drop this marker.
    await page.evaluate(() => Object.assign(window, { e2eSamePage: true }));
    await page.getByRole('heading', { name: 'Spring orders shipped' }).waitFor();

    // The sandbox accepts the sends and then posts delivered statuses; the worker pushes campaign.updated.
    const count = (step: string) => page.getByTestId(`funnel-${step}`).locator('.count');
    await count('targeted').filter({ hasText: /^32$/ }).waitFor();
    expect(Number(await count('sent').textContent())).toBeLessThan(AUDIENCE);
    await count('sent').filter({ hasText: /^30$/ }).waitFor({ timeout: 30_000 });
    await count('delivered').filter({ hasText: /^30$/ }).waitFor({ timeout: 30_000 });
    await expect(count('targeted').textContent()).resolves.toBe('32');
    await expect(count('skipped').textContent()).resolves.toBe('2');
    await expect(count('failed').textContent()).resolves.toBe('0');
    await page.getByTestId('campaign-status').filter({ hasText: 'Completed' }).waitFor({ timeout: 15_000 });
    await expect(page.getByTestId('campaign-progress').textContent()).resolves.toBe('100% done');
    await expect(page.evaluate(() => 'e2eSamePage' in window)).resolves.toBe(true);

    // The recipients follow too, with why the two were skipped.
    const table = page.getByRole('table', { name: 'Recipients' });
    await table
      .getByRole('cell', { name: /^(Delivered|Read)$/ })
      .nth(AUDIENCE - 1)
      .waitFor({ timeout: 15_000 });
    await expect(table.getByRole('row').filter({ hasText: 'Opted out' }).count()).resolves.toBe(2);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'campaigns-02-detail-delivered');

    // Meta received each customer's own values, and the fallback for the one without a name.
    const response = await fetch(
      `${state.sandboxUrl}/_sandbox/messages?phoneNumberId=${metaPhoneNumberId}&direction=outbound`,
    );
    const sent = ((await response.json()) as { data: { waId: string; type: string; body: string }[] }).data.filter(
      (message) => message.type === 'template',
    );
    expect(sent).toHaveLength(AUDIENCE);
    const bodyTo = (phone: string) => sent.find((message) => message.waId === phone.slice(1))?.body;
    expect(bodyTo(customers[0]?.phone as string)).toContain(
      'Hi there, your order #1000 has shipped and arrives tomorrow.',
    );
    expect(bodyTo(customers[3]?.phone as string)).toContain(
      'Hi Enzo, your order #1003 has shipped and arrives tomorrow.',
    );
  });

  it('filters the recipients, exports them as CSV, and lists the campaign with its progress', async () => {
    const table = page.getByRole('table', { name: 'Recipients' });
    await page.getByLabel('Phone contains').fill(`${prefix}0003`);
    await table.getByRole('cell', { name: customers[4]?.phone as string }).waitFor({ state: 'detached' });
    await table.getByRole('cell', { name: customers[3]?.phone as string }).waitFor();
    await expect(table.getByRole('row').count()).resolves.toBe(2);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = readFileSync((await (await download).path()) as string, 'utf8')
      .trim()
      .split('\n');
    expect(file[0]).toBe('phone,name,status,skipReason,errorCode,errorTitle,sentAt,deliveredAt,readAt,repliedAt');
    expect(file).toHaveLength(2);
    expect(file[1]).toMatch(new RegExp(`^\\${customers[3]?.phone},Enzo Souza,(delivered|read),`));

    await page.getByRole('link', { name: 'Back to campaigns' }).click();
    const row = page.getByRole('row', { name: /Spring orders shipped/ });
    await row.getByRole('cell', { name: 'order_update' }).waitFor();
    await expect(row.textContent()).resolves.toMatch(/Completed.*order_update.*30 \/ 32/);
    await screenshot(page, 'campaigns-03-list');
  });
});
