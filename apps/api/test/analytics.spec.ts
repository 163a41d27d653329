/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import { AnalyticsRollup, PgTimeZones } from '@parley/api/analytics';
import { AppConfig } from '@parley/api/core';
import { randomUUID } from 'node:crypto';
import { expectStatus, randomDigits, startWorker, TestApi, TestSession } from './harness';

/*
 * Analytics against the real schema: each org gets a seeded month of activity written straight into
 * PostgreSQL (contacts, conversations, messages with statuses, error codes, senders, templates and
 * the AI's readings, a campaign), spread around the day boundaries of a time zone that isn't UTC.
 * The expected figures are worked out here, in plain TypeScript, from the seed arrays alone
 * (days read with Intl, percentiles interpolated by hand), and the API must agree to the unit,
 * both when it counts from the messages and when it reads the worker's daily rollup.
 */

// ---------------------------------------------------------------------------------------------
// The seed

type Direction = 'inbound' | 'outbound';
type Status = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

interface Ai {
  sentiment: string;
  intent: string;
  language: string;
}

interface SeedContact {
  id: string;
  phone: string;
  createdAt: Date;
  optIn: 'opted_in' | 'opted_out' | 'unknown';
  optInChangedAt: Date | null;
}

interface SeedConversation {
  id: string;
  contactId: string;
  createdAt: Date;
  assigneeId: string | null;
  resolvedAt: Date | null;
}

interface SeedMessage {
  id: string;
  conversationId: string;
  contactId: string;
  direction: Direction;
  status: Status;
  occurredAt: Date;
  senderId: string | null;
  errorCode: number | null;
  errorTitle: string | null;
  ai: Ai | null;
  template: { name: string; language: string } | null;
  campaignId: string | null;
  deliveredAt: Date | null;
  readAt: Date | null;
}

interface SeedCampaign {
  id: string;
  name: string;
  startedAt: Date;
  unmatched: number;
  recipients: { contactId: string; phone: string; messageId: string | null; skipped: boolean }[];
}

interface Seed {
  contacts: SeedContact[];
  conversations: SeedConversation[];
  messages: SeedMessage[];
  campaigns: SeedCampaign[];
}

interface Members {
  owner: string;
  agents: string[];
}

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const at = (iso: string) => new Date(iso);
const plus = (date: Date, ms: number) => new Date(date.getTime() + Math.round(ms));
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** From 09:00 on 9 March to 09:00 on 13 March in São Paulo (UTC−3): past both ends of the 10–12 March period. */
const SPAN_START = at('2026-03-09T12:00:00Z').getTime();
const SPAN_END = at('2026-03-13T12:00:00Z').getTime();

const ERRORS = [
  { code: 131026, title: 'Message undeliverable' },
  { code: 131047, title: 'Re-engagement message' },
  { code: 132000, title: 'Number of parameters does not match the expected number of params' },
];
const TEMPLATES = [
  { name: 'order_update', language: 'en_US' },
  { name: 'order_update', language: 'pt_BR' },
  { name: 'welcome', language: 'pt_BR' },
];
const INTENTS = ['order_status', 'complaint', 'pricing', 'greeting'];
const SENTIMENTS = ['positive', 'neutral', 'negative'];

