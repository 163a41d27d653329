/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import type { INestApplicationContext } from '@nestjs/common';
import { CloudApiClient, signPayload } from '@parley/whatsapp/cloud-api';
import type { RunningSandbox } from '@parley/whatsapp/sandbox';
import {
  eventually,
  expectStatus,
  randomDigits,
  SandboxAccount,
  startTestSandbox,
  startWorker,
  TestApi,
  TestSession,
} from './harness';

describe('templates', () => {
  let sandbox: RunningSandbox;
  let api: TestApi;
  let worker: INestApplicationContext;
  let owner: TestSession;
  let orgId: string;
  let wa: SandboxAccount;

  const graph = () => new CloudApiClient({ baseUrl: sandbox.url, version: 'v23.0', accessToken: wa.accessToken });
  const scenario = (patch: unknown) =>
    fetch(`${sandbox.url}/_sandbox/scenario`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(patch),
    });
  const sync = () => owner.post(`/api/v1/orgs/${orgId}/templates/sync`, { wabaAccountId: wa.account.id });
  const templateNamed = async (name: string) =>
    (await owner.get(`/api/v1/orgs/${orgId}/templates?name=${name}`)).body.data[0];
  /** Plays Meta for a webhook field the sandbox does not send itself. */
  const metaWebhook = (field: string, value: Record<string, unknown>) => {
    const json = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: wa.account.wabaId, time: Math.floor(Date.now() / 1000), changes: [{ field, value }] }],
    });
    return api.request('POST', `/api/v1/webhooks/whatsapp/${wa.account.id}`, {
      rawBody: json,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signPayload(json, wa.appSecret) },
    });
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    api = await TestApi.start();
    worker = await startWorker();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Templates')).id;
    wa = await owner.connectSandbox(orgId, sandbox);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });

  it('syncs every template of the account from Meta, across pages, media headers included', async () => {
    await scenario({ templateReviewDelayMs: 600_000 }); // they stay PENDING: no webhooks during the sync
    const names = Array.from({ length: 130 }, (_, i) => `bulk_${String(i).padStart(3, '0')}`);
    for (const name of names) {
      await graph().createTemplate(wa.account.wabaId, {
        name,
        category: 'UTILITY',
        language: 'en_US',
        components: [{ type: 'BODY', text: `Template ${name} for {{1}}` }],
      });
    }
    await graph().createTemplate(wa.account.wabaId, {
      name: 'new_arrivals',
      category: 'MARKETING',
      language: 'pt_BR',
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2U='] } },
        { type: 'BODY', text: 'Chegou coleção nova!' },
      ],
    });

    const result = await sync();
    expect(result.status).toBe(200);
    // Every WABA also has Meta's approved hello_world.
    expect(result.body).toEqual({ synced: 132, removed: 0 });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = expectStatus(
        await owner.get(`/api/v1/orgs/${orgId}/templates?limit=100${cursor ? `&cursor=${cursor}` : ''}`),
        200,
      );
      seen.push(...page.data.map((t: { name: string }) => t.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...names, 'new_arrivals', 'hello_world'].sort());

    const media = await templateNamed('new_arrivals');
    expect(media).toMatchObject({
      wabaAccountId: wa.account.id,
      metaTemplateId: expect.stringMatching(/^\d+$/),
      language: 'pt_BR',
      category: 'MARKETING',
      status: 'PENDING',
      parameterFormat: 'POSITIONAL',
      components: [
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Chegou coleção nova!' },
      ],
    });
    expect(expectStatus(await owner.get(`/api/v1/orgs/${orgId}/templates/${media.id}`), 200).name).toBe('new_arrivals');

    await graph().deleteTemplate(wa.account.wabaId, { name: 'bulk_000' });
    expect((await sync()).body).toEqual({ synced: 131, removed: 1 });
    expect(await templateNamed('bulk_000')).toBeUndefined();
    const audit = await owner.get(`/api/v1/orgs/${orgId}/audit-logs?action=templates.synced`);
    expect(audit.body.data[0].changes).toEqual({ after: { synced: 131, removed: 1 } });
  });

  it("applies Meta's review, quality and category webhooks to the stored template", async () => {
    await scenario({ templateReviewDelayMs: 50 });
    const approved = `shipping_update_${randomDigits(5)}`;
    const rejected = `reject_me_${randomDigits(5)}`;
    for (const name of [approved, rejected]) {
      await graph().createTemplate(wa.account.wabaId, {
        name,
        category: 'UTILITY',
        language: 'en_US',
        components: [{ type: 'BODY', text: 'Your parcel is on its way.' }],
      });
    }
    // Unknown here until the review webhook: fetched from Meta then.
    expect(
      await eventually(async () => (await templateNamed(approved))?.status === 'APPROVED', 10_000, 'approval'),
    ).toBe(true);
    const refused = await eventually(async () => {
      const template = await templateNamed(rejected);
      return template?.status === 'REJECTED' && template;
    });
    expect(refused.rejectedReason).toBe('INVALID_FORMAT');

    const ref = { message_template_id: 1, message_template_name: approved, message_template_language: 'en_US' };
    expectStatus(
      await metaWebhook('message_template_quality_update', {
        ...ref,
        previous_quality_score: 'GREEN',
        new_quality_score: 'RED',
      }),
      200,
    );
    expectStatus(
      await metaWebhook('template_category_update', {
        ...ref,
        previous_category: 'UTILITY',
        new_category: 'MARKETING',
      }),
      200,
    );
    expectStatus(
      await metaWebhook('message_template_status_update', { ...ref, event: 'PAUSED', reason: 'LOW_QUALITY' }),
      200,
    );
    const paused = await eventually(async () => {
      const template = await templateNamed(approved);
      return template?.status === 'PAUSED' && template.category === 'MARKETING' && template;
    });
    expect(paused.qualityScore).toBe('RED');
    expect(paused.rejectedReason).toBeNull();
  });

  it("answers 502 with Meta's error when Meta refuses the sync, and 404 for another org's account", async () => {
    const broken = await owner.connectSandbox(orgId, sandbox);
    expectStatus(
      await owner.patch(`/api/v1/orgs/${orgId}/waba-accounts/${broken.account.id}`, {
        accessToken: `EAAG-revoked-${randomDigits(20)}`,
      }),
      200,
    );
    const refused = await owner.post(`/api/v1/orgs/${orgId}/templates/sync`, { wabaAccountId: broken.account.id });
    expect(refused.status).toBe(502);
    expect(refused.body.error).toMatchObject({ code: 'graph_api_error', details: { code: 190 } });
    expect(JSON.stringify(refused.body)).not.toContain('EAAG');

    const stranger = await TestSession.signup(api, 'stranger');
    const theirOrg = (await stranger.createOrg('Other')).id;
    const other = await stranger.post(`/api/v1/orgs/${theirOrg}/templates/sync`, { wabaAccountId: wa.account.id });
    expect(other.status).toBe(404);
    expect((await stranger.get(`/api/v1/orgs/${theirOrg}/templates`)).body.data).toEqual([]);
    const bad = await owner.post(`/api/v1/orgs/${orgId}/templates/sync`, { wabaAccountId: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: 'wabaAccountId', message: expect.any(String) }]);
  });
});
