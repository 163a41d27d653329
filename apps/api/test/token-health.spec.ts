import { INestApplicationContext } from '@nestjs/common';
import { RunningSandbox } from '@parley/whatsapp/sandbox';
import {
  eventually,
  expectStatus,
  randomDigits,
  randomSecret,
  sandboxControl,
  SandboxAccount,
  startTestSandbox,
  startWorker,
  TestApi,
  TestSession,
} from './harness';

const DAY_MS = 86_400_000;
const REQUIRED_SCOPES = ['whatsapp_business_management', 'whatsapp_business_messaging'];

describe('WABA token health', () => {
  let sandbox: RunningSandbox;
  let api: TestApi;
  let worker: INestApplicationContext;
  let owner: TestSession;
  let orgId: string;
  let wa: SandboxAccount;
  let control: ReturnType<typeof sandboxControl>;

  const accountPath = () => `/api/v1/orgs/${orgId}/waba-accounts/${wa.account.id}`;
  const check = async () => expectStatus(await owner.post(`${accountPath()}/check-token`), 200);
  /** Sets the sandbox's token: expiry in seconds since the epoch (0: never), scopes. */
  const tokenAtMeta = (token: { accessToken?: string; expiresAt?: number; scopes?: string[] }) =>
    control('PUT', `/wabas/${wa.account.wabaId}/token`, { scopes: REQUIRED_SCOPES, expiresAt: 0, ...token });
  /** Started late, so the first tests see accounts the worker has not checked yet. */
  const startTheWorker = async () => {
    process.env['TOKEN_HEALTH_POLL_MS'] = '200';
    worker ??= await startWorker();
    delete process.env['TOKEN_HEALTH_POLL_MS'];
  };
  const inDays = (days: number) => Math.floor((Date.now() + days * DAY_MS) / 1_000);

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    control = sandboxControl(sandbox);
    api = await TestApi.start();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Token Health Org')).id;
    wa = await owner.connectSandbox(orgId, sandbox);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });
  afterEach(() => tokenAtMeta({}));

  it('starts unchecked, and a check finds a permanent token with WhatsApp permissions valid', async () => {
    const before = expectStatus(await owner.get(accountPath()), 200);
    expect(before.tokenHealth).toEqual({ status: 'unchecked', checkedAt: null, expiresAt: null, problem: null });
    const checked = await check();
    expect(checked.tokenHealth).toEqual({
      status: 'valid',
      checkedAt: expect.any(String),
      expiresAt: null,
      problem: null,
    });
    // The next check is a day away.
    const [row] = await api.dataSource.query('SELECT token_check_due_at FROM waba_accounts WHERE id = $1', [
      wa.account.id,
    ]);
    expect(row.token_check_due_at.getTime() - Date.now()).toBeGreaterThan(DAY_MS - 60_000);
  });

  it('flags a token expiring within the warning days, and audits the change of verdict', async () => {
    const expiresAt = inDays(3);
    await tokenAtMeta({ expiresAt });
    const { tokenHealth } = await check();
    expect(tokenHealth).toEqual({
      status: 'expiring',
      checkedAt: expect.any(String),
      expiresAt: new Date(expiresAt * 1_000).toISOString(),
      problem: `The access token expires on ${new Date(expiresAt * 1_000).toISOString()}`,
    });
    // A token ending in a month is fine.
    await tokenAtMeta({ expiresAt: inDays(30) });
    expect((await check()).tokenHealth.status).toBe('valid');

    const audit = expectStatus(
      await owner.get(`/api/v1/orgs/${orgId}/audit-logs?action=waba_account.token_checked`),
      200,
    ).data;
    expect(audit.map((entry: { changes: { before: object; after: object } }) => entry.changes)).toEqual([
      {
        before: { tokenStatus: 'expiring' },
        after: { tokenStatus: 'valid', problem: null, expiresAt: new Date(inDays(30) * 1_000).toISOString() },
      },
      {
        before: { tokenStatus: 'valid' },
        after: { tokenStatus: 'expiring', problem: tokenHealth.problem, expiresAt: tokenHealth.expiresAt },
      },
      { before: { tokenStatus: 'unchecked' }, after: { tokenStatus: 'valid', problem: null, expiresAt: null } },
    ]);
  });

  it("flags an expired token with Meta's reason, and one missing a WhatsApp permission", async () => {
    await tokenAtMeta({ expiresAt: inDays(-1) });
    const expired = (await check()).tokenHealth;
    expect(expired.status).toBe('invalid');
    expect(expired.problem).toMatch(/^Error validating access token: Session has expired on /);

    await tokenAtMeta({ scopes: ['whatsapp_business_management'] });
    expect((await check()).tokenHealth).toMatchObject({
      status: 'invalid',
      problem: 'The access token lacks the whatsapp_business_messaging permission',
    });
  });

  it('is checked on demand by admins only; every member sees the verdict', async () => {
    for (const role of ['viewer', 'agent']) {
      const teammate = await owner.addTeammate(orgId, role);
      expect((await teammate.post(`${accountPath()}/check-token`)).status).toBe(403);
      expect(expectStatus(await teammate.get(accountPath()), 200).tokenHealth.status).toEqual(expect.any(String));
    }
  });

  it('checks a rotated token at once in the worker, and every token again once its day has passed', async () => {
    await startTheWorker();
    // Rotated at Meta and here: the old verdict is dropped, and the worker checks the new token.
    const accessToken = `EAAG${randomSecret()}${randomSecret()}`;
    await tokenAtMeta({ accessToken, expiresAt: inDays(2) });
    const rotated = expectStatus(await owner.patch(accountPath(), { accessToken }), 200);
    expect(rotated.tokenHealth).toEqual({ status: 'unchecked', checkedAt: null, expiresAt: null, problem: null });
    await eventually(
      async () => (await owner.get(accountPath())).body.tokenHealth.status === 'expiring',
      10_000,
      'the worker to check the rotated token',
    );

    // A day on (the due time moved back), Meta has revoked it: the daily check flags it.
    await tokenAtMeta({ accessToken: `EAAG${randomSecret()}` });
    await api.dataSource.query(
      `UPDATE waba_accounts SET token_check_due_at = now() - interval '1 second' WHERE id = $1`,
      [wa.account.id],
    );
    const flagged = await eventually(
      async () => {
        const { tokenHealth } = (await owner.get(accountPath())).body;
        return tokenHealth.status === 'invalid' && tokenHealth;
      },
      10_000,
      'the daily check to flag the revoked token',
    );
    expect(flagged.problem).toBe('Invalid OAuth access token.');
  });

  it('flags the account at once when Meta refuses a send with 190', async () => {
    await startTheWorker();
    // A token both sides hold, expired at Meta since the last check, which found it fine and is a day away.
    const accessToken = `EAAG${randomSecret()}${randomSecret()}`;
    await tokenAtMeta({ accessToken, expiresAt: inDays(-1) });
    expectStatus(await owner.patch(accountPath(), { accessToken }), 200);
    await eventually(
      async () => (await owner.get(accountPath())).body.tokenHealth.status === 'invalid',
      10_000,
      'the rotated token checked',
    );
    await api.dataSource.query(
      `UPDATE waba_accounts SET token_status = 'valid', token_problem = NULL, token_check_due_at = now() + interval '1 day'
       WHERE id = $1`,
      [wa.account.id],
    );
    const from = `5511987${randomDigits(6)}`;
    await control('POST', '/inbound', {
      phoneNumberId: wa.number.phoneNumberId,
      from,
      type: 'text',
      text: { body: 'hello?' },
    });
    await eventually(
      async () => (await api.dataSource.query('SELECT 1 FROM contacts WHERE phone = $1', [`+${from}`])).length > 0,
      10_000,
      'the customer to write',
    );
    const sent = expectStatus(
      await owner.post(`/api/v1/orgs/${orgId}/messages`, { to: `+${from}`, type: 'text', text: { body: 'Hi!' } }),
      202,
    );
    const failed = await eventually(
      async () => {
        const message = (await owner.get(`/api/v1/orgs/${orgId}/messages/${sent.id}`)).body;
        return message.status === 'failed' && message;
      },
      10_000,
      'the send to fail',
    );
    expect(failed.error).toMatchObject({ code: 190 });
    // The refusal made the account due at once: the worker checks it and flags it.
    const flagged = await eventually(
      async () => {
        const { tokenHealth } = (await owner.get(accountPath())).body;
        return tokenHealth.status === 'invalid' && tokenHealth;
      },
      10_000,
      'the refused token flagged',
    );
    expect(flagged).toMatchObject({
      status: 'invalid',
      problem: expect.stringContaining('Error validating access token'),
    });
  });
});
