import { TestApi, TestSession } from './harness';

describe('audit log', () => {
  let api: TestApi;
  let owner: TestSession;
  let admin: TestSession;
  let orgId: string;

  beforeAll(async () => {
    api = await TestApi.start();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Audited')).id;
    admin = await owner.addTeammate(orgId, 'admin');
    const agent = await owner.addTeammate(orgId, 'agent');
    await admin.patch(`/api/v1/orgs/${orgId}/members/${agent.user.id}`, { role: 'viewer' });
    await owner.patch(`/api/v1/orgs/${orgId}`, { name: 'Audited Inc' });
  });
  afterAll(() => api.close());

  const logs = (query = '') => owner.get(`/api/v1/orgs/${orgId}/audit-logs${query}`);

  it('records every mutation with actor, target, diff, ip and time, newest first', async () => {
    const reply = await logs();
    expect(reply.status).toBe(200);
    expect(reply.body.data.map((row: { action: string }) => row.action)).toEqual([
      'org.updated',
      'member.role_changed',
      'member.joined',
      'invitation.created',
      'member.joined',
      'invitation.created',
      'org.created',
    ]);
    expect(reply.body.data[0]).toMatchObject({
      actor: { type: 'user', id: owner.user.id, label: owner.user.email },
      targetType: 'org',
      targetId: orgId,
      changes: { before: { name: 'Audited' }, after: { name: 'Audited Inc' } },
      ip: expect.stringContaining('127.0.0.1'),
      requestId: expect.any(String),
      createdAt: expect.any(String),
    });
    expect(reply.body.data[1].changes).toEqual({ before: { role: 'agent' }, after: { role: 'viewer' } });
  });

  it('filters by actor, action (exact or prefix), target and time range', async () => {
    const byActor = await logs(`?actor=${admin.user.id}`);
    expect(byActor.body.data.map((r: { action: string }) => r.action)).toEqual([
      'member.role_changed',
      'member.joined',
    ]);

    expect((await logs('?action=org.updated')).body.data).toHaveLength(1);
    expect((await logs('?action=member.*')).body.data.map((r: { action: string }) => r.action)).toEqual([
      'member.role_changed',
      'member.joined',
      'member.joined',
    ]);
    expect((await logs(`?targetType=org&targetId=${orgId}`)).body.data).toHaveLength(2);

    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await logs(`?from=${future}`)).body.data).toEqual([]);
    expect((await logs(`?to=${future}`)).body.data).toHaveLength(7);
  });

  it('pages with a cursor', async () => {
    const first = await logs('?limit=3');
    expect(first.body.data).toHaveLength(3);
    const second = await logs(`?limit=3&cursor=${first.body.nextCursor}`);
    const third = await logs(`?limit=3&cursor=${second.body.nextCursor}`);
    expect(third.body.data).toHaveLength(1);
    expect(third.body.nextCursor).toBeNull();
    const ids = [...first.body.data, ...second.body.data, ...third.body.data].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(7);
  });

  it('rejects bad filters naming the field', async () => {
    expect((await logs('?from=yesterday')).body.error.details[0].field).toBe('from');
    expect((await logs('?actor=someone')).body.error.details[0].field).toBe('actor');
    expect((await logs('?action=DROP TABLE')).body.error.details[0].field).toBe('action');
  });

  it('is for admins and owners only', async () => {
    expect((await admin.get(`/api/v1/orgs/${orgId}/audit-logs`)).status).toBe(200);
    const agent = await owner.addTeammate(orgId, 'agent');
    expect((await agent.get(`/api/v1/orgs/${orgId}/audit-logs`)).status).toBe(403);
  });

  it('keeps the record of an org after the org is deleted', async () => {
    const doomed = await owner.createOrg('Short-lived');
    await owner.delete(`/api/v1/orgs/${doomed.id}`);
    const rows = await api.dataSource.query('SELECT action, actor_id FROM audit_logs WHERE org_id = $1 ORDER BY id', [
      doomed.id,
    ]);
    expect(rows).toEqual([
      { action: 'org.created', actor_id: owner.user.id },
      { action: 'org.deleted', actor_id: owner.user.id },
    ]);
  });
});
