import { readState } from '@parley/testing/platform';
import type { Browser, Page } from 'playwright-core';
import { Client } from 'pg';
import { seriousViolations } from './support/accessibility';
import { customerWrites, json } from './support/api';
import { launch, openPage, screenshot } from './support/browser';

const state = readState();
const baseUrl = state.apiUrls[0] as string;
const run = Date.now().toString(36);
const agent = { name: 'Ana Agent', email: `ana-${run}@example.com`, password: 'correct-horse-battery' };
const customer = { name: 'Carla Cliente', waId: `5511${String(Date.now()).slice(-9)}` };

describe("an agent's day in the console", () => {
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

  it('signs up, creates the organization, and connects WhatsApp with the sandbox in one click', async () => {
    await page.goto('/');
    await page.waitForURL(/\/sign-in/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '01-sign-in');

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Your name').fill(agent.name);
    await page.getByLabel('Email').fill(agent.email);
    await page.getByLabel('Password').fill(agent.password);
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.waitForURL(/\/welcome/);
    await page.getByLabel('Organization name').fill(`Loja ${run}`);
    await screenshot(page, '02-create-organization');
    await page.getByRole('button', { name: 'Create' }).click();

    await page.waitForURL(/\/settings\/whatsapp/);
    await page.getByRole('button', { name: 'Use the sandbox' }).click();
    await page.getByText('Connected to the sandbox').waitFor();
    // The number the sandbox gave the account, pulled from its Graph API.
    await page.locator('.numbers li').first().waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/Connected to .*: 1 phone number\./).waitFor();
    await expect(page.getByRole('button', { name: 'Copy the webhook URL' }).isVisible()).resolves.toBe(true);
    await screenshot(page, '03-whatsapp-connected');

    // A quick reply for the team, used from the composer below.
    await page.getByRole('link', { name: 'Quick replies' }).click();
    await page.getByLabel('Shortcut').fill('shipped');
    await page.getByLabel('Text').fill('Olá! Seu pedido saiu hoje cedo e chega amanhã. 🚚');
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('cell', { name: '/shipped', exact: true }).waitFor();
  });

  it('shows a new customer conversation live, replies, and sees the ticks turn blue', async () => {
    await page.getByRole('link', { name: 'Inbox', exact: true }).click();
    await page.waitForURL(/\/inbox/);
    await page.getByText('No conversations here.').waitFor();

    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('parley.tokens') ?? '{}').accessToken);
    const orgId = await page.evaluate(() => localStorage.getItem('parley.org'));
    const accounts = await json<{ data: { id: string }[] }>('GET', `/api/v1/orgs/${orgId}/waba-accounts`, token);
    const numbers = await json<{ data: { phoneNumberId: string }[] }>(
      'GET',
      `/api/v1/orgs/${orgId}/waba-accounts/${accounts.data[0]?.id}/phone-numbers`,
      token,
    );
    const phoneNumberId = numbers.data[0]?.phoneNumberId as string;

    // Realtime: the conversation appears in the open inbox, with its unread badge and the tab title.
    await customerWrites(phoneNumberId, customer, 'Oi! Meu pedido #4521 já saiu?');
    const row = page.getByRole('link', { name: new RegExp(customer.name) });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Meu pedido #4521');
    await page.waitForFunction(() => document.title.startsWith('(1) Inbox'));
    await screenshot(page, '04-inbox-new-conversation');

    await row.click();
    await page.getByRole('log', { name: 'Messages' }).getByText('Meu pedido #4521').waitFor();
    // Opening it marks it read: the badge and the title count go.
    await page.waitForFunction(() => document.title === 'Inbox · Parley');

    // "/" brings the team's quick replies; Enter takes the first match, Enter again sends it.
    await page.getByLabel('Message', { exact: true }).pressSequentially('/ship');
    await page.getByRole('option', { name: /\/shipped/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      document.querySelector<HTMLTextAreaElement>('#composer-text')?.value.includes('saiu hoje cedo'),
    );
    await page.keyboard.press('Enter');
    const reply = page.locator('app-message-bubble').filter({ hasText: 'saiu hoje cedo' });
    await reply.waitFor();
    // queued → sent → delivered → read, pushed by the status webhooks; read is the blue double tick.
    await reply.getByRole('img', { name: 'Read' }).waitFor({ timeout: 20_000 });
    await expect(reply.locator('.tick.read').count()).resolves.toBe(1);

    // A photo from the composer's attachment button: uploaded, sent, and shown from our media store.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGPgzvMnCTGMahjVMHw1AAAQ/sgBnMi6gAAAAABJRU5ErkJggg==',
      'base64',
    );
    await page.getByLabel('Message', { exact: true }).fill('Foto do pacote');
    await page
      .locator('app-composer input[type=file]')
      .setInputFiles({ name: 'box.png', mimeType: 'image/png', buffer: png });
    const photo = page.locator('app-message-bubble').filter({ hasText: 'Foto do pacote' });
    await photo.getByRole('img', { name: 'Foto do pacote' }).waitFor();
    await photo.getByRole('img', { name: /Delivered|Read/ }).waitFor({ timeout: 20_000 });

    // The customer answers while the conversation is open: it arrives without a reload.
    await customerWrites(phoneNumberId, customer, 'Perfeito, obrigada!');
    await page.getByRole('log', { name: 'Messages' }).getByText('Perfeito, obrigada!').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '05-chat-read');
  });

  it('switches to the template picker once the customer has been silent for 25 hours, and sends a template', async () => {
    // Seeded data: the customer's last message moves 25 hours into the past.
    const database = new Client({ connectionString: state.databaseUrl });
    await database.connect();
    try {
      await database.query(
        `UPDATE conversations SET last_inbound_at = last_inbound_at - interval '25 hours'
          WHERE contact_id IN (SELECT id FROM contacts WHERE wa_id = $1)`,
        [customer.waId],
      );
      await database.query(
        `UPDATE contacts SET last_inbound_at = last_inbound_at - interval '25 hours' WHERE wa_id = $1`,
        [customer.waId],
      );
    } finally {
      await database.end();
    }
    await page.reload();

    await page.getByText(/The 24-hour window closed 1 h ago/).waitFor();
    await expect(page.getByLabel('Message', { exact: true }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Choose a template' }).click();

    const dialog = page.getByRole('dialog', { name: 'Send a template' });
    await dialog.getByRole('option', { name: /order_update/ }).click();
    // The contact's first name fills {{1}}; the rest must be filled before the template can go.
    await expect(dialog.getByLabel('Body {{1}}').inputValue()).resolves.toBe('Carla');
    await dialog.getByRole('button', { name: 'Send template' }).click();
    await dialog.getByText('Required').first().waitFor();
    await dialog.getByLabel('Body {{2}}').fill('#4521');
    await dialog.getByLabel('Body {{3}}').fill('amanhã');
    await expect(dialog.getByTestId('template-preview').textContent()).resolves.toBe(
      'Hi Carla, your order #4521 has shipped and arrives amanhã.',
    );
    await screenshot(page, '06-template-picker');
    await dialog.getByRole('button', { name: 'Send template' }).click();
    await dialog.waitFor({ state: 'detached' });

    const template = page.locator('app-message-bubble').filter({ hasText: 'your order #4521 has shipped' });
    await template.waitFor();
    await template.getByRole('img', { name: /Delivered|Read/ }).waitFor({ timeout: 20_000 });
    await screenshot(page, '07-template-sent');
  });

  it('lists the customer among the contacts, imports a CSV with a per-row report, and erases a contact', async () => {
    await page.getByRole('link', { name: 'Contacts', exact: true }).click();
    await page.waitForURL(/\/contacts/);
    await page.getByRole('cell', { name: customer.name }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '08-contacts');

    await page.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import contacts' });
    const csv = ['phone,name,tags,city', '+5511912340001,Bruno Lima,vip,Recife', 'not-a-phone,Nobody,,', ''].join('\n');
    await dialog
      .getByLabel('CSV file')
      .setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await dialog.getByText(/2 rows: 1 created, 0 updated/).waitFor();
    const problem = dialog.getByRole('table', { name: 'Rows not imported' }).getByRole('row').nth(1);
    await expect(problem.textContent()).resolves.toMatch(/^3phone/);
    await screenshot(page, '10-contacts-import-report');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: 'Bruno Lima' }).waitFor();

    await page.getByRole('button', { name: 'Erase +5511912340001' }).click();
    const confirm = page.getByRole('dialog', { name: /Erase Bruno Lima/ });
    const erase = confirm.getByRole('button', { name: 'Erase' });
    await expect(erase.isDisabled()).resolves.toBe(true);
    await confirm.getByLabel('Type +5511912340001 to confirm').fill('+5511912340001');
    await erase.click();
    await page.getByRole('cell', { name: 'Bruno Lima' }).waitFor({ state: 'detached' });
  });

  it('lets a viewer join through an invitation link and follow the inbox live, with no composer and no settings', async () => {
    const viewer = { name: 'Vera Viewer', email: `vera-${run}@example.com`, password: 'another-long-password' };
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('link', { name: 'Team' }).click();
    await page.getByLabel('Email').fill(viewer.email);
    await page.getByRole('combobox', { name: 'Role', exact: true }).click();
    await page.getByRole('option', { name: 'Viewer' }).click();
    await page.getByRole('button', { name: 'Create invitation' }).click();
    const inviteUrl = (await page.locator('.created code').textContent()) ?? '';
    expect(inviteUrl).toMatch(/\/invitations\//);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, '09-team-invitation');

    const second = await openPage(browser, baseUrl);
    try {
      const viewerPage = second.page;
      await viewerPage.goto(new URL(inviteUrl).pathname);
      await viewerPage.getByText(/You are invited to Loja .* as viewer/).waitFor();
      await viewerPage.getByRole('link', { name: 'Create an account' }).click();
      await viewerPage.getByLabel('Your name').fill(viewer.name);
      await viewerPage.getByLabel('Email').fill(viewer.email);
      await viewerPage.getByLabel('Password').fill(viewer.password);
      await viewerPage.getByRole('button', { name: 'Create account' }).click();
      await viewerPage.getByRole('button', { name: 'Accept invitation' }).click();

      await viewerPage.waitForURL(/\/inbox/);
      await viewerPage.getByRole('link', { name: new RegExp(customer.name) }).click();
      await viewerPage.getByText('You have view-only access to this inbox.').waitFor();
      await expect(viewerPage.getByLabel('Message', { exact: true }).count()).resolves.toBe(0);
      await expect(viewerPage.getByRole('button', { name: 'Choose a template' }).count()).resolves.toBe(0);
      await expect(viewerPage.getByRole('link', { name: 'Settings', exact: true }).count()).resolves.toBe(0);

      // The agent takes the conversation; the viewer's open screen shows it without a reload.
      const assignee = viewerPage.getByRole('combobox', { name: 'Assigned to' });
      await expect(assignee.textContent()).resolves.toContain('Unassigned');
      await page.getByRole('link', { name: 'Inbox', exact: true }).click();
      await page.getByRole('link', { name: new RegExp(customer.name) }).click();
      await page.getByRole('combobox', { name: 'Assigned to' }).click();
      await page.getByRole('option', { name: /Ana Agent \(me\)/ }).click();
      await assignee.filter({ hasText: agent.name }).waitFor();

      await viewerPage.goto('/settings/whatsapp');
      await viewerPage.waitForURL(/\/inbox$/);
      expect(second.errors).toEqual([]);
    } finally {
      await second.page.context().close();
    }
  });
});
