/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import type { INestApplicationContext } from '@nestjs/common';
import { CloudApiClient } from '@parley/whatsapp/cloud-api';
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

const HELLO_WORLD = { name: 'hello_world', language: { code: 'en_US' } };
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('scheduled messages', () => {
  let sandbox: RunningSandbox;
  let api: TestApi;
  let worker: INestApplicationContext;
  let owner: TestSession;
  let agent: TestSession;
  let outsider: TestSession;
  let orgId: string;
  let otherOrgId: string;
  let wa: SandboxAccount;

  const path = (suffix = '', org = orgId) => `/api/v1/orgs/${org}/scheduled-messages${suffix}`;
  const schedule = (body: Record<string, unknown>, as: TestSession = agent) => as.post(path(), body);
  const scheduledRow = async (id: string) => expectStatus(await agent.get(path(`/${id}`)), 200);
  /** The scheduled message once it reached `status`. */
  const settled = (id: string, status: string) =>
    eventually(
      async () => {
        const row = await scheduledRow(id);
        return row.status === status && row;
      },
      10_000,
      `scheduled message ${id} ${status}`,
    );
  /** What the business sent to `phone`, as the sandbox (Meta) saw it. */
  const atMeta = async (phone: string): Promise<any[]> =>
    (await sandboxControl(sandbox)('GET', `/messages?to=${encodeURIComponent(phone)}&direction=outbound`)).data;
  const newContact = async (optInStatus?: string) =>
    expectStatus(
      await agent.post(`/api/v1/orgs/${orgId}/contacts`, {
        phone: `+1415555${randomDigits(4)}`,
        ...(optInStatus && { optInStatus }),
      }),
      201,
    );
  const auditOf = (id: string) =>
    api.dataSource.query('SELECT action, changes, actor_id FROM audit_logs WHERE target_id = $1 ORDER BY id', [id]);

  /** A template created at Meta (the sandbox), approved by its review, and known here through the webhook. */
  async function approvedTemplate(name: string, body: string, category = 'UTILITY'): Promise<void> {
    await new CloudApiClient({ baseUrl: sandbox.url, version: 'v23.0', accessToken: wa.accessToken }).createTemplate(
      wa.account.wabaId,
      { name, category, language: 'en_US', components: [{ type: 'BODY', text: body }] },
    );
    await eventually(
      async () => {
        const [row] = await api.dataSource.query('SELECT status FROM templates WHERE org_id = $1 AND name = $2', [
          orgId,
          name,
        ]);
        return row?.status === 'APPROVED';
      },
      10_000,
      `template ${name} approved`,
    );
  }

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    api = await TestApi.start();
    worker = await startWorker();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Scheduling')).id;
    agent = await owner.addTeammate(orgId, 'agent');
    outsider = await TestSession.signup(api, 'outsider');
    otherOrgId = (await outsider.createOrg('Other Org')).id;
    wa = await owner.connectSandbox(orgId, sandbox);
    await sandboxControl(sandbox)('PUT', '/scenario', {
      templateReviewDelayMs: 50,
      statusDelaysMs: { sent: 20, delivered: 60, read: 120 },
    });
    // Meta's hello_world, approved in every WABA, becomes known here.
    expectStatus(await owner.post(`/api/v1/orgs/${orgId}/templates/sync`, { wabaAccountId: wa.account.id }), 200);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });

  it('schedules a template 2 s ahead; the worker sends it then, into the conversation and to Meta, once', async () => {
    const contact = await newContact();
    const scheduledAt = inSeconds(2);
    const created = await schedule({ contactId: contact.id, template: HELLO_WORLD, scheduledAt });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      contactId: contact.id,
      // The contact never talked to the org: the org's first (only) number.
      phoneNumberId: wa.number.id,
      template: HELLO_WORLD,
      scheduledAt,
      status: 'scheduled',
      messageId: null,
      error: null,
      createdBy: agent.user.id,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.body.id;
    expect(await atMeta(contact.phone)).toEqual([]);

    const sent = await settled(id, 'sent');
    expect(sent.error).toBeNull();
    const message = expectStatus(await agent.get(`/api/v1/orgs/${orgId}/messages/${sent.messageId}`), 200);
    expect(message).toMatchObject({ contactId: contact.id, type: 'template', senderId: agent.user.id });
    expect(Date.parse(message.createdAt)).toBeGreaterThanOrEqual(Date.parse(scheduledAt));
    const thread = expectStatus(
      await agent.get(`/api/v1/orgs/${orgId}/conversations/${message.conversationId}/messages`),
      200,
    );
    expect(thread.data.map((m: { id: string }) => m.id)).toContain(sent.messageId);
    const delivered = await eventually(async () => {
      const seen = await atMeta(contact.phone);
      return seen.length > 0 && seen;
    });
    expect(delivered).toEqual([
      expect.objectContaining({ phoneNumberId: wa.number.phoneNumberId, type: 'template', body: message.body }),
    ]);

    // Gone out: too late to cancel.
    const late = await agent.delete(path(`/${id}`));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('scheduled_message_not_cancellable');

    // A worker that died after the send left the row `sending`: a minute on, it is retried, and the
    // idempotency key answers the message already made instead of sending another.
    await api.dataSource.query(
      `UPDATE scheduled_messages SET status = 'sending', message_id = NULL, updated_at = now() - interval '2 minutes'
       WHERE id = $1`,
      [id],
    );
    expect((await settled(id, 'sent')).messageId).toBe(sent.messageId);
    await sleep(1500);
    expect(await atMeta(contact.phone)).toHaveLength(1);
    expect(
      Number(
        (await api.dataSource.query('SELECT count(*) FROM messages WHERE contact_id = $1', [contact.id]))[0].count,
      ),
    ).toBe(1);

    expect(await auditOf(id)).toEqual([
      {
        action: 'scheduled_message.created',
        changes: {
          after: { contactId: contact.id, template: 'hello_world', language: 'en_US', scheduledAt },
        },
        actor_id: agent.user.id,
      },
    ]);
  });

  it('a cancelled message is never sent; only a scheduled one can be cancelled', async () => {
    const contact = await newContact();
    const created = expectStatus(
      await schedule({ contactId: contact.id, template: HELLO_WORLD, scheduledAt: inSeconds(2) }),
      201,
    );
    const cancelled = expectStatus(await agent.delete(path(`/${created.id}`)), 200);
    expect(cancelled).toMatchObject({ id: created.id, status: 'cancelled', messageId: null });
    const again = await agent.delete(path(`/${created.id}`));
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('cancelled');

    await sleep(3500);
    expect((await scheduledRow(created.id)).status).toBe('cancelled');
    expect(await atMeta(contact.phone)).toEqual([]);
    expect(await api.dataSource.query('SELECT id FROM messages WHERE contact_id = $1', [contact.id])).toEqual([]);
    expect((await auditOf(created.id)).map((row: { action: string }) => row.action)).toEqual([
      'scheduled_message.created',
      'scheduled_message.cancelled',
    ]);
  });

  it('refuses what a send would refuse, naming the field, and stores nothing', async () => {
    const contact = await newContact();
    const name = `pickup_${randomDigits(6)}`;
    await approvedTemplate(name, 'Hi {{1}}, your order {{2}} is ready for pickup.');
    const promo = `promo_${randomDigits(6)}`;
    await approvedTemplate(promo, 'Our winter sale starts today!', 'MARKETING');
    const optedOut = await newContact('opted_out');
    const count = async () =>
      Number(
        (await api.dataSource.query('SELECT count(*) FROM scheduled_messages WHERE org_id = $1', [orgId]))[0].count,
      );
    const before = await count();
    const refusal = async (body: Record<string, unknown>, status: number) => {
      const reply = await schedule({
        contactId: contact.id,
        template: HELLO_WORLD,
        scheduledAt: inSeconds(60),
        ...body,
      });
      expect({ status: reply.status, body: reply.body }).toMatchObject({ status });
      return reply.body.error;
    };

    expect(await refusal({ scheduledAt: inSeconds(-60) }, 400)).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'scheduledAt', message: expect.stringContaining('future') }],
    });
    expect(await refusal({ scheduledAt: inSeconds(31 * 24 * 3600) }, 400)).toMatchObject({
      details: [{ field: 'scheduledAt', message: expect.stringContaining('30 days') }],
    });
    expect(await refusal({ scheduledAt: '2030-01-01T09:00:00' }, 400)).toMatchObject({
      details: [{ field: 'scheduledAt', message: expect.stringContaining('time zone') }],
    });
    expect(await refusal({ template: { name: 'no_such_template', language: { code: 'en_US' } } }, 422)).toMatchObject({
      code: 'template_not_found',
      details: [{ field: 'template.name' }],
    });
    expect(
      await refusal(
        {
          template: {
            name,
            language: { code: 'en_US' },
            components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }],
          },
        },
        422,
      ),
    ).toMatchObject({
      code: 'template_parameter_mismatch',
      details: [
        {
          field: 'template.components.body.parameters',
          message: expect.stringContaining('expects 2 parameters, got 1'),
        },
      ],
    });
    expect(
      await refusal({ contactId: optedOut.id, template: { name: promo, language: { code: 'en_US' } } }, 422),
    ).toMatchObject({ code: 'contact_opted_out', details: [{ field: 'contactId' }] });
    expect(await refusal({ contactId: '00000000-0000-4000-8000-000000000000' }, 400)).toMatchObject({
      details: [{ field: 'contactId' }],
    });
    const elsewhere = await owner.connectNumber((await owner.createOrg('Elsewhere')).id);
    expect(await refusal({ phoneNumberId: elsewhere.number.id }, 400)).toMatchObject({
      details: [{ field: 'phoneNumberId' }],
    });
    expect(await count()).toBe(before);
  });

  it('fails a message the send refuses when it is due, with the reason', async () => {
    const contact = await newContact('opted_in');
    const promo = `flash_${randomDigits(6)}`;
    await approvedTemplate(promo, 'Flash sale: 20% off today only', 'MARKETING');
    const created = expectStatus(
      await schedule({
        contactId: contact.id,
        template: { name: promo, language: { code: 'en_US' } },
        scheduledAt: inSeconds(2),
      }),
      201,
    );
    // The customer opts out before it goes.
    expectStatus(await agent.patch(`/api/v1/orgs/${orgId}/contacts/${contact.id}`, { optInStatus: 'opted_out' }), 200);
    const failed = await settled(created.id, 'failed');
    expect(failed).toMatchObject({
      messageId: null,
      error: { code: 'contact_opted_out', message: expect.stringContaining('opted out') },
    });
    expect(await atMeta(contact.phone)).toEqual([]);
  });

  it("lists in the order they go out, paged, by contact and status; another org's are 404", async () => {
    const contact = await newContact();
    const other = await newContact();
    const times = [inSeconds(3600), inSeconds(1800), inSeconds(7200)];
    const ids: string[] = [];
    for (const scheduledAt of times) {
      ids.push(expectStatus(await schedule({ contactId: contact.id, template: HELLO_WORLD, scheduledAt }), 201).id);
    }
    expectStatus(await schedule({ contactId: other.id, template: HELLO_WORLD, scheduledAt: inSeconds(600) }), 201);
    expectStatus(await agent.delete(path(`/${ids[2]}`)), 200);

    const first = expectStatus(await owner.get(path(`?contactId=${contact.id}&limit=2`)), 200);
    expect(first.data.map((row: { id: string }) => row.id)).toEqual([ids[1], ids[0]]);
    const second = expectStatus(
      await owner.get(path(`?contactId=${contact.id}&limit=2&cursor=${first.nextCursor}`)),
      200,
    );
    expect(second).toEqual({ data: [expect.objectContaining({ id: ids[2], status: 'cancelled' })], nextCursor: null });
    const waiting = expectStatus(await owner.get(path(`?contactId=${contact.id}&status=scheduled`)), 200);
    expect(waiting.data.map((row: { id: string }) => row.id)).toEqual([ids[1], ids[0]]);
    expect((await owner.get(path('?status=later'))).status).toBe(400);

    for (const reply of [
      await outsider.get(path(`/${ids[0]}`, otherOrgId)),
      await outsider.delete(path(`/${ids[0]}`, otherOrgId)),
      await outsider.get(path(`/${ids[0]}`)),
      await outsider.delete(path(`/${ids[0]}`)),
      await agent.get(path('/not-a-uuid')),
    ]) {
      expect(reply.status).toBe(404);
    }
    expect(expectStatus(await outsider.get(path('', otherOrgId)), 200).data).toEqual([]);
    // Their own org does not reach our contact either.
    const theirs = await outsider.post(path('', otherOrgId), {
      contactId: contact.id,
      template: HELLO_WORLD,
      scheduledAt: inSeconds(60),
    });
    expect(theirs.status).toBe(400);
    expect(theirs.body.error.details).toEqual([{ field: 'contactId', message: expect.any(String) }]);
    expect((await scheduledRow(ids[0])).status).toBe('scheduled');
  });
});
