import { SecretBox } from '@parley/api/core';
import { WabaAccountsService } from '@parley/api/waba-accounts';
import { expectStatus, randomDigits, TestApi, TestSession } from './harness';

describe('WABA accounts and phone numbers', () => {
  let api: TestApi;
  let owner: TestSession;
  let orgId: string;

  beforeAll(async () => {
    api = await TestApi.start();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('WABA Org')).id;
  });
  afterAll(() => api.close());

  const input = () => ({
    wabaId: randomDigits(15),
    appId: randomDigits(16),
    appSecret: `secret-${randomDigits(24)}`,
    accessToken: `EAAGtoken${randomDigits(40)}`,
  });

  it('connects an account: webhook URL, generated verify token, default API version', async () => {
    const body = input();
    const reply = await owner.post(`/api/v1/orgs/${orgId}/waba-accounts`, body);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      id: expect.any(String),
      name: `WABA ${body.wabaId}`,
      wabaId: body.wabaId,
      appId: body.appId,
      graphApiVersion: 'v23.0',
      verifyToken: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      webhookUrl: `http://localhost:3000/api/v1/webhooks/whatsapp/${reply.body.id}`,
      appSecret: '••••••••',
      accessToken: `••••••••${body.accessToken.slice(-4)}`,
      status: 'active',
    });
  });

  it('keeps a chosen verify token and API version', async () => {
    const reply = await owner.post(`/api/v1/orgs/${orgId}/waba-accounts`, {
      ...input(),
      verifyToken: 'my-verify-token',
      graphApiVersion: 'v25.0',
      name: 'Main',
    });
    expect(reply.body).toMatchObject({ verifyToken: 'my-verify-token', graphApiVersion: 'v25.0', name: 'Main' });
  });

  it('never returns the app secret or access token, and stores them encrypted', async () => {
    const body = input();
    const created = expectStatus(await owner.post(`/api/v1/orgs/${orgId}/waba-accounts`, body), 201);
    const rotated = { appSecret: `rotated-${randomDigits(24)}`, accessToken: `EAAGrotated${randomDigits(40)}` };
    const responses = [
      created,
      (await owner.get(`/api/v1/orgs/${orgId}/waba-accounts`)).body,
      (await owner.get(`/api/v1/orgs/${orgId}/waba-accounts/${created.id}`)).body,
      (await owner.patch(`/api/v1/orgs/${orgId}/waba-accounts/${created.id}`, rotated)).body,
      (await owner.get(`/api/v1/orgs/${orgId}/audit-logs`)).body,
    ];
    for (const secret of [body.appSecret, body.accessToken, rotated.appSecret, rotated.accessToken]) {
      for (const response of responses) expect(JSON.stringify(response)).not.toContain(secret);
    }

    const [row] = await api.dataSource.query('SELECT * FROM waba_accounts WHERE id = $1', [created.id]);
    const raw = JSON.stringify(row);
    for (const secret of [body.appSecret, body.accessToken, rotated.appSecret, rotated.accessToken])
      expect(raw).not.toContain(secret);
    expect(row.app_secret_encrypted).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);

    // Sealed to this row and column: the right key opens it where it is, and nowhere else.
    const box = api.app.get(SecretBox);
    expect(box.decrypt(row.access_token_encrypted, `waba_accounts.access_token:${created.id}`)).toBe(
      rotated.accessToken,
    );
    expect(() => box.decrypt(row.access_token_encrypted, `waba_accounts.app_secret:${created.id}`)).toThrow();
    await expect(api.app.get(WabaAccountsService).credentials(orgId, created.id)).resolves.toMatchObject(rotated);

    const audit = await owner.get(
      `/api/v1/orgs/${orgId}/audit-logs?action=waba_account.updated&targetId=${created.id}`,
    );
    expect(audit.body.data[0].changes.after).toEqual({ appSecret: 'rotated', accessToken: 'rotated' });
  });

  it('shows the verify token to admins only, and audits its change without the value', async () => {
    const created = expectStatus(
      await owner.post(`/api/v1/orgs/${orgId}/waba-accounts`, { ...input(), verifyToken: 'verify-me-please' }),
      201,
    );
    const viewer = await owner.addTeammate(orgId, 'viewer');
    const seen = await viewer.get(`/api/v1/orgs/${orgId}/waba-accounts/${created.id}`);
    expect(seen.body.verifyToken).toBe('••••••••');
    expect(JSON.stringify((await viewer.get(`/api/v1/orgs/${orgId}/waba-accounts`)).body)).not.toContain(
      'verify-me-please',
    );

    expectStatus(
      await owner.patch(`/api/v1/orgs/${orgId}/waba-accounts/${created.id}`, { verifyToken: 'verify-me-again' }),
      200,
    );
    expect((await owner.get(`/api/v1/orgs/${orgId}/waba-accounts/${created.id}`)).body.verifyToken).toBe(
      'verify-me-again',
    );
    const audit = await owner.get(
      `/api/v1/orgs/${orgId}/audit-logs?action=waba_account.updated&targetId=${created.id}`,
    );
    expect(audit.body.data[0].changes.after).toEqual({ verifyToken: 'rotated' });
    expect(JSON.stringify(audit.body)).not.toMatch(/verify-me/);
  });

  it('refuses a WABA that is already connected, in any org (409)', async () => {
    const body = input();
    expectStatus(await owner.post(`/api/v1/orgs/${orgId}/waba-accounts`, body), 201);
    const other = await TestSession.signup(api);
    const otherOrg = await other.createOrg();
    const reply = await other.post(`/api/v1/orgs/${otherOrg.id}/waba-accounts`, { ...input(), wabaId: body.wabaId });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ code: 'waba_account_exists', details: [{ field: 'wabaId' }] });
  });

  it.each([
    ['wabaId', { wabaId: 'abc' }],
    ['appSecret', { appSecret: 'short' }],
    ['graphApiVersion', { graphApiVersion: '23' }],
    ['verifyToken', { verifyToken: 'has spaces in it' }],
    ['accessToken', { accessToken: undefined }],
  ])('names the bad field %s', async (field, override) => {
    const reply = await owner.post(`/api/v1/orgs/${orgId}/waba-accounts`, { ...input(), ...override });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('updates and deletes an account', async () => {
    const created = expectStatus(await owner.post(`/api/v1/orgs/${orgId}/waba-accounts`, input()), 201);
    const updated = await owner.patch(`/api/v1/orgs/${orgId}/waba-accounts/${created.id}`, {
      name: 'Renamed',
      status: 'disabled',
    });
    expect(updated.body).toMatchObject({ name: 'Renamed', status: 'disabled' });
    expect((await owner.patch(`/api/v1/orgs/${orgId}/waba-accounts/${created.id}`, { wabaId: '1' })).status).toBe(400);
    expect((await owner.delete(`/api/v1/orgs/${orgId}/waba-accounts/${created.id}`)).status).toBe(204);
    expect((await owner.get(`/api/v1/orgs/${orgId}/waba-accounts/${created.id}`)).status).toBe(404);
  });

  describe('phone numbers', () => {
    it('registers numbers with a default throughput of 80 and lists them', async () => {
      const account = expectStatus(await owner.post(`/api/v1/orgs/${orgId}/waba-accounts`, input()), 201);
      const phoneNumberId = randomDigits(15);
      const created = await owner.post(`/api/v1/orgs/${orgId}/waba-accounts/${account.id}/phone-numbers`, {
        phoneNumberId,
        displayPhoneNumber: '+1 631-555-5555',
        verifiedName: 'Acme',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        phoneNumberId,
        displayPhoneNumber: '+1 631-555-5555',
        verifiedName: 'Acme',
        qualityRating: 'UNKNOWN',
        throughputMps: 80,
        wabaAccountId: account.id,
      });

      const custom = await owner.post(`/api/v1/orgs/${orgId}/waba-accounts/${account.id}/phone-numbers`, {
        phoneNumberId: randomDigits(15),
        displayPhoneNumber: '+55 11 91234-5678',
        throughputMps: 1000,
      });
      expect(custom.body.throughputMps).toBe(1000);

      const list = await owner.get(`/api/v1/orgs/${orgId}/waba-accounts/${account.id}/phone-numbers`);
      expect(list.body.data.map((n: { id: string }) => n.id)).toEqual([created.body.id, custom.body.id]);
    });

    it('keeps phone number ids unique across the platform (409)', async () => {
      const account = expectStatus(await owner.post(`/api/v1/orgs/${orgId}/waba-accounts`, input()), 201);
      const phoneNumberId = randomDigits(15);
      const body = { phoneNumberId, displayPhoneNumber: '+1 555 0100' };
      expectStatus(await owner.post(`/api/v1/orgs/${orgId}/waba-accounts/${account.id}/phone-numbers`, body), 201);

      const other = await TestSession.signup(api);
      const otherOrg = await other.createOrg();
      const otherAccount = expectStatus(await other.post(`/api/v1/orgs/${otherOrg.id}/waba-accounts`, input()), 201);
      const reply = await other.post(
        `/api/v1/orgs/${otherOrg.id}/waba-accounts/${otherAccount.id}/phone-numbers`,
        body,
      );
      expect(reply.status).toBe(409);
      expect(reply.body.error).toMatchObject({ code: 'phone_number_exists', details: [{ field: 'phoneNumberId' }] });
    });

    it('validates throughput and numbers, updates and removes', async () => {
      const account = expectStatus(await owner.post(`/api/v1/orgs/${orgId}/waba-accounts`, input()), 201);
      const base = `/api/v1/orgs/${orgId}/waba-accounts/${account.id}/phone-numbers`;
      const tooFast = await owner.post(base, {
        phoneNumberId: randomDigits(15),
        displayPhoneNumber: '+1 555 0100',
        throughputMps: 5000,
      });
      expect(tooFast.body.error.details[0].field).toBe('throughputMps');
      const notANumber = await owner.post(base, { phoneNumberId: randomDigits(15), displayPhoneNumber: 'call me' });
      expect(notANumber.body.error.details[0].field).toBe('displayPhoneNumber');

      const number = expectStatus(
        await owner.post(base, { phoneNumberId: randomDigits(15), displayPhoneNumber: '+1 555 0100' }),
        201,
      );
      const updated = await owner.patch(`${base}/${number.id}`, { throughputMps: 250, qualityRating: 'GREEN' });
      expect(updated.body).toMatchObject({ throughputMps: 250, qualityRating: 'GREEN' });
      expect((await owner.delete(`${base}/${number.id}`)).status).toBe(204);
      expect((await owner.get(base)).body.data).toEqual([]);
    });

    it('lets viewers read but not change', async () => {
      const account = expectStatus(await owner.post(`/api/v1/orgs/${orgId}/waba-accounts`, input()), 201);
      const viewer = await owner.addTeammate(orgId, 'viewer');
      expect((await viewer.get(`/api/v1/orgs/${orgId}/waba-accounts/${account.id}/phone-numbers`)).status).toBe(200);
      const reply = await viewer.post(`/api/v1/orgs/${orgId}/waba-accounts/${account.id}/phone-numbers`, {
        phoneNumberId: '1',
        displayPhoneNumber: '+1 555',
      });
      expect(reply.status).toBe(403);
    });
  });
});
