import { createHash } from 'node:crypto';
import { expectStatus, TestApi, TestSession } from './harness';

describe('API keys', () => {
  let api: TestApi;
  let owner: TestSession;
  let orgId: string;

  beforeAll(async () => {
    api = await TestApi.start();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Keys Org')).id;
  });
  afterAll(() => api.close());

  it('shows the key once, lists it masked, and stores only its hash', async () => {
    const created = await owner.post(`/api/v1/orgs/${orgId}/api-keys`, { name: 'CRM', scopes: ['read', 'write'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      name: 'CRM',
      scopes: ['read', 'write'],
      prefix: expect.stringMatching(/^prl_[A-Za-z0-9]{8}$/),
    });
    const { key, prefix, id } = created.body;
    expect(key.startsWith(`${prefix}_`)).toBe(true);

    const list = await owner.get(`/api/v1/orgs/${orgId}/api-keys`);
    const listed = list.body.data.find((k: { id: string }) => k.id === id);
    expect(listed).toMatchObject({
      prefix,
      maskedKey: `${prefix}_••••••••`,
      revokedAt: null,
      createdById: owner.user.id,
    });
    expect(JSON.stringify(list.body)).not.toContain(key.slice(prefix.length + 1));

    const [row] = await api.dataSource.query('SELECT key_hash FROM api_keys WHERE id = $1', [id]);
    expect(row.key_hash).toBe(createHash('sha256').update(key).digest('hex'));
  });

  it('authenticates as X-API-Key or as a Bearer token, for its own org only', async () => {
    const key = await owner.createApiKey(orgId, ['read']);
    expect((await api.get(`/api/v1/orgs/${orgId}`, { apiKey: key })).body).toMatchObject({ id: orgId, role: 'viewer' });
    expect((await api.get(`/api/v1/orgs/${orgId}/members`, { token: key })).status).toBe(200);

    const otherOrg = await owner.createOrg('Other');
    expect((await api.get(`/api/v1/orgs/${otherOrg.id}`, { apiKey: key })).status).toBe(404);
    expect((await api.get(`/api/v1/orgs/${orgId}`, { apiKey: `${key}x` })).status).toBe(401);
  });

  it('enforces scopes: read < write < admin, and owner-only routes refuse every key', async () => {
    const read = await owner.createApiKey(orgId, ['read']);
    const admin = await owner.createApiKey(orgId, ['admin']);
    const waba = {
      wabaId: '900000000000001',
      appId: '900000000000002',
      appSecret: 'app-secret-123456',
      accessToken: 'EAAG-token-1234567890',
    };

    const denied = await api.post(`/api/v1/orgs/${orgId}/waba-accounts`, waba, { apiKey: read });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'insufficient_scope', message: expect.stringContaining('admin') });
    expect((await api.post(`/api/v1/orgs/${orgId}/waba-accounts`, waba, { apiKey: admin })).status).toBe(201);

    const deleteOrg = await api.delete(`/api/v1/orgs/${orgId}`, { apiKey: admin });
    expect(deleteOrg.status).toBe(403);
    expect((await owner.get(`/api/v1/orgs/${orgId}`)).status).toBe(200);
  });

  it('cannot mint keys or change the team, so a leaked key dies with its revocation', async () => {
    const admin = await owner.createApiKey(orgId, ['admin']);
    const mint = await api.post(`/api/v1/orgs/${orgId}/api-keys`, { scopes: ['admin'] }, { apiKey: admin });
    expect(mint.status).toBe(403);
    const members = (await owner.get(`/api/v1/orgs/${orgId}/members`)).body.data;
    expect((await api.delete(`/api/v1/orgs/${orgId}/members/${members[0].userId}`, { apiKey: admin })).status).toBe(
      403,
    );
    expect(
      (
        await api.post(
          `/api/v1/orgs/${orgId}/invitations`,
          { email: 'x@example.com', role: 'admin' },
          { apiKey: admin },
        )
      ).status,
    ).toBe(403);
    expect((await api.get(`/api/v1/orgs/${orgId}/members`, { apiKey: admin })).status).toBe(200);
  });

  it('records the key as the actor of what it does', async () => {
    const key = expectStatus(
      await owner.post(`/api/v1/orgs/${orgId}/api-keys`, { name: 'actor', scopes: ['admin'] }),
      201,
    );
    expectStatus(await api.patch(`/api/v1/orgs/${orgId}`, { name: 'Renamed by key' }, { apiKey: key.key }), 200);
    const logs = await owner.get(`/api/v1/orgs/${orgId}/audit-logs?action=org.updated`);
    expect(logs.body.data[0].actor).toEqual({ type: 'api_key', id: key.id, label: key.prefix });
  });

  it('stops working at once when revoked', async () => {
    const created = expectStatus(await owner.post(`/api/v1/orgs/${orgId}/api-keys`, { scopes: ['read'] }), 201);
    expect((await api.get(`/api/v1/orgs/${orgId}`, { apiKey: created.key })).status).toBe(200);
    expect((await owner.delete(`/api/v1/orgs/${orgId}/api-keys/${created.id}`)).status).toBe(204);
    expect((await api.get(`/api/v1/orgs/${orgId}`, { apiKey: created.key })).status).toBe(401);
    const list = await owner.get(`/api/v1/orgs/${orgId}/api-keys`);
    expect(list.body.data.find((k: { id: string }) => k.id === created.id).revokedAt).toEqual(expect.any(String));
  });

  it('validates scopes, naming the field', async () => {
    for (const scopes of [[], ['root'], ['read', 'read'], 'read']) {
      const reply = await owner.post(`/api/v1/orgs/${orgId}/api-keys`, { scopes });
      expect(reply.status).toBe(400);
      expect(reply.body.error.details[0].field).toBe('scopes');
    }
  });

  it('is managed by admins and owners only', async () => {
    const agent = await owner.addTeammate(orgId, 'agent');
    expect((await agent.post(`/api/v1/orgs/${orgId}/api-keys`, { scopes: ['read'] })).status).toBe(403);
    expect((await agent.get(`/api/v1/orgs/${orgId}/api-keys`)).status).toBe(403);
  });
});
