import { AppConfig, loadConfig } from '@parley/api/core';
import { RunningSandbox, startSandbox } from '@parley/whatsapp/sandbox';
import {
  expectStatus,
  randomDigits,
  sandboxControl,
  SandboxAccount,
  startTestSandbox,
  TestApi,
  TestSession,
} from './harness';

/** An api whose config differs from the environment's in `overrides`. */
const apiWith = (overrides: Record<string, string>) =>
  TestApi.start((builder) =>
    builder.overrideProvider(AppConfig).useValue(loadConfig({ ...process.env, ...overrides })),
  );

describe('onboarding', () => {
  let sandbox: RunningSandbox;
  let api: TestApi;
  let owner: TestSession;
  let orgId: string;
  let wa: SandboxAccount;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    api = await TestApi.start();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Onboarding Org')).id;
  });
  afterAll(async () => {
    await api?.close();
    await sandbox?.close();
  });

  const testConnection = (session: TestSession, accountId: string, org = orgId) =>
    session.post(`/api/v1/orgs/${org}/waba-accounts/${accountId}/test-connection`);

  describe('GET /platform', () => {
    it('tells anyone, signed in or not, that the sandbox is there and where its chat page is', async () => {
      const reply = await api.get('/api/v1/platform');
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        sandbox: true,
        sandboxUrl: sandbox.url,
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      });
    });
  });

  describe('test-connection', () => {
    const numbersPath = () => `/api/v1/orgs/${orgId}/waba-accounts/${wa.account.id}/phone-numbers`;

    beforeAll(async () => {
      wa = await owner.connectSandbox(orgId, sandbox);
    });

    it("reads the WABA with the stored token, adds Meta's new numbers and refreshes known ones", async () => {
      const control = sandboxControl(sandbox);
      const added = randomDigits(15);
      await control('POST', `/wabas/${wa.account.wabaId}/phone-numbers`, {
        phoneNumberId: added,
        displayPhoneNumber: '+1 555-010-0777',
        verifiedName: 'Acme Support',
        qualityRating: 'YELLOW',
      });
      await control('POST', `/wabas/${wa.account.wabaId}/phone-numbers`, {
        phoneNumberId: wa.number.phoneNumberId,
        displayPhoneNumber: '+1 555-010-0999',
        verifiedName: 'Acme Retail',
        qualityRating: 'GREEN',
      });

      const reply = await testConnection(owner, wa.account.id);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        ok: true,
        business: { id: wa.account.wabaId, name: expect.any(String) },
        phoneNumbers: expect.arrayContaining([
          expect.objectContaining({
            id: wa.number.id,
            phoneNumberId: wa.number.phoneNumberId,
            displayPhoneNumber: '+1 555-010-0999',
            verifiedName: 'Acme Retail',
            qualityRating: 'GREEN',
          }),
          expect.objectContaining({
            phoneNumberId: added,
            wabaAccountId: wa.account.id,
            displayPhoneNumber: '+1 555-010-0777',
            verifiedName: 'Acme Support',
            qualityRating: 'YELLOW',
            throughputMps: 80,
          }),
        ]),
      });
      expect(reply.body.phoneNumbers).toHaveLength(2);

      const listed = expectStatus(await owner.get(numbersPath()), 200);
      expect(listed.data.map((n: { phoneNumberId: string }) => n.phoneNumberId).sort()).toEqual(
        [wa.number.phoneNumberId, added].sort(),
      );
      // A second test finds everything as stored: nothing added twice.
      expect(expectStatus(await testConnection(owner, wa.account.id), 200).phoneNumbers).toHaveLength(2);
      expect(expectStatus(await owner.get(numbersPath()), 200).data).toHaveLength(2);

      const audit = expectStatus(
        await owner.get(`/api/v1/orgs/${orgId}/audit-logs?action=waba_account.tested&targetId=${wa.account.id}`),
        200,
      );
      expect(audit.data[0].changes.after).toMatchObject({ ok: true, business: { id: wa.account.wabaId } });
      const created = expectStatus(
        await owner.get(`/api/v1/orgs/${orgId}/audit-logs?action=phone_number.created`),
        200,
      );
      expect(
        created.data.some(
          (e: { changes: { after: { phoneNumberId: string } } }) => e.changes.after.phoneNumberId === added,
        ),
      ).toBe(true);
    });

    it("answers a token Meta refuses with 422 waba_connection_failed and Meta's code, never the token; the fixed token works at once", async () => {
      const wrongToken = `EAAGwrong${randomDigits(40)}`;
      const path = `/api/v1/orgs/${orgId}/waba-accounts/${wa.account.id}`;
      expectStatus(await owner.patch(path, { accessToken: wrongToken }), 200);

      const reply = await testConnection(owner, wa.account.id);
      expect(reply.status).toBe(422);
      expect(reply.body.error).toMatchObject({
        code: 'waba_connection_failed',
        message: expect.stringContaining('(#190)'),
        details: { code: 190 },
      });
      expect(reply.body.error.message).toContain(wa.account.wabaId);
      const seen = JSON.stringify(reply.body);
      expect(seen).not.toContain(wrongToken);
      expect(seen).not.toContain(wa.accessToken);

      const audit = expectStatus(
        await owner.get(`/api/v1/orgs/${orgId}/audit-logs?action=waba_account.tested&targetId=${wa.account.id}`),
        200,
      );
      expect(audit.data[0].changes.after).toEqual({ ok: false, metaCode: 190 });
      expect(JSON.stringify(audit)).not.toContain(wrongToken);

      // Rotating the token back is tried by the next test, not after a cache expires.
      expectStatus(await owner.patch(path, { accessToken: wa.accessToken }), 200);
      expect(expectStatus(await testConnection(owner, wa.account.id), 200).ok).toBe(true);
    });

    it('answers a WABA Meta does not know with 422 and code 100', async () => {
      const unknown = await owner.createWabaAccount(orgId);
      const reply = await testConnection(owner, unknown.id);
      expect(reply.status).toBe(422);
      expect(reply.body.error).toMatchObject({ code: 'waba_connection_failed', details: { code: 100 } });
      expect((await owner.get(`/api/v1/orgs/${orgId}/waba-accounts/${unknown.id}/phone-numbers`)).body.data).toEqual(
        [],
      );
    });

    it('is for admins and owners: viewers and agents get 403, another org 404', async () => {
      for (const role of ['viewer', 'agent']) {
        const teammate = await owner.addTeammate(orgId, role);
        const reply = await testConnection(teammate, wa.account.id);
        expect(reply.status).toBe(403);
        expect(reply.body.error.code).toBe('insufficient_role');
      }
      const admin = await owner.addTeammate(orgId, 'admin');
      expect((await testConnection(admin, wa.account.id)).status).toBe(200);

      const other = await TestSession.signup(api);
      const otherOrg = await other.createOrg();
      expect((await testConnection(other, wa.account.id, otherOrg.id)).status).toBe(404);
    });
  });

  describe('connectSandbox', () => {
    it('creates a WABA in the sandbox with a number and approved hello_world and order_update templates', async () => {
      const org = (await owner.createOrg('Sandbox Retail')).id;
      const reply = await owner.post(`/api/v1/orgs/${org}/waba-accounts/sandbox`);
      expect(reply.status).toBe(201);
      const account = reply.body;
      expect(account).toMatchObject({
        id: expect.any(String),
        name: 'WhatsApp sandbox',
        wabaId: expect.stringMatching(/^[1-9]\d{14}$/),
        appId: expect.stringMatching(/^[1-9]\d{14}$/),
        appSecret: '••••••••',
        accessToken: expect.stringMatching(/^••••••••.{4}$/),
        verifyToken: expect.stringMatching(/^[\w-]{32}$/),
        webhookUrl: `http://localhost:3000/api/v1/webhooks/whatsapp/${account.id}`,
        status: 'active',
      });

      const numbers = expectStatus(
        await owner.get(`/api/v1/orgs/${org}/waba-accounts/${account.id}/phone-numbers`),
        200,
      );
      expect(numbers.data).toEqual([
        expect.objectContaining({
          phoneNumberId: expect.stringMatching(/^\d{15}$/),
          displayPhoneNumber: expect.stringMatching(/^\+1 555-\d{3}-\d{4}$/),
          verifiedName: 'Sandbox Retail',
          qualityRating: 'GREEN',
        }),
      ]);

      const templates = expectStatus(await owner.get(`/api/v1/orgs/${org}/templates?wabaAccountId=${account.id}`), 200);
      const byName = Object.fromEntries(templates.data.map((t: { name: string }) => [t.name, t]));
      expect(Object.keys(byName).sort()).toEqual(['hello_world', 'order_update']);
      expect(byName['hello_world']).toMatchObject({
        language: 'en_US',
        category: 'UTILITY',
        status: 'APPROVED',
        components: [
          { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
          { type: 'BODY', text: expect.stringMatching(/^Welcome and congratulations!!/) },
          { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
        ],
      });
      expect(byName['order_update']).toMatchObject({
        language: 'en_US',
        category: 'UTILITY',
        status: 'APPROVED',
        components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped and arrives {{3}}.' }],
      });

      // The sandbox plays Meta for it, with webhooks to the account's URL.
      const wabas = await sandboxControl(sandbox)('GET', '/wabas');
      const registered = wabas.data.find((w: { wabaId: string }) => w.wabaId === account.wabaId);
      expect(registered).toMatchObject({
        callbackUrl: account.webhookUrl,
        phoneNumbers: [{ phoneNumberId: numbers.data[0].phoneNumberId }],
      });
      expect(
        expectStatus(await owner.post(`/api/v1/orgs/${org}/waba-accounts/${account.id}/test-connection`), 200).ok,
      ).toBe(true);

      // Another one gets its own ids and display number.
      const second = expectStatus(
        await owner.post(`/api/v1/orgs/${org}/waba-accounts/sandbox`, { name: 'Second' }),
        201,
      );
      expect(second).toMatchObject({ name: 'Second' });
      expect(second.wabaId).not.toBe(account.wabaId);
      const secondNumbers = expectStatus(
        await owner.get(`/api/v1/orgs/${org}/waba-accounts/${second.id}/phone-numbers`),
        200,
      );
      expect(secondNumbers.data[0].displayPhoneNumber).not.toBe(numbers.data[0].displayPhoneNumber);
    });

    it('is for admins and owners', async () => {
      const org = (await owner.createOrg('Sandbox Roles')).id;
      for (const role of ['viewer', 'agent']) {
        const teammate = await owner.addTeammate(org, role);
        expect((await teammate.post(`/api/v1/orgs/${org}/waba-accounts/sandbox`)).status).toBe(403);
      }
      expect(expectStatus(await owner.get(`/api/v1/orgs/${org}/waba-accounts`), 200).data).toEqual([]);
    });

    it('validates the optional name', async () => {
      const reply = await owner.post(`/api/v1/orgs/${orgId}/waba-accounts/sandbox`, { name: '', wabaId: '1' });
      expect(reply.status).toBe(400);
    });
  });

  // Last: the extra apps re-register passport's (process-wide) strategies, and closing one breaks
  // authentication for the others, so each test below only talks to the app it starts.
  describe('with other settings', () => {
    it('answers test-connection with 502 graph_api_error when Meta cannot be reached', async () => {
      const offline = await apiWith({ GRAPH_API_BASE_URL: 'http://127.0.0.1:9', GRAPH_API_TIMEOUT_MS: '2000' });
      try {
        const reply = await offline.post(
          `/api/v1/orgs/${orgId}/waba-accounts/${wa.account.id}/test-connection`,
          undefined,
          {
            token: owner.accessToken,
          },
        );
        expect(reply.status).toBe(502);
        expect(reply.body.error.code).toBe('graph_api_error');
      } finally {
        await offline.close();
      }
    });

    it('has no sandbox when the platform talks to Meta: connectSandbox answers 409 sandbox_unavailable and creates nothing', async () => {
      const meta = await apiWith({ GRAPH_API_BASE_URL: 'https://graph.facebook.com' });
      try {
        expect(expectStatus(await meta.get('/api/v1/platform'), 200)).toMatchObject({
          sandbox: false,
          sandboxUrl: null,
        });
        const auth = { token: owner.accessToken };
        const org = expectStatus(await meta.post('/api/v1/orgs', { name: 'Meta Only' }, auth), 201).id;
        const reply = await meta.post(`/api/v1/orgs/${org}/waba-accounts/sandbox`, undefined, auth);
        expect(reply.status).toBe(409);
        expect(reply.body.error).toMatchObject({
          code: 'sandbox_unavailable',
          message: expect.stringContaining('Meta'),
        });
        expect(expectStatus(await meta.get(`/api/v1/orgs/${org}/waba-accounts`, auth), 200).data).toEqual([]);
      } finally {
        await meta.close();
      }
    });

    it('shows browsers WHATSAPP_SANDBOX_URL, while the api reaches the sandbox at GRAPH_API_BASE_URL', async () => {
      const proxied = await apiWith({ WHATSAPP_SANDBOX_URL: 'http://sandbox.test:4100/' });
      try {
        expect(expectStatus(await proxied.get('/api/v1/platform'), 200)).toMatchObject({
          sandbox: true,
          sandboxUrl: 'http://sandbox.test:4100',
        });
        const auth = { token: owner.accessToken };
        const org = expectStatus(await proxied.post('/api/v1/orgs', { name: 'Proxied' }, auth), 201).id;
        expectStatus(await proxied.post(`/api/v1/orgs/${org}/waba-accounts/sandbox`, undefined, auth), 201);
      } finally {
        await proxied.close();
      }
    });

    it("sends the sandbox's control token, and answers 502 without leaving an account when the sandbox refuses", async () => {
      const guarded = await startSandbox(0, '127.0.0.1', { controlToken: 'sandbox-control-token' });
      const auth = { token: owner.accessToken };
      try {
        for (const [token, status] of [
          ['wrong-token', 502],
          ['sandbox-control-token', 201],
        ] as const) {
          const app = await apiWith({ GRAPH_API_BASE_URL: guarded.url, WHATSAPP_SANDBOX_CONTROL_TOKEN: token });
          try {
            const org = expectStatus(await app.post('/api/v1/orgs', { name: 'Guarded' }, auth), 201).id;
            const reply = await app.post(`/api/v1/orgs/${org}/waba-accounts/sandbox`, undefined, auth);
            expect(reply.status).toBe(status);
            const accounts = expectStatus(await app.get(`/api/v1/orgs/${org}/waba-accounts`, auth), 200).data;
            expect(accounts).toHaveLength(status === 201 ? 1 : 0);
            if (status === 502) expect(reply.body.error.code).toBe('graph_api_error');
          } finally {
            await app.close();
          }
        }
      } finally {
        await guarded.close();
      }
    });

    it('offers no sandbox when the Graph API is Meta, even with WHATSAPP_SANDBOX_URL set', async () => {
      const meta = await apiWith({
        GRAPH_API_BASE_URL: 'https://graph.facebook.com',
        WHATSAPP_SANDBOX_URL: 'http://sandbox.test:4100',
      });
      try {
        expect(expectStatus(await meta.get('/api/v1/platform'), 200)).toMatchObject({
          sandbox: false,
          sandboxUrl: null,
        });
      } finally {
        await meta.close();
      }
    });
  });
});