function generate(seed: number, members: Members, templateName: (i: number) => string): Seed {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const instant = () => new Date(SPAN_START + Math.floor(random() * (SPAN_END - SPAN_START)));
  const prefix = `+4478${randomDigits(5)}`;
  const contacts: SeedContact[] = [];
  const contact = (createdAt: Date, optIn: SeedContact['optIn'] = 'opted_in', optInChangedAt: Date | null = null) => {
    const row = {
      id: randomUUID(),
      phone: `${prefix}${String(contacts.length).padStart(4, '0')}`,
      createdAt,
      optIn,
      optInChangedAt,
    };
    contacts.push(row);
    return row;
  };
  // Contacts made on both sides of each day boundary of the period, to the millisecond.
  for (const iso of [
    '2026-03-10T02:59:59.999Z',
    '2026-03-10T03:00:00.000Z',
    '2026-03-13T02:59:59.999Z',
    '2026-03-13T03:00:00.000Z',
  ])
    contact(at(iso), 'opted_out', at(iso));
  for (let i = 0; i < 56; i++) {
    const r = random();
    contact(instant(), r < 0.2 ? 'opted_out' : r < 0.3 ? 'unknown' : 'opted_in', r < 0.5 ? instant() : null);
  }

  const conversations: SeedConversation[] = [];
  const messages: SeedMessage[] = [];
  const conversation = (owner: SeedContact, createdAt: Date, assigneeId: string | null, resolvedAt: Date | null) => {
    const row = { id: randomUUID(), contactId: owner.id, createdAt, assigneeId, resolvedAt };
    conversations.push(row);
    return row;
  };
  const message = (c: SeedConversation, direction: Direction, occurredAt: Date, fields: Partial<SeedMessage> = {}) => {
    const row: SeedMessage = {
      id: randomUUID(),
      conversationId: c.id,
      contactId: c.contactId,
      direction,
      status: direction === 'inbound' ? 'received' : 'sent',
      occurredAt,
      senderId: null,
      errorCode: null,
      errorTitle: null,
      ai: null,
      template: null,
      campaignId: null,
      deliveredAt: null,
      readAt: null,
      ...fields,
    };
    messages.push(row);
    return row;
  };
  const outbound = (c: SeedConversation, occurredAt: Date, senderId: string | null) => {
    const r = random();
    const status: Status =
      r < 0.06 ? 'queued' : r < 0.2 ? 'sent' : r < 0.45 ? 'delivered' : r < 0.82 ? 'read' : 'failed';
    const error = status === 'failed' ? pick(ERRORS) : null;
    const template = random() < 0.3 ? pick(TEMPLATES) : null;
    return message(c, 'outbound', occurredAt, {
      status,
      senderId,
      errorCode: error?.code ?? null,
      errorTitle: error?.title ?? null,
      template: template && { ...template, name: templateName(TEMPLATES.indexOf(template)) },
      deliveredAt: status === 'delivered' || status === 'read' ? plus(occurredAt, 2_000) : null,
      readAt: status === 'read' ? plus(occurredAt, 60_000) : null,
    });
  };
  const inbound = (c: SeedConversation, occurredAt: Date) =>
    message(c, 'inbound', occurredAt, {
      ai: random() < 0.6 ? { sentiment: pick(SENTIMENTS), intent: pick(INTENTS), language: pick(['pt', 'en']) } : null,
    });

  const people = [members.owner, ...members.agents];
  for (let i = 0; i < 44; i++) {
    const r = random();
    const assignee =
      r < 0.4 ? members.agents[0] : r < 0.75 ? (members.agents[1] ?? null) : r < 0.85 ? members.owner : null;
    // A conversation opened at the very start of the period, and one a millisecond before it.
    const createdAt = i === 0 ? at('2026-03-10T03:00:00.000Z') : i === 1 ? at('2026-03-10T02:59:59.999Z') : instant();
    const resolvedAt = random() < 0.55 ? plus(createdAt, 10 * MINUTE + random() * 40 * HOUR) : null;
    const c = conversation(contacts[4 + i] as SeedContact, createdAt, assignee ?? null, resolvedAt);
    // Some start with the business writing first (a template), then the customer answers.
    let t = createdAt;
    let direction: Direction = random() < 0.15 ? 'outbound' : 'inbound';
    const count = 1 + Math.floor(random() * 7);
    for (let j = 0; j < count; j++) {
      if (direction === 'inbound') inbound(c, t);
      else outbound(c, t, random() < 0.2 ? null : (assignee ?? pick(people)));
      t = plus(t, 20_000 + random() * 2 * HOUR);
      if (random() < 0.7) direction = direction === 'inbound' ? 'outbound' : 'inbound';
    }
  }

  // A campaign that started in the period: 8 recipients with messages, one skipped, one number unknown.
  const campaignId = randomUUID();
  const startedAt = at('2026-03-11T15:00:00Z');
  const campaign: SeedCampaign = { id: campaignId, name: '=SUM(1+1) spring', startedAt, unmatched: 1, recipients: [] };
  // The customer of `waiting` wrote in the morning and got no answer before the campaign reached them in
  // the same conversation: the broadcast is not a reply, the agent's message an hour later is.
  const waiting = conversation(
    contact(at('2026-03-11T10:00:00Z')),
    at('2026-03-11T10:00:00Z'),
    members.agents[0] ?? null,
    null,
  );
  inbound(waiting, at('2026-03-11T10:00:05Z'));
  const STATUSES: Status[] = ['read', 'read', 'delivered', 'delivered', 'sent', 'failed', 'queued', 'read'];
  STATUSES.forEach((status, i) => {
    const c =
      i === 7 ? waiting : conversation(contact(plus(startedAt, -HOUR), 'opted_in', null), startedAt, null, null);
    const deliveredAt = status === 'read' || status === 'delivered' ? plus(startedAt, MINUTE) : null;
    const sent = message(c, 'outbound', startedAt, {
      status,
      campaignId,
      template: { name: templateName(9), language: 'pt_BR' },
      errorCode: status === 'failed' ? 131026 : null,
      errorTitle: status === 'failed' ? 'Message undeliverable' : null,
      deliveredAt,
      readAt: status === 'read' ? plus(startedAt, 5 * MINUTE) : null,
    });
    campaign.recipients.push({
      contactId: c.contactId,
      phone: contacts.find((x) => x.id === c.contactId)?.phone ?? '',
      messageId: sent.id,
      skipped: false,
    });
    // Replies: two within 72 hours of delivery, one after (not counted), one to a message never delivered.
    if (i === 0 || i === 2) inbound(c, plus(startedAt, 2 * HOUR));
    if (i === 1) inbound(c, plus(startedAt, 80 * HOUR));
    if (i === 4) inbound(c, plus(startedAt, HOUR));
    if (i === 0)
      message(c, 'outbound', plus(startedAt, 2 * HOUR + 10 * MINUTE), { senderId: members.agents[1] ?? null });
    if (i === 7) message(c, 'outbound', plus(startedAt, HOUR), { senderId: members.agents[0] ?? null, status: 'read' });
  });
  const skipped = contact(plus(startedAt, -HOUR), 'opted_out', plus(startedAt, -HOUR));
  campaign.recipients.push({ contactId: skipped.id, phone: skipped.phone, messageId: null, skipped: true });
  // A campaign after the period: not in the report.
  const later: SeedCampaign = {
    id: randomUUID(),
    name: 'Later',
    startedAt: at('2026-03-20T12:00:00Z'),
    unmatched: 0,
    recipients: [],
  };
  return { contacts, conversations, messages, campaigns: [campaign, later] };
}

