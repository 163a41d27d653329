import { readState } from '@parley/testing/platform';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { Client } from 'pg';
import { seriousViolations } from './support/accessibility';
import { json } from './support/api';
import { launch, openPage, screenshot } from './support/browser';

const state = readState();
const baseUrl = state.apiUrls[0] as string;
const run = Date.now().toString(36);
const owner = { name: 'Olga Owner', email: `olga-${run}@example.com`, password: 'correct-horse-battery' };
const TIMEZONE = 'America/Sao_Paulo';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.now();
const ago = (ms: number) => new Date(NOW - ms);
/**
 * Twelve days ago, at noon in São Paulo (UTC−3 all year since 2019): the old conversation sits
 * inside that one local day whatever hour the test runs at.
 */
const OLD_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: TIMEZONE }).format(ago(12 * DAY));
const OLD_NOON = new Date(`${OLD_DAY}T12:00:00-03:00`);

type Status = 'received' | 'sent' | 'delivered' | 'read' | 'failed';

interface Seeded {
  conversation: string;
  direction: 'inbound' | 'outbound';
  status: Status;
  at: Date;
  byOwner?: boolean;
  error?: { code: number; title: string };
  template?: string;
  campaign?: boolean;
  ai?: { intent: string; sentiment: string };
}

/**
 * A fortnight of a small shop's WhatsApp: three conversations (one twelve days ago, outside the last
 * week), a campaign yesterday to three customers, a failure or two, and what AI triage read.
 */
const MESSAGES: Seeded[] = [
  { conversation: 'old', direction: 'inbound', status: 'received', at: OLD_NOON },
  {
    conversation: 'old',
    direction: 'outbound',
    status: 'read',
    at: new Date(OLD_NOON.getTime() + HOUR),
    byOwner: true,
  },
  {
    conversation: 'order',
    direction: 'inbound',
    status: 'received',
    at: ago(2 * DAY),
    ai: { intent: 'order_status', sentiment: 'neutral' },
  },
  { conversation: 'order', direction: 'outbound', status: 'read', at: ago(2 * DAY - 5 * 60_000), byOwner: true },
  {
    conversation: 'order',
    direction: 'inbound',
    status: 'received',
    at: ago(2 * DAY - 10 * 60_000),
    ai: { intent: 'order_status', sentiment: 'positive' },
  },
  {
    conversation: 'order',
    direction: 'outbound',
    status: 'delivered',
    at: ago(2 * DAY - 20 * 60_000),
    byOwner: true,
    template: 'order_update',
  },
  {
    conversation: 'price',
    direction: 'inbound',
    status: 'received',
    at: ago(HOUR),
    ai: { intent: 'pricing', sentiment: 'negative' },
  },
  {
    conversation: 'price',
    direction: 'outbound',
    status: 'failed',
    at: ago(50 * 60_000),
    byOwner: true,
    error: { code: 131026, title: 'Message undeliverable' },
  },
  {
    conversation: 'camp1',
    direction: 'outbound',
    status: 'read',
    at: ago(DAY),
    template: 'spring_sale',
    campaign: true,
  },
  {
    conversation: 'camp2',
    direction: 'outbound',
    status: 'delivered',
    at: ago(DAY),
    template: 'spring_sale',
    campaign: true,
  },
  {
    conversation: 'camp3',
    direction: 'outbound',
    status: 'failed',
    at: ago(DAY),
    template: 'spring_sale',
    campaign: true,
    error: { code: 131047, title: 'Re-engagement message' },
  },
  { conversation: 'camp1', direction: 'inbound', status: 'received', at: ago(DAY - 2 * HOUR) },
];
const CONVERSATIONS = ['old', 'order', 'price', 'camp1', 'camp2', 'camp3'];

/** What the dashboard must say for the last `days` days, from the seed above. */
function expected(days: number) {
  const since = NOW - (days - 1) * DAY - 12 * HOUR;
  const messages = MESSAGES.filter((m) => m.at.getTime() >= since);
  const outbound = messages.filter((m) => m.direction === 'outbound');
  const count = (statuses: Status[]) => outbound.filter((m) => statuses.includes(m.status)).length;
  const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;
  const sent = count(['sent', 'delivered', 'read']);
  const delivered = count(['delivered', 'read']);
  return {
    inbound: String(messages.length - outbound.length),
    outbound: String(outbound.length),
    deliveryRate: percent(delivered, sent + count(['failed'])),
    readRate: percent(count(['read']), delivered),
    ownerSent: String(outbound.filter((m) => m.byOwner).length),
  };
}

