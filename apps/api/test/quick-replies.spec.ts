/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import { expectStatus, TestApi, TestSession } from './harness';

describe('quick replies', () => {
  let api: TestApi;
  let owner: TestSession;
  let agent: TestSession;
  let viewer: TestSession;
  let outsider: TestSession;
  let orgId: string;
  let otherOrgId: string;

  const path = (suffix = '', org = orgId) => `/api/v1/orgs/${org}/quick-replies${suffix}`;
  const create = async (shortcut: string, text: string, as: TestSession = agent) =>
    expectStatus(await as.post(path(), { shortcut, text }), 201);
  const shortcuts = async (query = '', as: TestSession = viewer) =>
    expectStatus(await as.get(path(query)), 200).data.map((reply: { shortcut: string }) => reply.shortcut);
  const auditOf = (id: string) =>
    api.dataSource.query('SELECT action, changes, actor_id FROM audit_logs WHERE target_id = $1 ORDER BY id', [id]);

  beforeAll(async () => {
    api = await TestApi.start();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Quick Replies Org')).id;
    agent = await owner.addTeammate(orgId, 'agent');
    viewer = await owner.addTeammate(orgId, 'viewer');
    outsider = await TestSession.signup(api, 'outsider');
    otherOrgId = (await outsider.createOrg('Other Org')).id;
  });
  afterAll(() => api?.close());

  it('an agent creates, edits and deletes a reply; every write is audited', async () => {
    const created = await create('  Hours ', 'We are open 9–18, Monday to Friday.');
    expect(created).toEqual({
      id: expect.any(String),
      shortcut: 'hours',
      text: 'We are open 9–18, Monday to Friday.',
      createdBy: agent.user.id,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const updated = expectStatus(
      await agent.patch(path(`/${created.id}`), { shortcut: 'opening-hours', text: 'Open 9–18.' }),
      200,
    );
    expect(updated).toMatchObject({ id: created.id, shortcut: 'opening-hours', text: 'Open 9–18.' });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
    expect(await shortcuts('?q=opening')).toEqual(['opening-hours']);

    expectStatus(await agent.delete(path(`/${created.id}`)), 204);
    expect(await shortcuts('?q=opening')).toEqual([]);
    expect((await agent.patch(path(`/${created.id}`), { text: 'again' })).status).toBe(404);

    expect(await auditOf(created.id)).toEqual([
      {
        action: 'quick_reply.created',
        changes: { after: { shortcut: 'hours', text: 'We are open 9–18, Monday to Friday.' } },
        actor_id: agent.user.id,
      },
      {
        action: 'quick_reply.updated',
        changes: {
          before: { shortcut: 'hours', text: 'We are open 9–18, Monday to Friday.' },
          after: { shortcut: 'opening-hours', text: 'Open 9–18.' },
        },
        actor_id: agent.user.id,
      },
      {
        action: 'quick_reply.deleted',
        changes: { before: { shortcut: 'opening-hours', text: 'Open 9–18.' } },
        actor_id: agent.user.id,
      },
    ]);
  });

  it('lists in shortcut order, pages with the standard shape and searches shortcut and text', async () => {
    const org = (await owner.createOrg('Listing Org')).id;
    const list = async (query: string) => expectStatus(await owner.get(path(query, org)), 200);
    for (const [shortcut, text] of [
      ['thanks', 'Thank you for your message!'],
      ['address', 'Rua Augusta 100, São Paulo'],
      ['bye', 'Have a great day.'],
      ['delivery_time', 'Deliveries take 2–3 business days.'],
    ]) {
      expectStatus(await owner.post(path('', org), { shortcut, text }), 201);
    }

    const first = await list('?limit=2');
    expect(Object.keys(first).sort()).toEqual(['data', 'nextCursor']);
    expect(first.data.map((r: any) => r.shortcut)).toEqual(['address', 'bye']);
    const second = await list(`?limit=2&cursor=${first.nextCursor}`);
    expect(second.data.map((r: any) => r.shortcut)).toEqual(['delivery_time', 'thanks']);
    expect(second.nextCursor).toBeNull();

    expect((await list('?q=THANK')).data.map((r: any) => r.shortcut)).toEqual(['thanks']);
    expect((await list('?q=business%20days')).data.map((r: any) => r.shortcut)).toEqual(['delivery_time']);
    // LIKE wildcards are searched for literally.
    expect((await list('?q=%25')).data).toEqual([]);
    expect((await list('?q=_')).data.map((r: any) => r.shortcut)).toEqual(['delivery_time']);

    const forged = await owner.get(path('?cursor=bm90LWEtY3Vyc29y', org));
    expect(forged.status).toBe(400);
    expect(forged.body.error.details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  });

  it('a duplicate shortcut is a 409 quick_reply_exists on shortcut, case-insensitively and on rename', async () => {
    await create('refund', 'Refunds take 5 days.');
    const duplicate = await agent.post(path(), { shortcut: 'REFUND', text: 'Another text' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toEqual({
      code: 'quick_reply_exists',
      message: expect.stringContaining('/refund'),
      details: [{ field: 'shortcut', message: expect.any(String) }],
    });

    const other = await create('refund-policy', 'See our policy.');
    const renamed = await agent.patch(path(`/${other.id}`), { shortcut: 'refund' });
    expect(renamed.status).toBe(409);
    expect(renamed.body.error.code).toBe('quick_reply_exists');

    // The same shortcut in another org is fine.
    expectStatus(await outsider.post(path('', otherOrgId), { shortcut: 'refund', text: 'Theirs' }), 201);
  });

  it.each([
    { label: 'a shortcut with a space', body: { shortcut: 'two words', text: 'x' }, field: 'shortcut' },
    { label: 'a shortcut with an accent', body: { shortcut: 'olá', text: 'x' }, field: 'shortcut' },
    { label: 'a shortcut with its slash', body: { shortcut: '/slash', text: 'x' }, field: 'shortcut' },
    { label: 'a 33-character shortcut', body: { shortcut: 'a'.repeat(33), text: 'x' }, field: 'shortcut' },
    { label: 'a blank shortcut', body: { shortcut: '   ', text: 'x' }, field: 'shortcut' },
    { label: 'no shortcut', body: { text: 'x' }, field: 'shortcut' },
    { label: 'a blank text', body: { shortcut: 'ok', text: '  ' }, field: 'text' },
    { label: 'a 4097-character text', body: { shortcut: 'ok', text: 'x'.repeat(4097) }, field: 'text' },
    { label: 'an unknown field', body: { shortcut: 'ok', text: 'x', extra: true }, field: 'extra' },
  ])('$label is a 400 naming $field', async ({ body, field }) => {
    const reply = await agent.post(path(), body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('validation_failed');
    expect(reply.body.error.details.map((d: { field: string }) => d.field)).toEqual([field]);
  });

  it('accepts the limits: a 32-character shortcut and a 4096-character text', async () => {
    const reply = await create('a'.repeat(32), 'y'.repeat(4096));
    expect(reply.text).toHaveLength(4096);
    const bad = await agent.patch(path(`/${reply.id}`), { shortcut: 'not ok' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('shortcut');
  });

  it('viewers list but cannot write; API keys write with the write scope', async () => {
    const reply = await create('greeting', 'Hi! How can we help?');
    expect(await shortcuts('?q=greeting', viewer)).toEqual(['greeting']);
    for (const attempt of [
      viewer.post(path(), { shortcut: 'viewer', text: 'no' }),
      viewer.patch(path(`/${reply.id}`), { text: 'no' }),
      viewer.delete(path(`/${reply.id}`)),
    ]) {
      const refused = await attempt;
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('insufficient_role');
    }

    const readKey = await owner.createApiKey(orgId, ['read']);
    expect((await api.post(path(), { shortcut: 'bykey', text: 'x' }, { apiKey: readKey })).status).toBe(403);
    const writeKey = await owner.createApiKey(orgId, ['write']);
    const byKey = expectStatus(await api.post(path(), { shortcut: 'bykey', text: 'x' }, { apiKey: writeKey }), 201);
    expect(byKey.createdBy).toBeNull();
  });

  it("another org's member gets 404 for the org's replies, and cannot reach them through their own org", async () => {
    const reply = await create('secret', 'Internal discount code: 42');
    for (const attempt of [
      outsider.get(path()),
      outsider.post(path(), { shortcut: 'intruder', text: 'x' }),
      outsider.patch(path(`/${reply.id}`), { text: 'changed' }),
      outsider.delete(path(`/${reply.id}`)),
      outsider.patch(path(`/${reply.id}`, otherOrgId), { text: 'changed' }),
      outsider.delete(path(`/${reply.id}`, otherOrgId)),
    ]) {
      const refused = await attempt;
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('not_found');
      expect(JSON.stringify(refused.body)).not.toContain('discount');
    }
    expect(await shortcuts('?q=secret')).toEqual(['secret']);
    const [row] = await api.dataSource.query('SELECT text FROM quick_replies WHERE id = $1', [reply.id]);
    expect(row.text).toBe('Internal discount code: 42');
  });

  it('malformed ids are 404s, not 500s', async () => {
    expect((await agent.patch(path('/not-a-uuid'), { text: 'x' })).status).toBe(404);
    expect((await agent.delete(path('/not-a-uuid'))).status).toBe(404);
  });

  it('the replies go with their org', async () => {
    const org = (await owner.createOrg('Short-lived')).id;
    const reply = expectStatus(await owner.post(path('', org), { shortcut: 'gone', text: 'soon' }), 201);
    expectStatus(await owner.delete(`/api/v1/orgs/${org}`), 204);
    expect(await api.dataSource.query('SELECT 1 FROM quick_replies WHERE id = $1', [reply.id])).toEqual([]);
  });
});