async function insertSeed(api: TestApi, orgId: string, numberId: string, wabaAccountId: string, seed: Seed) {
  const q = (sql: string, params: unknown[]) => api.dataSource.query(sql, params);
  await q(
    `INSERT INTO contacts (id, org_id, phone, wa_id, created_at, opt_in_status, opt_in_changed_at)
     SELECT r.id, $1, r.phone, substr(r.phone, 2), r.created_at, r.opt_in::opt_in_status, r.changed_at
     FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, phone text, created_at timestamptz, opt_in text, changed_at timestamptz)`,
    [
      orgId,
      JSON.stringify(
        seed.contacts.map((c) => ({
          id: c.id,
          phone: c.phone,
          created_at: c.createdAt,
          opt_in: c.optIn,
          changed_at: c.optInChangedAt,
        })),
      ),
    ],
  );
  await q(
    `INSERT INTO conversations (id, org_id, contact_id, phone_number_id, status, assignee_id, created_at, resolved_at, last_message_at)
     SELECT r.id, $1, r.contact_id, $2, CASE WHEN r.resolved_at IS NULL THEN 'open' ELSE 'resolved' END::conversation_status,
            r.assignee_id, r.created_at, r.resolved_at, r.created_at
     FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, contact_id uuid, assignee_id uuid, created_at timestamptz, resolved_at timestamptz)`,
    [
      orgId,
      numberId,
      JSON.stringify(
        seed.conversations.map((c) => ({
          id: c.id,
          contact_id: c.contactId,
          assignee_id: c.assigneeId,
          created_at: c.createdAt,
          resolved_at: c.resolvedAt,
        })),
      ),
    ],
  );
  const templates = new Map<string, string>();
  for (const m of seed.messages) if (m.campaignId && m.template) templates.set(m.campaignId, m.template.name);
  for (const campaign of seed.campaigns) {
    const templateId = randomUUID();
    await q(
      `INSERT INTO templates (id, org_id, waba_account_id, name, language, category, status)
       VALUES ($1, $2, $3, $4, 'pt_BR', 'MARKETING', 'APPROVED')`,
      [templateId, orgId, wabaAccountId, `${templates.get(campaign.id) ?? 'later'}_${randomDigits(4)}`],
    );
    await q(
      `INSERT INTO campaigns (id, org_id, name, status, phone_number_id, template_id, started_at, completed_at, unmatched_count)
       VALUES ($1, $2, $3, 'completed', $4, $5, $6, $6, $7)`,
      [campaign.id, orgId, campaign.name, numberId, templateId, campaign.startedAt, campaign.unmatched],
    );
  }
  await q(
    `INSERT INTO messages (id, org_id, conversation_id, contact_id, phone_number_id, direction, type, status, payload,
                           occurred_at, sender_id, error_code, error_title, ai, campaign_id, sent_at, delivered_at, read_at)
     SELECT r.id, $1, r.conversation_id, r.contact_id, $2, r.direction::message_direction, r.type, r.status::message_status,
            r.payload, r.occurred_at, r.sender_id, r.error_code, r.error_title, r.ai, r.campaign_id,
            CASE WHEN r.status IN ('sent', 'delivered', 'read') THEN r.occurred_at END, r.delivered_at, r.read_at
     FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, conversation_id uuid, contact_id uuid, direction text, type text,
       status text, payload jsonb, occurred_at timestamptz, sender_id uuid, error_code int, error_title text, ai jsonb,
       campaign_id uuid, delivered_at timestamptz, read_at timestamptz)`,
    [
      orgId,
      numberId,
      JSON.stringify(
        seed.messages.map((m) => ({
          id: m.id,
          conversation_id: m.conversationId,
          contact_id: m.contactId,
          direction: m.direction,
          type: m.template ? 'template' : 'text',
          status: m.status,
          payload: m.template
            ? { type: 'template', template: { name: m.template.name, language: { code: m.template.language } } }
            : { type: 'text', text: { body: 'hello' } },
          occurred_at: m.occurredAt,
          sender_id: m.senderId,
          error_code: m.errorCode,
          error_title: m.errorTitle,
          ai: m.ai,
          campaign_id: m.campaignId,
          delivered_at: m.deliveredAt,
          read_at: m.readAt,
        })),
      ),
    ],
  );
  for (const campaign of seed.campaigns)
    await q(
      `INSERT INTO campaign_recipients (org_id, campaign_id, contact_id, phone, state, skip_reason, message_id)
       SELECT $1, $2, r.contact_id, r.phone, (CASE WHEN r.skipped THEN 'skipped' ELSE 'queued' END)::campaign_recipient_state,
              CASE WHEN r.skipped THEN 'opted_out' END, r.message_id
       FROM jsonb_to_recordset($3::jsonb) AS r(contact_id uuid, phone text, message_id uuid, skipped boolean)`,
      [
        orgId,
        campaign.id,
        JSON.stringify(
          campaign.recipients.map((r) => ({
            contact_id: r.contactId,
            phone: r.phone,
            message_id: r.messageId,
            skipped: r.skipped,
          })),
        ),
      ],
    );
}

// ---------------------------------------------------------------------------------------------
// The true figures, from the seed alone

/** The wall-clock date of `instant` in `timeZone`. */
function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(instant)
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {});
  return `${parts['year']}-${parts['month']}-${parts['day']}`;
}

interface Range {
  from: string;
  to: string;
  tz: string;
}

const within = (range: Range) => (instant: Date | null) =>
  instant !== null && localDate(instant, range.tz) >= range.from && localDate(instant, range.tz) <= range.to;

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
function percentileCont(values: number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const low = sorted[Math.floor(position)] as number;
  const high = sorted[Math.ceil(position)] as number;
  return low + (high - low) * (position - Math.floor(position));
}

