import { expectStatus, TestApi, TestSession } from './harness';

/*
 * Idempotency-Key on POSTs that create something, over real HTTP against the real database: a
 * partner's retry after a timeout must never create a second contact, campaign or subscription.
 */
describe('Idempotency-Key', () => {
  let api: TestApi;
  let owner: TestSession;
  let orgId: string;
  let key = 0;
  const nextKey = () => `retry-${Date.now()}-${(key += 1)}`;
  const createContact = (body: unknown, idempotencyKey: string, session = owner) =>
    session.api.request('POST', `/api/v1/orgs/${orgId}/contacts`, {
      token: session.accessToken,
      body,
      headers: { 'idempotency-key': idempotencyKey },
    });
  const contactsWith = async (phone: string) =>
    (await api.dataSource.query('SELECT id FROM contacts WHERE org_id = $1 AND phone = $2', [orgId, phone])).length;

  beforeAll(async () => {
    api = await TestApi.start();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Retry Co')).id;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers a repeat with the first response, without creating twice', async () => {
    const idempotencyKey = nextKey();
    const body = { phone: '+5511900001001', name: 'Bia', tags: ['vip'] };
    const first = await createContact(body, idempotencyKey);
    // The same body with its keys in another order is the same request.
    const again = await createContact({ tags: ['vip'], name: 'Bia', phone: '+5511900001001' }, idempotencyKey);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await contactsWith('+5511900001001')).toBe(1);
  });

  it('refuses the same key with another body: 422 naming the header', async () => {
    const idempotencyKey = nextKey();
    expectStatus(await createContact({ phone: '+5511900001002' }, idempotencyKey), 201);
    const other = await createContact({ phone: '+5511900001003' }, idempotencyKey);
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'idempotency_key_reused', details: [{ field: 'Idempotency-Key' }] });
    expect(await contactsWith('+5511900001003')).toBe(0);
  });

  it('creates once when the same request races itself', async () => {
    const idempotencyKey = nextKey();
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => createContact({ phone: '+5511900001004' }, idempotencyKey)),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    for (const reply of replies.filter((r) => r.status === 409))
      expect(reply.body.error.code).toBe('idempotency_key_in_use');
    expect(new Set(replies.filter((r) => r.status === 201).map((r) => r.body.id)).size).toBe(1);
    expect(await contactsWith('+5511900001004')).toBe(1);
  });

  it('frees the key when the request fails, so the corrected retry goes through', async () => {
    const idempotencyKey = nextKey();
    const bad = await createContact({ phone: 'not a phone' }, idempotencyKey);
    expect(bad.status).toBe(400);
    expect(expectStatus(await createContact({ phone: '+5511900001005' }, idempotencyKey), 201).phone).toBe(
      '+5511900001005',
    );
  });

  it("keeps each caller's keys apart, API keys included", async () => {
    const idempotencyKey = nextKey();
    const admin = await owner.addTeammate(orgId, 'admin');
    expectStatus(await createContact({ phone: '+5511900001006' }, idempotencyKey), 201);
    // Another caller using the same key is another request.
    expect((await createContact({ phone: '+5511900001007' }, idempotencyKey, admin)).status).toBe(201);
    const apiKey = await owner.createApiKey(orgId, ['write']);
    const asPartner = () =>
      api.request('POST', `/api/v1/orgs/${orgId}/contacts`, {
        apiKey,
        body: { phone: '+5511900001008' },
        headers: { 'idempotency-key': idempotencyKey },
      });
    const [first, again] = [await asPartner(), await asPartner()];
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(first.body.id);
  });

  it('answers a secret shown once again on a repeat, but never stores it readable', async () => {
    const idempotencyKey = nextKey();
    const create = () =>
      api.request('POST', `/api/v1/orgs/${orgId}/api-keys`, {
        token: owner.accessToken,
        body: { name: 'Retry-safe key', scopes: ['read'] },
        headers: { 'idempotency-key': idempotencyKey },
      });
    const first = expectStatus(await create(), 201);
    const again = expectStatus(await create(), 201);
    expect(again.key).toBe(first.key);
    const [row] = await api.dataSource.query('SELECT response::text AS response FROM idempotency_keys WHERE key = $1', [
      idempotencyKey,
    ]);
    expect(row.response).not.toContain(first.key);
    expect(row.response).not.toContain(first.key.split('_').at(-1));
  });

  it('rejects a malformed key, and leaves POSTs that create nothing alone', async () => {
    const malformed = await createContact({ phone: '+5511900001009' }, 'has spaces');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0].field).toBe('Idempotency-Key');
    // Reordering rules (200, creates nothing) runs every time: nothing is recorded or replayed.
    const reorder = () =>
      api.request('POST', `/api/v1/orgs/${orgId}/automation-rules/reorder`, {
        token: owner.accessToken,
        body: { ids: [] },
        headers: { 'idempotency-key': 'reorder-key' },
      });
    const replies = [await reorder(), await reorder()];
    expect(replies.map((r) => [r.status, r.headers.get('idempotent-replayed')])).toEqual([
      [200, null],
      [200, null],
    ]);
  });
});
