import { readState } from '@parley/testing/platform';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from './support/accessibility';
import { json } from './support/api';
import { launch, openPage, screenshot, signUpWithSandbox } from './support/browser';

const state = readState();
const baseUrl = state.apiUrls[0] as string;
const run = Date.now().toString(36);
const admin = { name: 'Rita Rules', email: `rita-${run}@example.com`, password: 'correct-horse-battery' };
// A Belo Horizonte mobile number (9 after the area code), so the flow's sends pass the number check.
const customer = { name: 'Paula Preço', waId: `55319${String(Date.now()).slice(-8)}` };
const REPLY = 'Our prices start at 10 EUR';

interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  preset: string | null;
}

/** Asks again until `check` holds (the console saves after the screen changed), or fails after 10 s. */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('automation in the console', () => {
  let browser: Browser;
  let page: Page;
  /** The sandbox's chat page, where the customer writes from their "phone". */
  let phone: Page;
  let errors: string[];
  let token: string;
  let orgId: string;
  let metaPhoneNumberId: string;

  beforeAll(async () => {
    browser = await launch();
    ({ page, errors } = await openPage(browser, baseUrl));
    ({ page: phone } = await openPage(browser, state.sandboxUrl));
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(() => {
    // Any error in the console's browser console fails the step (the API's 422 for a rule it refused is expected).
    expect(errors.splice(0).filter((error) => !/status of 422/.test(error))).toEqual([]);
  });

  it('signs up and connects WhatsApp with the sandbox', async () => {
    await signUpWithSandbox(page, admin, `Loja Automática ${run}`);
    await page.locator('.numbers li').first().waitFor();

    token = await page.evaluate(() => JSON.parse(localStorage.getItem('parley.tokens') ?? '{}').accessToken);
    orgId = (await page.evaluate(() => localStorage.getItem('parley.org'))) as string;
    const accounts = await json<{ data: { id: string }[] }>('GET', `/api/v1/orgs/${orgId}/waba-accounts`, token);
    const numbers = await json<{ data: { phoneNumberId: string }[] }>(
      'GET',
      `/api/v1/orgs/${orgId}/waba-accounts/${accounts.data[0]?.id}/phone-numbers`,
      token,
    );
    metaPhoneNumberId = numbers.data[0]?.phoneNumberId as string;
  });

  it('creates a keyword rule, the API’s refusal shown beside the field it names', async () => {
    await page.getByRole('link', { name: 'Automation', exact: true }).click();
    await page.waitForURL(/\/automation$/);
    await page.getByText('No rules yet.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'automation-01-empty');

    await page.getByRole('link', { name: 'New rule' }).click();
    await page.waitForURL(/\/automation\/rules\/new$/);
    await page.getByLabel('Rule name').fill('Pricing');
    // A keyword rule starts with a text reply.
    await expect(page.getByLabel('Trigger').inputValue()).resolves.toBe('message');
    await expect(page.getByLabel('Match').inputValue()).resolves.toBe('keyword');
    await page.getByLabel('Message text').fill(REPLY);

    // No keyword yet: the API's 422 names trigger.keywords, and its message shows under the Keywords field.
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.getByText('The rule was not saved: see the messages beside the fields.').waitFor();
    await page.getByText(/^Must list 1 to 100 non-empty values/).waitFor();

    await page.getByLabel('Keywords').fill('pricing');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Remove pricing' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'automation-02-rule-editor');

    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.waitForURL(/\/automation\/rules\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Pricing', level: 1 }).waitFor();
    await page.getByText('It has not fired yet.').waitFor();
    const rules = await json<Rule[]>('GET', `/api/v1/orgs/${orgId}/automation-rules`, token);
    expect(rules.map((rule) => rule.name)).toEqual(['Pricing']);
  });

  it('fires when the customer asks about pricing: the reply reaches their phone, and the log fills live', async () => {
    // The rule's page stays open: its log refreshes by itself.
    await page.evaluate(() => Object.assign(window, { e2eSamePage: true }));

    await phone.goto(`/#number=${metaPhoneNumberId}`);
    await phone.locator('#new-phone').fill(customer.waId);
    await phone.locator('#new-name').fill(customer.name);
    await phone.getByRole('button', { name: 'Add' }).click();
    await phone.locator('#text').fill('Hi! What is your pricing for two?');
    await phone.locator('#text').press('Enter');
    await phone.locator('.msg.out', { hasText: REPLY }).waitFor({ timeout: 20_000 });
    await screenshot(phone, 'automation-03-sandbox-reply');

    const log = page.getByRole('table', { name: 'Rule log' });
    await log.getByText('Fired', { exact: true }).waitFor({ timeout: 15_000 });
    await log.getByText('Reply: replied').waitFor();
    await expect(log.getByRole('cell', { name: /A customer sends a message/ }).count()).resolves.toBe(1);
    await expect(page.evaluate(() => 'e2eSamePage' in window)).resolves.toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'automation-04-rule-log');

    // The team sees the bot's answer in the conversation.
    await log.getByRole('link', { name: 'Open conversation' }).click();
    await page.waitForURL(/\/inbox\/[0-9a-f-]{36}$/);
    const messages = page.getByRole('log', { name: 'Messages' });
    await messages.getByText('What is your pricing for two?').waitFor();
    await messages.getByText(REPLY).waitFor();
  });

  it('switches the starter bot on: its rules are listed ahead, marked, and reorder by keyboard', async () => {
    await page.getByRole('link', { name: 'Automation', exact: true }).click();
    await page.waitForURL(/\/automation$/);
    const rules = page.getByRole('list', { name: 'Rules, in the order they are tried' });
    await rules.getByRole('link', { name: 'Pricing', exact: true }).waitFor();
    await expect(rules.getByText('A message with “pricing”').count()).resolves.toBe(1);

    const starter = page.getByRole('switch', { name: 'Use the starter bot' });
    await expect(starter.getAttribute('aria-checked')).resolves.toBe('false');
    await starter.click();
    await page.getByText('Starter bot on').waitFor();
    await rules.getByRole('link', { name: 'Starter bot: greeting menu', exact: true }).waitFor();
    await expect(rules.locator('.chip.starter').count()).resolves.toBe(6);
    await expect(rules.getByRole('listitem').last().textContent()).resolves.toContain('Pricing');
    await rules.getByText('A new conversation starts').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'automation-05-starter-bot');

    // Move Pricing up with the keyboard: the order is saved, and focus stays on the button to move it again.
    await page.getByRole('button', { name: 'Move Pricing up' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Pricing moved to position 6 of 7.').waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Move Pricing up');
    const listRules = () => json<Rule[]>('GET', `/api/v1/orgs/${orgId}/automation-rules`, token);
    const order = await until(listRules, (list) => list[5]?.name === 'Pricing');
    expect(order.map((rule) => rule.name).indexOf('Pricing')).toBe(5);

    // Switched off from the list, and deleted after a confirmation.
    await page.getByRole('switch', { name: 'Enable Starter bot: anything else' }).click();
    const switched = await until(listRules, (list) =>
      list.some((r) => r.name === 'Starter bot: anything else' && !r.enabled),
    );
    expect(switched.find((rule) => rule.name === 'Starter bot: anything else')?.enabled).toBe(false);
    await page.getByRole('button', { name: 'Delete Pricing' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this rule?' });
    await confirm.getByRole('button', { name: 'Delete rule' }).click();
    await confirm.waitFor({ state: 'detached' });
    await rules.getByRole('link', { name: 'Pricing', exact: true }).waitFor({ state: 'detached' });
    await expect(rules.getByRole('listitem').count()).resolves.toBe(6);

    // A starter bot rule opens like any other: its buttons, and every kind of condition and action, axe clean.
    await page.getByRole('link', { name: 'Edit Starter bot: greeting menu' }).click();
    await page.waitForURL(/\/automation\/rules\/[0-9a-f-]{36}$/);
    await expect(page.getByLabel('Button 2 title').inputValue()).resolves.toBe('Talk to a human');
    await expect(page.getByLabel('Button 2 id').inputValue()).resolves.toBe('starter_human');
    // Each new row by its index, which waits for it to be drawn (`.last()` could still be the row before).
    const conditions = page.getByRole('group', { name: /^Condition \d+$/ });
    for (const type of ['tag', 'attribute', 'conversation_status', 'assignee', 'bot', 'time_window']) {
      const added = await conditions.count();
      await page.getByRole('button', { name: 'Add condition' }).click();
      await conditions.nth(added).getByLabel('Check', { exact: true }).selectOption(type);
    }
    const actions = page.getByRole('group', { name: /^Action \d+$/ });
    for (const type of ['add_tags', 'set_attributes', 'assign', 'enroll_flow', 'call_webhook', 'ai_reply']) {
      const added = await actions.count();
      await page.getByRole('button', { name: 'Add action' }).click();
      await actions.nth(added).getByLabel('Do', { exact: true }).selectOption(type);
    }
    const assign = page.getByRole('group', { name: 'Action 4' });
    await assign.getByLabel('Assign to').selectOption('round_robin');
    await assign.getByRole('checkbox', { name: admin.name }).check();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'automation-06-starter-rule-editor');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL(/\/automation$/);
  });

  it('builds a drip flow and enrolls the customer, whose phone gets its messages', async () => {
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.waitForURL(/\/automation\/flows$/);
    await page.getByText('No flows yet.').waitFor();
    await page.getByRole('link', { name: 'New flow' }).click();
    await page.waitForURL(/\/automation\/flows\/new$/);

    await page.getByLabel('Flow name').fill('Welcome drip');
    const first = page.getByRole('group', { name: 'Step 1' });
    await first.getByLabel('Message text').fill('Welcome aboard!');
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByRole('menuitem', { name: 'Wait', exact: true }).click();
    const second = page.getByRole('group', { name: 'Step 2' });
    await second.getByLabel('Wait for').fill('1');
    await second.getByLabel('Unit').selectOption('seconds');
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByRole('menuitem', { name: 'Send a message' }).click();
    const third = page.getByRole('group', { name: 'Step 3' });
    await third.getByLabel('Message text').fill('Here is 10% off your first order: WELCOME10');
    await expect(second.getByTestId('step-summary').textContent()).resolves.toBe(
      'Wait 1 second, then go to the next step, step 3 (step-3).',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'automation-07-flow-editor');

    await page.getByRole('button', { name: 'Create flow' }).click();
    await page.waitForURL(/\/automation\/flows\/[0-9a-f-]{36}$/);
    await page.getByText('Nobody yet.').waitFor();

    await page.getByLabel('Contact', { exact: true }).fill('Paula');
    await page.getByRole('option', { name: new RegExp(customer.name) }).click();
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    await page.getByText(`${customer.name} (+${customer.waId}) is in the flow.`).waitFor();
    const enrolled = page.getByRole('table', { name: 'Enrolled contacts' });
    await enrolled.getByRole('cell', { name: `${customer.name} (+${customer.waId})` }).waitFor();

    await phone.locator('.msg.out', { hasText: 'Welcome aboard!' }).waitFor({ timeout: 20_000 });
    await phone.locator('.msg.out', { hasText: 'WELCOME10' }).waitFor({ timeout: 20_000 });
    await screenshot(phone, 'automation-08-sandbox-flow');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await enrolled.getByText('Completed', { exact: true }).waitFor({ timeout: 15_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'automation-09-flow-enrolled');

    await page.getByRole('link', { name: 'Back to flows' }).click();
    // Name, switch, steps, in the flow, completed, left early.
    const row = page.getByRole('row', { name: /Welcome drip/ });
    await row.getByRole('link', { name: 'Welcome drip' }).waitFor();
    const cells = (await row.getByRole('cell').allTextContents()).map((text) => text.trim());
    expect(cells.slice(2, 6)).toEqual(['3', '0', '1', '0']);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('sets business hours in the settings', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('link', { name: 'Business hours' }).click();
    await page.waitForURL(/\/settings\/business-hours$/);
    await page.getByLabel('Time zone').selectOption('Europe/Lisbon');
    await page.getByRole('radio', { name: 'Open at set hours' }).check();
    const saturday = page.getByRole('row', { name: /Saturday/ });
    await saturday.getByRole('checkbox', { name: 'Saturday' }).check();
    await saturday.getByLabel('Closes').fill('14:00');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'automation-10-business-hours');
    await page.getByRole('button', { name: 'Save business hours' }).click();
    await page.getByText('Business hours saved').waitFor();

    const org = await json<{ timezone: string; businessHours: Record<string, unknown> }>(
      'GET',
      `/api/v1/orgs/${orgId}`,
      token,
    );
    expect(org.timezone).toBe('Europe/Lisbon');
    expect(org.businessHours).toEqual({
      mon: [{ open: '09:00', close: '18:00' }],
      tue: [{ open: '09:00', close: '18:00' }],
      wed: [{ open: '09:00', close: '18:00' }],
      thu: [{ open: '09:00', close: '18:00' }],
      fri: [{ open: '09:00', close: '18:00' }],
      sat: [{ open: '09:00', close: '14:00' }],
    });
  });
});