const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;
const round4 = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const tally = <T>(items: T[], key: (item: T) => string | null) => {
  const counts = new Map<string, number>();
  for (const item of items) {
    const value = key(item);
    if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
};

/** Each conversation opened in the range: the first reply after the customer's first message (campaign sends are not replies). */
function firstResponses(seed: Seed, range: Range) {
  const inRange = within(range);
  return seed.conversations
    .filter((c) => inRange(c.createdAt))
    .flatMap((c) => {
      const own = seed.messages.filter((m) => m.conversationId === c.id);
      const firstIn = own.filter((m) => m.direction === 'inbound').sort((a, b) => +a.occurredAt - +b.occurredAt)[0];
      if (!firstIn) return [];
      const reply = own
        .filter((m) => m.direction === 'outbound' && m.campaignId === null && m.occurredAt >= firstIn.occurredAt)
        .sort((a, b) => +a.occurredAt - +b.occurredAt)[0];
      return reply ? [{ senderId: reply.senderId, seconds: seconds(firstIn.occurredAt, reply.occurredAt) }] : [];
    });
}

function expectedOverview(seed: Seed, range: Range) {
  const inRange = within(range);
  const messages = seed.messages.filter((m) => inRange(m.occurredAt));
  const outbound = messages.filter((m) => m.direction === 'outbound');
  const count = (statuses: Status[]) => outbound.filter((m) => statuses.includes(m.status)).length;
  const days: string[] = [];
  for (let d = new Date(`${range.from}T00:00:00Z`); d <= new Date(`${range.to}T00:00:00Z`); d = plus(d, 24 * HOUR))
    days.push(d.toISOString().slice(0, 10));
  const failed = outbound.filter((m) => m.status === 'failed');
  const resolved = seed.conversations.filter((c) => inRange(c.resolvedAt));
  const resolutions = resolved.map((c) => seconds(c.createdAt, c.resolvedAt as Date));
  const responses = firstResponses(seed, range).map((r) => r.seconds);
  const analysed = messages.filter((m) => m.ai !== null);
  const sent = count(['sent', 'delivered', 'read']);
  const delivered = count(['delivered', 'read']);
  return {
    period: { from: range.from, to: range.to, timezone: range.tz },
    messagesPerDay: days.map((date) => ({
      date,
      inbound: messages.filter((m) => m.direction === 'inbound' && localDate(m.occurredAt, range.tz) === date).length,
      outbound: outbound.filter((m) => localDate(m.occurredAt, range.tz) === date).length,
    })),
    messages: {
      inbound: messages.length - outbound.length,
      outbound: {
        total: outbound.length,
        queued: count(['queued']),
        sent,
        delivered,
        read: count(['read']),
        failed: failed.length,
        deliveryRate: round4(delivered, sent + failed.length),
        readRate: round4(count(['read']), delivered),
      },
    },
    failuresByCode: tally(failed, (m) => String(m.errorCode)).map(({ label, count }) => ({
      code: Number(label),
      title: ERRORS.find((e) => e.code === Number(label))?.title,
      count,
    })),
    contacts: {
      added: seed.contacts.filter((c) => inRange(c.createdAt)).length,
      optedOut: seed.contacts.filter((c) => c.optIn === 'opted_out' && inRange(c.optInChangedAt)).length,
    },
    conversations: {
      opened: seed.conversations.filter((c) => inRange(c.createdAt)).length,
      resolved: resolved.length,
      firstResponse: {
        count: responses.length,
        medianSeconds: percentileCont(responses, 0.5),
        p90Seconds: percentileCont(responses, 0.9),
      },
      resolution: {
        count: resolutions.length,
        medianSeconds: percentileCont(resolutions, 0.5),
        p90Seconds: percentileCont(resolutions, 0.9),
      },
    },
    ai: {
      analysed: analysed.length,
      intents: tally(analysed, (m) => m.ai?.intent ?? null),
      sentiments: tally(analysed, (m) => m.ai?.sentiment ?? null),
    },
  };
}

/** Durations to the millisecond: compared to a thousandth of a second, the rest exactly. */
function expectOverview(actual: any, expected: ReturnType<typeof expectedOverview>) {
  const { firstResponse, resolution, ...conversations } = expected.conversations;
  expect({ ...actual, conversations: undefined, failuresByCode: undefined }).toEqual({
    ...expected,
    conversations: undefined,
    failuresByCode: undefined,
  });
  // Ties in count come in any order.
  const byCode = (rows: { code: number }[]) => [...rows].sort((a, b) => a.code - b.code);
  expect(byCode(actual.failuresByCode)).toEqual(byCode(expected.failuresByCode));
  expect(actual.failuresByCode.map((f: any) => f.count)).toEqual(
    [...expected.failuresByCode.map((f) => f.count)].sort((a, b) => b - a),
  );
  expect(actual.conversations).toMatchObject(conversations);
  for (const [name, stats] of Object.entries({ firstResponse, resolution })) {
    const got = actual.conversations[name];
    expect({ name, count: got.count }).toEqual({ name, count: stats.count });
    for (const key of ['medianSeconds', 'p90Seconds'] as const) {
      if (stats[key] === null) expect(got[key]).toBeNull();
      else expect(got[key]).toBeCloseTo(stats[key] as number, 3);
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** The worker's rollup, run by hand (the worker runs it every few seconds). */
function rollupOf(api: TestApi): AnalyticsRollup {
  return new AnalyticsRollup(api.dataSource, api.app.get(PgTimeZones), api.app.get(AppConfig));
}

async function staleHours(api: TestApi, orgId: string): Promise<number> {
  const [row] = await api.dataSource.query(
    'SELECT count(*)::int AS count FROM analytics_stale_hours WHERE org_id = $1',
    [orgId],
  );
  return row.count;
}

describe.each([
  ['counted from the messages', false],
  ['read from the daily rollup', true],
])('analytics %s', (_, rolledUp) => {
  let api: TestApi;
  let owner: TestSession;
  let agents: TestSession[];
  let viewer: TestSession;
  let stranger: TestSession;
  let orgId: string;
  let otherOrgId: string;
  let seed: Seed;
  let otherSeed: Seed;

  const PERIOD: Range = { from: '2026-03-10', to: '2026-03-12', tz: 'America/Sao_Paulo' };
  const url = (path: string, query: Record<string, string> = {}) =>
    `/api/v1/orgs/${orgId}/analytics/${path}?${new URLSearchParams(query)}`;
  const period = { from: PERIOD.from, to: PERIOD.to };

  beforeAll(async () => {
    api = await TestApi.start();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Analytics')).id;
    agents = [await owner.addTeammate(orgId, 'agent'), await owner.addTeammate(orgId, 'agent')];
    viewer = await owner.addTeammate(orgId, 'viewer');
    // A member named like a spreadsheet formula: the CSV must not run it.
    await api.dataSource.query(`UPDATE users SET name = '=HYPERLINK("http://evil")' WHERE id = $1`, [viewer.user.id]);
    await api.dataSource.query(`UPDATE organizations SET timezone = $2 WHERE id = $1`, [orgId, PERIOD.tz]);
    const { account, number } = await owner.connectNumber(orgId);
    seed = generate(20_260_310, { owner: owner.user.id, agents: agents.map((a) => a.user.id) }, (i) =>
      i === 2 ? '@welcome' : i === 9 ? 'spring_sale' : 'order_update',
    );
    await insertSeed(api, orgId, number.id, account.id, seed);

    // Another tenant, busy in the same days: none of it may show up above.
    stranger = await TestSession.signup(api, 'stranger');
    otherOrgId = (await stranger.createOrg('Elsewhere')).id;
    const other = await stranger.connectNumber(otherOrgId);
    otherSeed = generate(99, { owner: stranger.user.id, agents: [] }, () => 'other_template');
    await insertSeed(api, otherOrgId, other.number.id, other.account.id, otherSeed);

    if (rolledUp) {
      expect(await rollupOf(api).catchUp()).toBeGreaterThan(0);
      for (const org of [orgId, otherOrgId]) expect(await staleHours(api, org)).toBe(0);
    } else expect(await staleHours(api, orgId)).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('seeds a period worth reporting on', () => {
    const expected = expectedOverview(seed, PERIOD);
    // Enough of everything that a wrong join or a wrong day would show.
    expect(expected.messages.inbound).toBeGreaterThan(20);
    expect(expected.messages.outbound.failed).toBeGreaterThan(2);
    expect(expected.failuresByCode.length).toBeGreaterThan(1);
    expect(expected.conversations.firstResponse.count).toBeGreaterThan(5);
    expect(expected.conversations.resolution.count).toBeGreaterThan(5);
    expect(expected.ai.analysed).toBeGreaterThan(10);
    // Some messages fall on the period's edges in São Paulo but on the other side of midnight in UTC.
    const inSaoPaulo = within(PERIOD);
    const inUtc = within({ ...PERIOD, tz: 'UTC' });
    expect(seed.messages.some((m) => inSaoPaulo(m.occurredAt) !== inUtc(m.occurredAt))).toBe(true);
  });

  it("reports the overview in the org's time zone by default, equal to the seed's true figures", async () => {
    const overview = expectStatus(await owner.get(url('overview', period)), 200);
    expect(overview.period).toEqual({ from: '2026-03-10', to: '2026-03-12', timezone: 'America/Sao_Paulo' });
    expectOverview(overview, expectedOverview(seed, PERIOD));
  });

  it('reads the days in any zone asked for: UTC, India at +05:30, and New York across its DST change', async () => {
    for (const tz of ['UTC', 'Asia/Kolkata']) {
      const overview = expectStatus(await owner.get(url('overview', { ...period, tz })), 200);
      expect(overview.period.timezone).toBe(tz);
      expectOverview(overview, expectedOverview(seed, { ...PERIOD, tz }));
    }
    // 8 March 2026 is 23 hours long in New York.
    const dst: Range = { from: '2026-03-08', to: '2026-03-10', tz: 'America/New_York' };
    const overview = expectStatus(await owner.get(url('overview', { from: dst.from, to: dst.to, tz: dst.tz })), 200);
    expectOverview(overview, expectedOverview(seed, dst));
    expect(overview.messagesPerDay.map((d: any) => d.date)).toEqual(['2026-03-08', '2026-03-09', '2026-03-10']);
  });

  it('covers the last 30 days in the org zone when no period is given, every day present', async () => {
    const overview = expectStatus(await viewer.get(url('overview')), 200);
    const today = localDate(new Date(), PERIOD.tz);
    expect(overview.period).toMatchObject({ to: today, timezone: PERIOD.tz });
    expect(overview.messagesPerDay).toHaveLength(30);
    expect(overview.messagesPerDay.at(-1).date).toBe(today);
  });

  it('reports each member: conversations assigned and resolved, messages sent, median first response', async () => {
    const body = expectStatus(await owner.get(url('agents', period)), 200);
    const inRange = within(PERIOD);
    const responses = firstResponses(seed, PERIOD);
    const members = [
      { session: owner, role: 'owner' },
      ...agents.map((session) => ({ session, role: 'agent' })),
      { session: viewer, role: 'viewer' },
    ];
    const expected = members.map(({ session, role }) => {
      const id = session.user.id;
      const own = responses.filter((r) => r.senderId === id).map((r) => r.seconds);
      return {
        userId: id,
        name: id === viewer.user.id ? '=HYPERLINK("http://evil")' : session.user.name,
        email: session.user.email,
        role,
        conversationsAssigned: seed.conversations.filter((c) => c.assigneeId === id && inRange(c.createdAt)).length,
        conversationsResolved: seed.conversations.filter((c) => c.assigneeId === id && inRange(c.resolvedAt)).length,
        messagesSent: seed.messages.filter(
          (m) => m.senderId === id && m.direction === 'outbound' && inRange(m.occurredAt),
        ).length,
        firstResponses: own.length,
        medianFirstResponseSeconds: percentileCont(own, 0.5),
      };
    });
    expect(body.period).toEqual({ ...period, timezone: PERIOD.tz });
    const byId = (rows: any[]) => [...rows].sort((a, b) => (a.userId < b.userId ? -1 : 1));
    const actual = byId(body.data);
    expect(actual.map(({ medianFirstResponseSeconds: _, ...rest }) => rest)).toEqual(
      byId(expected).map(({ medianFirstResponseSeconds: _, ...rest }) => rest),
    );
    byId(expected).forEach((row, i) => {
      if (row.medianFirstResponseSeconds === null) expect(actual[i].medianFirstResponseSeconds).toBeNull();
      else expect(actual[i].medianFirstResponseSeconds).toBeCloseTo(row.medianFirstResponseSeconds, 3);
    });
    // Busiest first.
    const sent = body.data.map((row: any) => row.messagesSent);
    expect(sent).toEqual([...sent].sort((a, b) => b - a));
    expect(expected.some((row) => row.firstResponses > 0 && row.messagesSent > 0)).toBe(true);
  });

  it('reports each template by name and language, the campaign’s sends included', async () => {
    const body = expectStatus(await owner.get(url('templates', period)), 200);
    const inRange = within(PERIOD);
    const sends = seed.messages.filter((m) => m.template && m.direction === 'outbound' && inRange(m.occurredAt));
    const keys = [...new Set(sends.map((m) => `${m.template?.name}|${m.template?.language}`))];
    const expected = keys.map((key) => {
      const [name, language] = key.split('|');
      const own = sends.filter((m) => m.template?.name === name && m.template?.language === language);
      const count = (statuses: Status[]) => own.filter((m) => statuses.includes(m.status)).length;
      return {
        name,
        language,
        sent: count(['sent', 'delivered', 'read']),
        delivered: count(['delivered', 'read']),
        read: count(['read']),
        failed: count(['failed']),
        readRate: round4(count(['read']), count(['delivered', 'read'])),
      };
    });
    const byKey = (rows: any[]) =>
      [...rows].sort((a, b) => (`${a.name}|${a.language}` < `${b.name}|${b.language}` ? -1 : 1));
    expect(byKey(body.data)).toEqual(byKey(expected));
    expect(body.data.map((row: any) => row.name)).toContain('spring_sale');
    const sent = body.data.map((row: any) => row.sent);
    expect(sent).toEqual([...sent].sort((a, b) => b - a));
  });

  it('reports the campaigns that started in the period with the funnel of their own page', async () => {
    const body = expectStatus(await owner.get(url('campaigns', period)), 200);
    const [campaign] = seed.campaigns as [SeedCampaign];
    const recipients = campaign.recipients.flatMap((r) => {
      const message = seed.messages.find((m) => m.id === r.messageId);
      return message ? [message] : [];
    });
    const count = (statuses: Status[]) => recipients.filter((m) => statuses.includes(m.status)).length;
    const replied = recipients.filter((m) => {
      if (m.status !== 'delivered' && m.status !== 'read') return false;
      const from = (m.deliveredAt ?? m.readAt) as Date;
      return seed.messages.some(
        (reply) =>
          reply.conversationId === m.conversationId &&
          reply.direction === 'inbound' &&
          reply.occurredAt >= from &&
          +reply.occurredAt < +from + 72 * HOUR,
      );
    }).length;
    expect(body.data).toEqual([
      {
        id: campaign.id,
        name: campaign.name,
        status: 'completed',
        startedAt: campaign.startedAt.toISOString(),
        targeted: campaign.recipients.length + campaign.unmatched,
        sent: count(['sent', 'delivered', 'read']),
        delivered: count(['delivered', 'read']),
        read: count(['read']),
        replied,
        failed: count(['failed']),
      },
    ]);
    // What the campaign's own page says.
    const stats = expectStatus(await owner.get(`/api/v1/orgs/${orgId}/campaigns/${campaign.id}/stats`), 200);
    expect(body.data[0]).toMatchObject({
      targeted: stats.targeted,
      sent: stats.sent,
      delivered: stats.delivered,
      read: stats.read,
      replied: stats.replied,
      failed: stats.failed,
    });
    expect(replied).toBe(2);
  });

  it('downloads each table as CSV, with formulas defused', async () => {
    const agentsCsv = await api.get(url('agents', { ...period, format: 'csv' }), { token: owner.accessToken });
    expect(agentsCsv.status).toBe(200);
    expect(agentsCsv.headers.get('content-type')).toContain('text/csv');
    expect(agentsCsv.headers.get('content-disposition')).toBe(
      'attachment; filename="agents-2026-03-10-2026-03-12.csv"',
    );
    const agentLines = (agentsCsv.body as string).trim().split('\n');
    expect(agentLines[0]).toBe(
      'userId,name,email,role,conversationsAssigned,conversationsResolved,messagesSent,firstResponses,medianFirstResponseSeconds',
    );
    expect(agentLines).toHaveLength(5);
    expect(agentLines.find((line) => line.startsWith(viewer.user.id))).toBe(
      `${viewer.user.id},"'=HYPERLINK(""http://evil"")",${viewer.user.email},viewer,0,0,0,0,`,
    );
    const json = expectStatus(await owner.get(url('agents', period)), 200);
    const agentRow = json.data.find((row: any) => row.userId === agents[0]?.user.id);
    expect(agentLines).toContain(
      [
        agentRow.userId,
        agentRow.name,
        agentRow.email,
        'agent',
        agentRow.conversationsAssigned,
        agentRow.conversationsResolved,
        agentRow.messagesSent,
        agentRow.firstResponses,
        agentRow.medianFirstResponseSeconds ?? '',
      ].join(','),
    );

    const templatesCsv = await api.get(url('templates', { ...period, format: 'csv' }), { token: owner.accessToken });
    const templateLines = (templatesCsv.body as string).trim().split('\n');
    expect(templateLines[0]).toBe('name,language,sent,delivered,read,failed,readRate');
    expect(templateLines.some((line) => line.startsWith("'@welcome,pt_BR,"))).toBe(true);

    const campaignsCsv = await api.get(url('campaigns', { ...period, format: 'csv' }), { token: owner.accessToken });
    const campaign = expectStatus(await owner.get(url('campaigns', period)), 200).data[0];
    expect((campaignsCsv.body as string).trim().split('\n')).toEqual([
      'id,name,status,startedAt,targeted,sent,delivered,read,replied,failed',
      `${campaign.id},'=SUM(1+1) spring,completed,${campaign.startedAt},${campaign.targeted},${campaign.sent},` +
        `${campaign.delivered},${campaign.read},${campaign.replied},${campaign.failed}`,
    ]);
  });

  it('answers 422 naming the field for a bad date, a period upside down or too long, and an unknown zone', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ from: '2026-02-30', to: '2026-03-12' }, 'from'],
      [{ from: '10/03/2026' }, 'from'],
      [{ from: '2026-03-01', to: 'tomorrow' }, 'to'],
      [{ from: '2026-03-12', to: '2026-03-10' }, 'from'],
      [{ from: '2025-03-10', to: '2026-03-11' }, 'to'],
      [{ ...period, tz: 'Mars/Olympus_Mons' }, 'tz'],
      [{ ...period, tz: '+03:00' }, 'tz'],
    ];
    for (const [query, field] of cases) {
      for (const path of ['overview', 'agents', 'templates', 'campaigns']) {
        const reply = await owner.get(url(path, query));
        expect({ path, query, status: reply.status, code: reply.body.error?.code }).toEqual({
          path,
          query,
          status: 422,
          code: 'invalid_period',
        });
        expect(reply.body.error.details).toEqual([{ field, message: expect.any(String) }]);
      }
    }
    // 366 days is a leap year's worth, and fine.
    expect((await owner.get(url('overview', { from: '2024-01-01', to: '2024-12-31' }))).status).toBe(200);
    // Anything else in the query is refused as usual.
    expect((await owner.get(url('overview', { ...period, format: 'csv' }))).status).toBe(400);
    expect((await owner.get(url('agents', { ...period, format: 'xlsx' }))).status).toBe(400);
  });

  it("shows another tenant nothing: its members get 404, and each org's figures are its own", async () => {
    for (const path of ['overview', 'agents', 'templates', 'campaigns']) {
      const reply = await stranger.get(url(path, period));
      expect({ path, status: reply.status }).toEqual({ path, status: 404 });
    }
    const other = expectStatus(
      await stranger.get(`/api/v1/orgs/${otherOrgId}/analytics/overview?${new URLSearchParams(period)}`),
      200,
    );
    // The other org reads its days in its own zone (UTC, the default).
    expectOverview(other, expectedOverview(otherSeed, { ...PERIOD, tz: 'UTC' }));
    const otherTemplates = expectStatus(
      await stranger.get(`/api/v1/orgs/${otherOrgId}/analytics/templates?${new URLSearchParams(period)}`),
      200,
    );
    expect(new Set(otherTemplates.data.map((row: any) => row.name))).toEqual(new Set(['other_template']));
  });

  it('is open to every member and to read-scoped API keys', async () => {
    expect((await viewer.get(url('agents', period))).status).toBe(200);
    expect((await agents[0]?.get(url('campaigns', period)))?.status).toBe(200);
    const key = await owner.createApiKey(orgId, ['read']);
    expect((await api.get(url('overview', period), { apiKey: key })).status).toBe(200);
  });
});

describe('the daily rollup', () => {
  let api: TestApi;
  let owner: TestSession;
  let orgId: string;
  let seed: Seed;
  let rollup: AnalyticsRollup;
  const PERIOD: Range = { from: '2026-03-10', to: '2026-03-12', tz: 'America/Sao_Paulo' };
  const overview = async (range: Range = PERIOD) =>
    expectStatus(
      await owner.get(
        `/api/v1/orgs/${orgId}/analytics/overview?${new URLSearchParams({ from: range.from, to: range.to })}`,
      ),
      200,
    );
  /** A message of the period that went out and was delivered, and another sent in the same UTC hour. */
  const sameHourPair = () => {
    const inRange = within(PERIOD);
    const hour = (m: SeedMessage) => m.occurredAt.toISOString().slice(0, 13);
    const delivered = seed.messages.filter((m) => m.status === 'delivered' && inRange(m.occurredAt));
    for (const first of delivered) {
      const second = seed.messages.find((m) => m !== first && hour(m) === hour(first));
      if (second) return [first, second] as const;
    }
    throw new Error('the seed has no two messages in one hour');
  };

  beforeAll(async () => {
    api = await TestApi.start();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Rollup')).id;
    const agent = await owner.addTeammate(orgId, 'agent');
    await api.dataSource.query(`UPDATE organizations SET timezone = $2 WHERE id = $1`, [orgId, PERIOD.tz]);
    const { account, number } = await owner.connectNumber(orgId);
    seed = generate(7, { owner: owner.user.id, agents: [agent.user.id] }, () => 'order_update');
    await insertSeed(api, orgId, number.id, account.id, seed);
    rollup = rollupOf(api);
    await rollup.catchUp();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('counts a late status at once from the messages, then from the recounted day', async () => {
    const [message] = sameHourPair();
    message.status = 'read';
    message.readAt = plus(message.occurredAt, MINUTE);
    await api.dataSource.query(`UPDATE messages SET status = 'read', read_at = $2 WHERE id = $1`, [
      message.id,
      message.readAt,
    ]);
    expect(await staleHours(api, orgId)).toBe(1);
    expectOverview(await overview(), expectedOverview(seed, PERIOD));

    expect(await rollup.catchUp()).toBeGreaterThan(0);
    expect(await staleHours(api, orgId)).toBe(0);
    expectOverview(await overview(), expectedOverview(seed, PERIOD));
  });

  it('leaves a changed day to the messages until the change has waited its delay, then recounts it once', async () => {
    const config = Object.assign(new AppConfig(), api.app.get(AppConfig), { ANALYTICS_ROLLUP_DELAY_MS: 60_000 });
    const delayed = new AnalyticsRollup(api.dataSource, api.app.get(PgTimeZones), config);
    const [first, second] = sameHourPair();
    for (const message of [first, second]) {
      message.status = 'read';
      message.readAt = plus(message.occurredAt, 2 * MINUTE);
      await api.dataSource.query(`UPDATE messages SET status = 'read', read_at = $2 WHERE id = $1`, [
        message.id,
        message.readAt,
      ]);
    }
    expect(await staleHours(api, orgId)).toBe(1); // one mark for both: same hour
    expect(await delayed.catchUp()).toBe(0);
    expectOverview(await overview(), expectedOverview(seed, PERIOD));

    await api.dataSource.query(
      `UPDATE analytics_stale_hours SET marked_at = marked_at - interval '61 seconds' WHERE org_id = $1`,
      [orgId],
    );
    expect(await delayed.catchUp()).toBeGreaterThan(0);
    expect(await staleHours(api, orgId)).toBe(0);
    expectOverview(await overview(), expectedOverview(seed, PERIOD));
  });

  it('waits for a change still in flight when it claims the hour, and counts it', async () => {
    const [first, second] = sameHourPair();
    first.status = 'failed';
    first.errorCode = 131026;
    first.errorTitle = 'Message undeliverable';
    await api.dataSource.query(
      `UPDATE messages SET status = 'failed', error_code = $2, error_title = $3 WHERE id = $1`,
      [first.id, first.errorCode, first.errorTitle],
    );
    // A second change in the same hour, uncommitted while the rollup claims the hour: it saw the
    // hour marked and unclaimed, so it adds no mark of its own.
    const inFlight = api.dataSource.createQueryRunner();
    await inFlight.connect();
    await inFlight.startTransaction();
    second.ai = { sentiment: 'negative', intent: 'complaint', language: 'en' };
    await inFlight.query('UPDATE messages SET ai = $2 WHERE id = $1', [second.id, JSON.stringify(second.ai)]);
    expect(await staleHours(api, orgId)).toBe(1);

    let done = false;
    const catchingUp = rollup.catchUp().finally(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done).toBe(false);
    await inFlight.commitTransaction();
    await inFlight.release();
    await catchingUp;

    expect(await staleHours(api, orgId)).toBe(0);
    expectOverview(await overview(), expectedOverview(seed, PERIOD));
  });

  it("recounts every day in the org's new time zone when it moves", async () => {
    const tokyo: Range = { ...PERIOD, tz: 'Asia/Tokyo' };
    expect(await owner.patch(`/api/v1/orgs/${orgId}`, { timezone: tokyo.tz })).toMatchObject({ status: 200 });
    expect(await staleHours(api, orgId)).toBeGreaterThan(24);
    expectOverview(await overview(tokyo), expectedOverview(seed, tokyo));
    await rollup.catchUp();
    expect(await staleHours(api, orgId)).toBe(0);
    expectOverview(await overview(tokyo), expectedOverview(seed, tokyo));
  });

  it('is kept by the worker on its own, a few seconds behind', async () => {
    process.env['ANALYTICS_ROLLUP_INTERVAL_MS'] = '200';
    const worker = await startWorker();
    try {
      const [message] = sameHourPair();
      await api.dataSource.query(`UPDATE messages SET status = 'read' WHERE id = $1`, [message.id]);
      message.status = 'read';
      expect(await staleHours(api, orgId)).toBe(1);
      const deadline = Date.now() + 10_000;
      while ((await staleHours(api, orgId)) > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await staleHours(api, orgId)).toBe(0);
      expectOverview(
        await overview({ ...PERIOD, tz: 'Asia/Tokyo' }),
        expectedOverview(seed, { ...PERIOD, tz: 'Asia/Tokyo' }),
      );
    } finally {
      await worker.close();
      delete process.env['ANALYTICS_ROLLUP_INTERVAL_MS'];
    }
  });
});