describe('the analytics dashboard', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let orgId: string;

  beforeAll(async () => {
    browser = await launch();
    ({ page, errors } = await openPage(browser, baseUrl));
    const tokens = await json<{ accessToken: string; refreshToken: string; user: { id: string } }>(
      'POST',
      '/api/v1/auth/signup',
      undefined,
      { name: owner.name, email: owner.email, password: owner.password },
    );
    orgId = (await json<{ id: string }>('POST', '/api/v1/orgs', tokens.accessToken, { name: `Loja ${run}` })).id;
    await json('POST', `/api/v1/orgs/${orgId}/waba-accounts/sandbox`, tokens.accessToken, {});
    await seed(tokens.user.id);
    await page.goto('/sign-in');
    await page.evaluate(
      ([stored, id]) => {
        localStorage.setItem('parley.tokens', stored);
        localStorage.setItem('parley.org', id);
      },
      [JSON.stringify(tokens), orgId] as const,
    );
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(() => {
    // Any error in the browser's console fails the step it happened in.
    expect(errors.splice(0)).toEqual([]);
  });

  /** The seed, written straight into the run's database (the numbers, not the sending, are under test here). */
  async function seed(ownerId: string): Promise<void> {
    const db = new Client({ connectionString: state.databaseUrl });
    await db.connect();
    try {
      await db.query('UPDATE organizations SET timezone = $2 WHERE id = $1', [orgId, TIMEZONE]);
      const [number] = (
        await db.query<{ id: string; waba_account_id: string }>(
          'SELECT id, waba_account_id FROM phone_numbers WHERE org_id = $1',
          [orgId],
        )
      ).rows;
      if (!number) throw new Error('no sandbox number');
      const conversations = new Map<string, { id: string; contact: string }>();
      for (const [i, name] of CONVERSATIONS.entries()) {
        const first = MESSAGES.find((m) => m.conversation === name)?.at ?? new Date(NOW);
        const contact = randomUUID();
        const phone = `+5511${String(NOW).slice(-7)}${i}`;
        await db.query(
          `INSERT INTO contacts (id, org_id, phone, wa_id, name, created_at, opt_in_status, opt_in_changed_at)
           VALUES ($1, $2, $3, substr($3, 2), $4, $5, $6, $5)`,
          [contact, orgId, phone, `Customer ${name}`, first, name === 'price' ? 'opted_out' : 'opted_in'],
        );
        const id = randomUUID();
        await db.query(
          `INSERT INTO conversations (id, org_id, contact_id, phone_number_id, status, assignee_id, created_at, last_message_at)
           VALUES ($1, $2, $3, $4, 'open', $5, $6, $6)`,
          [id, orgId, contact, number.id, name.startsWith('camp') ? null : ownerId, first],
        );
        conversations.set(name, { id, contact });
      }
      const template = randomUUID();
      await db.query(
        `INSERT INTO templates (id, org_id, waba_account_id, name, language, category, status)
         VALUES ($1, $2, $3, $4, 'pt_BR', 'MARKETING', 'APPROVED')`,
        [template, orgId, number.waba_account_id, `spring_sale_${run}`],
      );
      const campaign = randomUUID();
      await db.query(
        `INSERT INTO campaigns (id, org_id, name, status, phone_number_id, template_id, started_at, completed_at)
         VALUES ($1, $2, 'Spring sale', 'completed', $3, $4, $5, $5)`,
        [campaign, orgId, number.id, template, ago(DAY)],
      );
      for (const m of MESSAGES) {
        const conversation = conversations.get(m.conversation);
        if (!conversation) throw new Error(m.conversation);
        const id = randomUUID();
        const payload = m.template
          ? { type: 'template', template: { name: m.template, language: { code: m.campaign ? 'pt_BR' : 'en_US' } } }
          : { type: 'text', text: { body: 'Olá' } };
        const delivered = m.status === 'delivered' || m.status === 'read' ? new Date(m.at.getTime() + 1_000) : null;
        await db.query(
          `INSERT INTO messages (id, org_id, conversation_id, contact_id, phone_number_id, direction, type, status, payload,
                                 occurred_at, sender_id, error_code, error_title, ai, campaign_id, delivered_at, read_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
          [
            id,
            orgId,
            conversation.id,
            conversation.contact,
            number.id,
            m.direction,
            m.template ? 'template' : 'text',
            m.status,
            payload,
            m.at,
            m.byOwner ? ownerId : null,
            m.error?.code ?? null,
            m.error?.title ?? null,
            m.ai ? { ...m.ai, language: 'pt' } : null,
            m.campaign ? campaign : null,
            delivered,
            m.status === 'read' ? delivered : null,
          ],
        );
        if (m.campaign)
          await db.query(
            `INSERT INTO campaign_recipients (org_id, campaign_id, contact_id, phone, state, message_id)
             SELECT $1, $2, c.id, c.phone, 'queued', $4 FROM contacts c WHERE c.id = $3`,
            [orgId, campaign, conversation.contact, id],
          );
      }
    } finally {
      await db.end();
    }
  }

  const kpi = async (name: string) => (await page.getByTestId(`kpi-${name}`).textContent())?.trim();

  it("shows the last 30 days in the organization's time zone: traffic, rates, failures and what customers wrote about", async () => {
    await page.goto('/inbox');
    await page.getByRole('link', { name: 'Analytics', exact: true }).click();
    await page.waitForURL(/\/analytics$/);
    const month = expected(30);
    await page.getByTestId('kpi-inbound').filter({ hasText: month.inbound }).waitFor();
    expect(await kpi('outbound')).toBe(month.outbound);
    expect(await kpi('delivery-rate')).toBe(month.deliveryRate);
    expect(await kpi('read-rate')).toBe(month.readRate);
    expect(await kpi('opt-outs')).toBe('1');
    expect(await page.getByTestId('analytics-period').textContent()).toContain(TIMEZONE);

    // The line chart has a point per day, and says what it shows.
    const chart = page.getByRole('img', { name: /^Messages per day from .*: 5 received, 7 sent$/ });
    await chart.waitFor();
    expect(await chart.locator('polyline').count()).toBe(2);
    expect(await chart.locator('circle').count()).toBe(2 * 30);
    await page
      .getByRole('img', { name: /^Failures by error code: 131026 · Message undeliverable 1, 131047 ·/ })
      .waitFor();
    await page.getByRole('img', { name: 'Intents: order_status 2, pricing 1' }).waitFor();

    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'analytics-01-overview');
  });

  it('lists the agent, the templates and the campaign with its funnel', async () => {
    const agents = page.getByRole('table', { name: 'Agents' });
    const ownerRow = agents.getByRole('row', { name: new RegExp(owner.name) });
    // The three conversations with customers who wrote are the owner's, and the owner answered each first.
    await expect(ownerRow.getByRole('cell').allTextContents()).resolves.toEqual([
      expect.stringContaining(owner.email),
      'Owner',
      '3',
      '0',
      expected(30).ownerSent,
      '3',
      expect.any(String),
    ]);

    const templates = page.getByRole('table', { name: 'Templates sent in the period' });
    await expect(
      templates
        .getByRole('row', { name: /spring_sale/ })
        .getByRole('cell')
        .allTextContents(),
    ).resolves.toEqual(['spring_sale', 'pt_BR', '2', '2', '1', '1', '50%']);
    await expect(
      templates
        .getByRole('row', { name: /order_update/ })
        .getByRole('cell')
        .allTextContents(),
    ).resolves.toEqual(['order_update', 'en_US', '1', '1', '0', '0', '0%']);

    const campaigns = page.getByRole('table', { name: 'Campaigns in the period' });
    const cells = await campaigns
      .getByRole('row', { name: /Spring sale/ })
      .getByRole('cell')
      .allTextContents();
    expect([cells[0], ...cells.slice(2)]).toEqual(['Spring sale', '3', '2', '2', '1', '1', '1']);
    await page
      .getByRole('img', { name: 'Funnel of Spring sale: Targeted 3, Sent 2, Delivered 2, Read 1, Replied 1, failed 1' })
      .waitFor();
    await page.getByRole('heading', { name: 'Campaigns' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'analytics-02-tables');
  });

  it('downloads a table as CSV', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download templates CSV' }).click(),
    ]);
    const lines = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('name,language,sent,delivered,read,failed,readRate');
    expect(lines).toContain('spring_sale,pt_BR,2,2,1,1,0.5');
    expect(download.suggestedFilename()).toMatch(/^templates-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it('narrows to the last 7 days, and to a custom day', async () => {
    await page.getByRole('radio', { name: 'Last 7 days' }).click();
    const week = expected(7);
    await page
      .getByTestId('kpi-inbound')
      .filter({ hasText: new RegExp(`^\\s*${week.inbound}\\s*$`) })
      .waitFor();
    expect(await kpi('outbound')).toBe(week.outbound);
    expect(await kpi('delivery-rate')).toBe(week.deliveryRate);
    expect(await kpi('read-rate')).toBe(week.readRate);
    expect(
      await page
        .getByRole('img', { name: /^Messages per day/ })
        .locator('circle')
        .count(),
    ).toBe(2 * 7);

    // Twelve days ago, alone: the old conversation.
    await page.getByRole('radio', { name: 'Custom' }).click();
    await page.getByLabel('From', { exact: true }).fill(OLD_DAY);
    await page.getByLabel('To', { exact: true }).fill(OLD_DAY);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page
      .getByTestId('kpi-outbound')
      .filter({ hasText: /^\s*1\s*$/ })
      .waitFor();
    expect(await kpi('inbound')).toBe('1');
    expect(await kpi('read-rate')).toBe('100%');
    await page.getByText('No campaign started in this period.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'analytics-03-custom-day');
  });
});
