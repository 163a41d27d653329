/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import type { INestApplicationContext } from '@nestjs/common';
import { SecretBox } from '@parley/api/core';
import { CloudApiClient } from '@parley/whatsapp/cloud-api';
import { randomUUID } from 'node:crypto';
import type { RunningSandbox } from '@parley/whatsapp/sandbox';
import {
  eventually,
  expectStatus,
  randomDigits,
  SandboxAccount,
  sandboxControl,
  startTestSandbox,
  startWorker,
  TestApi,
  TestSession,
} from './harness';

describe('campaigns', () => {
  let sandbox: RunningSandbox;
  let api: TestApi;
  let worker: INestApplicationContext;
  let owner: TestSession;
  let orgId: string;
  let wa: SandboxAccount;
  let templateId: string;
  let subscriptionId: string;

  const base = () => `/api/v1/orgs/${orgId}/campaigns`;
  const control = (method: string, path: string, body?: unknown) => sandboxControl(sandbox)(method, path, body);
  /** Template messages the sandbox (Meta) accepted from our number, by customer. */
  const atMeta = () =>
    sandbox.ctx.state.messages.filter(
      (m) => m.direction === 'outbound' && m.phoneNumberId === wa.number.phoneNumberId && m.type === 'template',
    );
  const setThroughput = async (mps: number) => {
    await control('PATCH', `/phone-numbers/${wa.number.phoneNumberId}`, { throughputMps: mps });
    await api.dataSource.query('UPDATE phone_numbers SET throughput_mps = $2 WHERE id = $1', [wa.number.id, mps]);
  };

  /** Contacts made in one statement: `count` of them tagged `tag`, with `optIn` and attributes. */
  async function seedContacts(
    tag: string,
    count: number,
    optIn = 'opted_in',
    attributes: (i: number) => Record<string, string | undefined> = () => ({}),
  ): Promise<string[]> {
    const prefix = `4479${randomDigits(4)}`;
    const rows = Array.from({ length: count }, (_, i) => ({
      phone: `+${prefix}${String(i).padStart(4, '0')}`,
      name: i % 2 === 0 ? `Ana Silva ${i}` : null,
      attributes: attributes(i),
    }));
    await api.dataSource.query(
      `INSERT INTO contacts (org_id, phone, wa_id, name, tags, attributes, opt_in_status)
       SELECT $1, r.phone, substr(r.phone, 2), r.name, ARRAY[$2], r.attributes, $3::opt_in_status
       FROM jsonb_to_recordset($4::jsonb) AS r(phone text, name text, attributes jsonb)`,
      [orgId, tag, optIn, JSON.stringify(rows)],
    );
    return rows.map((r) => r.phone);
  }

  const draft = async (overrides: Record<string, unknown> = {}) =>
    expectStatus(
      await owner.post(base(), {
        name: 'Spring sale',
        phoneNumberId: wa.number.id,
        templateId,
        parameters: {
          'body.1': { source: 'contact', field: 'first_name', fallback: 'there' },
          'body.2': { source: 'attribute', key: 'discount' },
        },
        ...overrides,
      }),
      201,
    );
  const campaignOf = async (id: string) => expectStatus(await owner.get(`${base()}/${id}`), 200);
  const finished = (id: string, timeoutMs = 20_000) =>
    eventually(
      async () => {
        const campaign = await campaignOf(id);
        const settled =
          campaign.stats.sent + campaign.stats.failed ===
          campaign.stats.targeted - campaign.stats.skipped - campaign.stats.cancelled;
        return campaign.status === 'completed' && settled && campaign;
      },
      timeoutMs,
      `campaign ${id} completed`,
    );

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    api = await TestApi.start();
    worker = await startWorker();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Campaigns')).id;
    wa = await owner.connectSandbox(orgId, sandbox);
    const graph = new CloudApiClient({ baseUrl: sandbox.url, version: 'v23.0', accessToken: wa.accessToken });
    await graph.createTemplate(wa.account.wabaId, {
      name: 'spring_sale',
      language: 'en_US',
      category: 'MARKETING',
      components: [
        { type: 'BODY', text: 'Hi {{1}}, {{2}} off everything today.', example: { body_text: [['Ana', '20%']] } },
      ],
    });
    // A partner listening for finished campaigns (at an address that never answers: only the record matters here).
    subscriptionId = randomUUID();
    await api.dataSource.query(
      `INSERT INTO webhook_subscriptions (id, org_id, url, events, secret_sealed)
       VALUES ($1, $2, 'https://partner.invalid/hooks', '{campaign.completed}', $3)`,
      [subscriptionId, orgId, api.app.get(SecretBox).encrypt('whsec_test', subscriptionId)],
    );
    templateId = await eventually(
      async () => {
        await owner.post(`/api/v1/orgs/${orgId}/templates/sync`, { wabaAccountId: wa.account.id });
        const [template] = expectStatus(await owner.get(`/api/v1/orgs/${orgId}/templates?name=spring_sale`), 200).data;
        return template?.status === 'APPROVED' && template.id;
      },
      10_000,
      'spring_sale approved',
    );
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });

  it('names the parameter a mapping leaves out or gets wrong', async () => {
    const reply = await owner.post(base(), {
      name: 'Broken',
      phoneNumberId: wa.number.id,
      templateId,
      parameters: { 'body.1': { source: 'contact', field: 'nickname' }, 'body.3': { source: 'text', value: 'x' } },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error.details.map((d: any) => d.field).sort()).toEqual([
      'parameters.body.1',
      'parameters.body.2',
      'parameters.body.3',
    ]);
    expect(expectStatus(await owner.get(`${base()}?limit=100`), 200).data.map((c: any) => c.name)).not.toContain(
      'Broken',
    );
  });

  it('estimates an audience, counting who would be skipped and why', async () => {
    const tag = `est-${randomDigits(5)}`;
    await seedContacts(tag, 6, 'opted_in', (i) => (i < 4 ? { discount: '20%' } : {}));
    await seedContacts(tag, 2, 'opted_out');
    await seedContacts(tag, 3, 'unknown');
    const estimate = expectStatus(
      await owner.post(`${base()}/estimate`, {
        audience: { tags: { any: [tag] }, phones: undefined },
        templateId,
        parameters: {
          'body.1': { source: 'contact', field: 'name', fallback: 'there' },
          'body.2': { source: 'attribute', key: 'discount' },
        },
      }),
      200,
    );
    expect(estimate).toEqual({
      matched: 11,
      eligible: 4,
      skipped: 7,
      skippedByReason: { opted_out: 2, not_opted_in: 3, missing_parameter: 2 },
    });
    const byPhone = expectStatus(
      await owner.post(`${base()}/estimate`, { audience: { phones: ['+15550000001', '+15550000002'] } }),
      200,
    );
    expect(byPhone).toMatchObject({ matched: 0, eligible: 0, skipped: 2, skippedByReason: { unknown_number: 2 } });
    // A mapping that is no mapping, even without a template to check it against, is named (the fault suite's fuzzing found a 500).
    const broken = await owner.post(`${base()}/estimate`, { parameters: { 'body.1': null } });
    expect(broken.status).toBe(422);
    expect(broken.body.error.details).toEqual([
      { field: 'parameters.body.1', message: 'parameters.body.1: must be an object with a source' },
    ]);
  });

  it('launches once under two concurrent launches and sends each eligible recipient exactly once, personalised', async () => {
    const tag = `run-${randomDigits(5)}`;
    const phones = await seedContacts(tag, 40, 'opted_in', (i) => (i % 10 === 9 ? {} : { discount: `${i}%` }));
    await seedContacts(tag, 5, 'opted_out');
    const campaign = await draft({ audience: { tags: { all: [tag] } } });
    expect(campaign).toMatchObject({ status: 'draft', startedAt: null, stats: { targeted: 0 } });

    const launches = await Promise.all([1, 2].map(() => owner.post(`${base()}/${campaign.id}/launch`, {})));
    expect(launches.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(launches.find((r) => r.status === 409)?.body.error.code).toBe('campaign_state_conflict');

    const done = await finished(campaign.id);
    expect(done.stats).toMatchObject({ targeted: 45, skipped: 9, sent: 36, failed: 0, queued: 0 });
    // Partners subscribed to campaign.completed hear of it once, with the figures of the campaign's page.
    const told = await api.dataSource.query(
      `SELECT payload FROM webhook_deliveries WHERE subscription_id = $1 AND payload->'data'->'campaign'->>'id' = $2`,
      [subscriptionId, campaign.id],
    );
    expect(told).toHaveLength(1);
    expect(told[0].payload).toMatchObject({
      type: 'campaign.completed',
      data: { campaign: { id: campaign.id, status: 'completed', stats: { targeted: 45, skipped: 9 } } },
    });
    const sent = atMeta().filter((m) => phones.includes(`+${m.waId}`));
    expect(sent).toHaveLength(36);
    expect(new Set(sent.map((m) => m.waId)).size).toBe(36);
    // The 0th contact is named Ana Silva 0 and has a 0% discount.
    const first = sent.find((m) => `+${m.waId}` === phones[0]);
    expect(first?.body).toContain('Hi Ana, 0% off everything today.');
    // The 1st has no name: the fallback fills in.
    expect(sent.find((m) => `+${m.waId}` === phones[1])?.body).toContain('Hi there, 1% off');

    const stats = await eventually(
      async () => {
        const s = expectStatus(await owner.get(`${base()}/${campaign.id}/stats`), 200);
        return s.delivered === 36 && s.read === 36 && s;
      },
      10_000,
      'every message read',
    );
    expect(stats.skippedByReason).toEqual({ missing_parameter: 4, opted_out: 5 });

    // A recipient writes back: counted as a reply, even in the second of the delivery, which our
    // send may date to the millisecond while Meta dates the reply to the second.
    await api.dataSource.query(
      `UPDATE messages SET delivered_at = date_trunc('second', now()) + interval '999 milliseconds'
       WHERE campaign_id = $1 AND contact_id = (SELECT id FROM contacts WHERE org_id = $2 AND phone = $3)`,
      [campaign.id, orgId, phones[0]],
    );
    await control('POST', '/inbound', {
      phoneNumberId: wa.number.phoneNumberId,
      from: phones[0]?.slice(1),
      type: 'text',
      text: 'Is it for shoes too?',
    });
    await eventually(async () => (await campaignOf(campaign.id)).stats.replied === 1, 10_000, 'a reply counted');
    const replied = expectStatus(await owner.get(`${base()}/${campaign.id}/recipients?replied=true`), 200).data;
    expect(replied.map((r: any) => r.phone)).toEqual([phones[0]]);
    expect(replied[0]).toMatchObject({ status: 'read', repliedAt: expect.any(String) });
  });

  it('pauses within about a second, resumes, and never sends anyone twice', async () => {
    await setThroughput(5);
    try {
      const tag = `pause-${randomDigits(5)}`;
      const phones = await seedContacts(tag, 25, 'opted_in', () => ({ discount: '10%' }));
      const campaign = await draft({ audience: { tags: { any: [tag] } } });
      const countSent = () => atMeta().filter((m) => phones.includes(`+${m.waId}`)).length;
      expectStatus(await owner.post(`${base()}/${campaign.id}/launch`, {}), 200);
      await eventually(async () => countSent() >= 3, 10_000, 'sending under way');
      expect(expectStatus(await owner.post(`${base()}/${campaign.id}/pause`, {}), 200).status).toBe('paused');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const atPause = countSent();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(countSent()).toBe(atPause);
      expect(atPause).toBeLessThan(25);
      expect((await owner.post(`${base()}/${campaign.id}/pause`, {})).status).toBe(409);

      expectStatus(await owner.post(`${base()}/${campaign.id}/resume`, {}), 200);
      await finished(campaign.id, 20_000);
      const sent = atMeta().filter((m) => phones.includes(`+${m.waId}`));
      expect(sent).toHaveLength(25);
      expect(new Set(sent.map((m) => m.waId)).size).toBe(25);
    } finally {
      await setThroughput(80);
    }
  });

  it('cancels: recipients not sent yet are cancelled, and the campaign cannot be launched again', async () => {
    await setThroughput(4);
    try {
      const tag = `cancel-${randomDigits(5)}`;
      const phones = await seedContacts(tag, 20, 'opted_in', () => ({ discount: '5%' }));
      const campaign = await draft({ audience: { tags: { any: [tag] } } });
      expectStatus(await owner.post(`${base()}/${campaign.id}/launch`, {}), 200);
      await eventually(async () => atMeta().some((m) => phones.includes(`+${m.waId}`)), 10_000, 'first send');
      const cancelled = expectStatus(await owner.post(`${base()}/${campaign.id}/cancel`, {}), 200);
      expect(cancelled).toMatchObject({ status: 'cancelled', completedAt: expect.any(String) });
      // What was already handed to the sender (about a second's worth) still goes; nothing else does.
      const stats = await eventually(
        async () => {
          const s = (await campaignOf(campaign.id)).stats;
          return s.queued === 0 && s;
        },
        5_000,
        'the last queued messages sent',
      );
      expect(stats.cancelled).toBeGreaterThan(10);
      expect(stats.sent + stats.cancelled).toBe(20);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(atMeta().filter((m) => phones.includes(`+${m.waId}`)).length).toBe(stats.sent);
      expect((await owner.post(`${base()}/${campaign.id}/launch`, {})).status).toBe(409);
      expect((await owner.delete(`${base()}/${campaign.id}`)).status).toBe(204);
    } finally {
      await setThroughput(80);
    }
  });

  it('pauses, with the reason, when the template stops matching its mapping mid-campaign', async () => {
    await setThroughput(2);
    const [template] = await api.dataSource.query('SELECT components FROM templates WHERE id = $1', [templateId]);
    try {
      const tag = `drift-${randomDigits(5)}`;
      await seedContacts(tag, 10, 'opted_in', () => ({ discount: '5%' }));
      const campaign = await draft({ audience: { tags: { any: [tag] } } });
      expectStatus(await owner.post(`${base()}/${campaign.id}/launch`, {}), 200);
      // A sync brings the template back from Meta with a third parameter.
      await api.dataSource.query('UPDATE templates SET components = $2 WHERE id = $1', [
        templateId,
        JSON.stringify([{ type: 'BODY', text: 'Hi {{1}}, {{2}} off, until {{3}}.' }]),
      ]);
      const paused = await eventually(
        async () => {
          const c = await campaignOf(campaign.id);
          return c.status === 'paused' && c;
        },
        10_000,
        'the campaign paused',
      );
      expect(paused.statusReason).toContain('body.1, body.2, body.3');
    } finally {
      await api.dataSource.query('UPDATE templates SET components = $2 WHERE id = $1', [
        templateId,
        JSON.stringify(template.components),
      ]);
      await setThroughput(80);
    }
  });

  it('starts a scheduled campaign when its time comes, with the audience as it is then', async () => {
    const tag = `sched-${randomDigits(5)}`;
    const campaign = await draft({
      audience: { tags: { any: [tag] } },
      parameters: { 'body.1': { source: 'text', value: 'friend' }, 'body.2': { source: 'text', value: '30%' } },
      timezone: 'Europe/Lisbon',
    });
    const at = new Date(Date.now() + 2_000).toISOString();
    const scheduled = expectStatus(await owner.post(`${base()}/${campaign.id}/launch`, { scheduledAt: at }), 200);
    expect(scheduled).toMatchObject({ status: 'scheduled', scheduledAt: at, timezone: 'Europe/Lisbon' });
    const phones = await seedContacts(tag, 3);
    const done = await finished(campaign.id);
    expect(done.stats).toMatchObject({ targeted: 3, sent: 3 });
    expect(
      atMeta()
        .filter((m) => phones.includes(`+${m.waId}`))
        .map((m) => m.body),
    ).toEqual(phones.map(() => expect.stringContaining('Hi friend, 30% off')));
  });

  it('records failures per recipient with Meta’s code, lists and exports recipients', async () => {
    const tag = `fail-${randomDigits(5)}`;
    const phones = await seedContacts(tag, 4, 'opted_in', () => ({ discount: '15%' }));
    await control('PUT', `/customers/${phones[2]?.slice(1)}`, { onWhatsApp: false });
    const campaign = await draft({ audience: { tags: { any: [tag] } } });
    expectStatus(await owner.post(`${base()}/${campaign.id}/launch`, {}), 200);
    await finished(campaign.id);
    // Meta accepts the send, then reports the failure by webhook.
    const done = await eventually(
      async () => {
        const c = await campaignOf(campaign.id);
        return c.stats.failed === 1 && c;
      },
      10_000,
      'the failure reported',
    );
    expect(done.stats).toMatchObject({ targeted: 4, sent: 3, failed: 1 });
    const stats = expectStatus(await owner.get(`${base()}/${campaign.id}/stats`), 200);
    expect(stats.failedByCode).toEqual([{ code: 131026, title: expect.any(String), count: 1 }]);

    const failed = expectStatus(await owner.get(`${base()}/${campaign.id}/recipients?status=failed`), 200).data;
    expect(failed).toEqual([expect.objectContaining({ phone: phones[2], status: 'failed', errorCode: 131026 })]);
    const page = expectStatus(await owner.get(`${base()}/${campaign.id}/recipients?limit=3`), 200);
    expect(page.data).toHaveLength(3);
    const rest = expectStatus(
      await owner.get(`${base()}/${campaign.id}/recipients?limit=3&cursor=${page.nextCursor}`),
      200,
    );
    expect(rest).toMatchObject({ nextCursor: null });
    expect([...page.data, ...rest.data].map((r: any) => r.phone).sort()).toEqual([...phones].sort());

    const csv = await api.request('GET', `${base()}/${campaign.id}/recipients?format=csv`, {
      token: owner.accessToken,
    });
    expect(csv.status).toBe(200);
    const lines = String(csv.body).trim().split('\n');
    expect(lines[0]).toBe('phone,name,status,skipReason,errorCode,errorTitle,sentAt,deliveredAt,readAt,repliedAt');
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.startsWith(phones[2] ?? '-'))).toContain(',failed,,131026,');
  });

  it('stays within the business messaging limit', async () => {
    const reached: { n: number }[] = await api.dataSource.query(
      `SELECT count(DISTINCT contact_id)::int AS n FROM messages WHERE org_id = $1 AND type = 'template' AND status <> 'failed'`,
      [orgId],
    );
    const limit = 250;
    const room = 5;
    // Pretend the account already reached all but `room` of its tier today.
    const tag = `limit-${randomDigits(5)}`;
    await seedContacts(`${tag}-filler`, limit - room - (reached[0]?.n ?? 0), 'opted_in');
    await api.dataSource.query(
      `INSERT INTO conversations (org_id, phone_number_id, contact_id, status, last_message_at)
       SELECT org_id, $2, id, 'open', now() FROM contacts WHERE org_id = $1 AND $3 = ANY(tags)`,
      [orgId, wa.number.id, `${tag}-filler`],
    );
    await api.dataSource.query(
      `INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, payload, occurred_at)
       SELECT cv.org_id, cv.id, cv.contact_id, $2, 'outbound', 'template', 'delivered', '{}', now()
       FROM conversations cv JOIN contacts c ON c.id = cv.contact_id WHERE c.org_id = $1 AND $3 = ANY(c.tags)`,
      [orgId, wa.number.id, `${tag}-filler`],
    );
    expectStatus(
      await owner.patch(`/api/v1/orgs/${orgId}/waba-accounts/${wa.account.id}`, { messagingLimitTier: 'TIER_250' }),
      200,
    );
    try {
      await seedContacts(tag, 8, 'opted_in', () => ({ discount: '1%' }));
      const campaign = await draft({ audience: { tags: { any: [tag] } } });
      expectStatus(await owner.post(`${base()}/${campaign.id}/launch`, {}), 200);
      // Waiting for the limit once the `room` messages it let through have left (they are sent after
      // being queued, so a look in between still counts some of them as queued).
      const waiting = await eventually(
        async () => {
          const c = await campaignOf(campaign.id);
          return c.statusReason?.includes('messaging limit') && c.stats.queued <= 8 - room && c;
        },
        10_000,
        'the campaign waiting for the limit, its room sent',
      );
      expect(waiting.status).toBe('running');
      expect(waiting.stats).toMatchObject({ targeted: 8, queued: 8 - room });
      const total: { n: number }[] = await api.dataSource.query(
        `SELECT count(DISTINCT contact_id)::int AS n FROM messages WHERE org_id = $1 AND type = 'template' AND status <> 'failed'`,
        [orgId],
      );
      expect(total[0]?.n).toBe(limit);
      await owner.post(`${base()}/${campaign.id}/cancel`, {});
    } finally {
      await owner.patch(`/api/v1/orgs/${orgId}/waba-accounts/${wa.account.id}`, { messagingLimitTier: null });
    }
  });

  it('keeps campaigns to their org, and viewers to reading', async () => {
    const campaign = await draft();
    const stranger = await TestSession.signup(api, 'stranger');
    const otherOrg = (await stranger.createOrg('Other')).id;
    const theirs = `/api/v1/orgs/${otherOrg}/campaigns/${campaign.id}`;
    for (const path of [theirs, `${theirs}/stats`, `${theirs}/recipients`])
      expect((await stranger.get(path)).status).toBe(404);
    expect((await stranger.post(`${theirs}/launch`, {})).status).toBe(404);
    const viewer = await owner.addTeammate(orgId, 'viewer');
    expect((await viewer.get(`${base()}/${campaign.id}`)).status).toBe(200);
    expect((await viewer.post(`${base()}/${campaign.id}/launch`, {})).status).toBe(403);
  });
});
