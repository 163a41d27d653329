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

  describe('drafts, review and edits', () => {
    const base = () => `/api/v1/orgs/${orgId}/templates`;
    /** A template Meta would take: text header, body, footer and every kind of button, with samples. */
    const orderUpdate = (name: string) => ({
      wabaAccountId: wa.account.id,
      name,
      language: 'en_US',
      category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['#1042'] } },
        {
          type: 'BODY',
          text: 'Hi {{1}}, your order {{2}} has shipped.',
          example: { body_text: [['Maria', '#1042']] },
        },
        { type: 'FOOTER', text: 'Reply STOP to opt out' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Thanks' },
            {
              type: 'URL',
              text: 'Track',
              url: 'https://shop.example/track/{{1}}',
              example: ['https://shop.example/track/1042'],
            },
            { type: 'COPY_CODE', example: 'SAVE10' },
          ],
        },
      ],
    });
    const createDraft = async (name: string) => expectStatus(await owner.post(base(), orderUpdate(name)), 201);
    const templateAt = async (id: string) => expectStatus(await owner.get(`${base()}/${id}`), 200);
    const atMeta = async (name: string) => (await graph().listTemplates(wa.account.wabaId, { name })).data;

    beforeAll(() => scenario({ templateReviewDelayMs: 50 }));

    it('refuses a template Meta would reject, naming every component at fault, and a malformed body', async () => {
      const reply = await owner.post(base(), {
        wabaAccountId: wa.account.id,
        name: 'Order Update',
        language: 'en_US',
        category: 'MARKETING',
        components: [
          { type: 'HEADER', format: 'TEXT', text: 'x'.repeat(61) },
          { type: 'BODY', text: `Hi {{1}}, order {{3}} shipped.`.padEnd(1100, '!') },
          {
            type: 'BUTTONS',
            buttons: [1, 2, 3].map((n) => ({ type: 'URL', text: `Link ${n}`, url: `https://shop.example/${n}` })),
          },
        ],
      });
      expect(reply.status).toBe(422);
      expect(reply.body.error.code).toBe('template_invalid');
      expect(reply.body.error.details.map((d: { field: string }) => d.field)).toEqual([
        'name',
        'components[0].text',
        'components[1].text',
        'components[1].text',
        'components[1].example.body_text',
        'components[2].buttons',
      ]);
      expect(reply.body.error.details).toContainEqual({
        field: 'components[1].text',
        message: 'components[1] (BODY): text is 1,100 characters; Meta allows 1,024',
      });
      expect(reply.body.error.details).toContainEqual({
        field: 'components[2].buttons',
        message: 'components[2] (BUTTONS): 3 URL buttons; Meta allows 2',
      });
      const noBody = await owner.post(base(), {
        ...orderUpdate('no_body'),
        components: [{ type: 'FOOTER', text: 'Hi' }],
      });
      expect(noBody.body.error.details).toEqual([
        { field: 'components', message: 'The template needs a BODY component with its text' },
      ]);
      const malformed = await owner.post(base(), {
        ...orderUpdate('bad_category'),
        category: 'PROMO',
        components: 'x',
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'category',
        'components',
      ]);
      expect(await templateNamed('no_body')).toBeUndefined();
    });

    it('creates a draft, submits it to Meta, and takes the approval from the review webhook', async () => {
      const name = `order_update_${randomDigits(6)}`;
      const draft = await createDraft(name);
      expect(draft).toMatchObject({ name, status: 'DRAFT', metaTemplateId: null, parameterFormat: 'POSITIONAL' });
      expect(await atMeta(name)).toEqual([]);

      const duplicate = await owner.post(base(), orderUpdate(name));
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error).toMatchObject({ code: 'template_exists', details: [{ field: 'name' }] });

      const submitted = expectStatus(await owner.post(`${base()}/${draft.id}/submit`), 200);
      expect(submitted).toMatchObject({ status: 'PENDING', metaTemplateId: expect.stringMatching(/^\d+$/) });
      const [remote] = await atMeta(name);
      expect(remote).toMatchObject({ id: submitted.metaTemplateId, language: 'en_US', category: 'UTILITY' });
      expect(remote?.components).toEqual(draft.components);

      const approved = await eventually(async () => {
        const template = await templateAt(draft.id);
        return template.status === 'APPROVED' && template;
      });
      expect(approved).toMatchObject({ metaTemplateId: submitted.metaTemplateId, rejectedReason: null });

      const again = await owner.post(`${base()}/${draft.id}/submit`);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('template_state_conflict');
      const audit = await owner.get(`/api/v1/orgs/${orgId}/audit-logs?action=template.*`);
      const actions = audit.body.data
        .filter((row: { targetId: string }) => row.targetId === draft.id)
        .map((row: { action: string }) => row.action);
      expect(actions).toEqual(['template.submitted', 'template.created']);
    });

    it('shows the rejection and its reason when Meta rejects the template', async () => {
      const draft = await createDraft(`reject_promo_${randomDigits(6)}`);
      expectStatus(await owner.post(`${base()}/${draft.id}/submit`), 200);
      const rejected = await eventually(async () => {
        const template = await templateAt(draft.id);
        return template.status === 'REJECTED' && template;
      });
      // The webhook's rejection_info reason, the most telling one Meta gives.
      expect(rejected.rejectedReason).toBe('The sandbox rejects template names matching its scenario pattern.');
    });

    it("passes Meta's refusal of a submission on as a 502 with Meta's code", async () => {
      await scenario({ templateReviewDelayMs: 600_000 });
      const name = `taken_at_meta_${randomDigits(6)}`;
      const draft = await createDraft(name);
      await graph().createTemplate(wa.account.wabaId, { ...orderUpdate(name), wabaAccountId: undefined } as never);
      const refused = await owner.post(`${base()}/${draft.id}/submit`);
      expect(refused.status).toBe(502);
      expect(refused.body.error).toMatchObject({ code: 'graph_api_error', details: { code: 100 } });
      expect((await templateAt(draft.id)).status).toBe('DRAFT');
      await scenario({ templateReviewDelayMs: 50 });
    });

    it('changes a draft freely, and edits a reviewed template at Meta, which reviews it again', async () => {
      const draft = await createDraft(`welcome_${randomDigits(6)}`);
      const renamed = `${draft.name}_v2`;
      const changed = expectStatus(
        await owner.patch(`${base()}/${draft.id}`, { name: renamed, category: 'MARKETING' }),
        200,
      );
      expect(changed).toMatchObject({ name: renamed, category: 'MARKETING', status: 'DRAFT' });
      const invalid = await owner.patch(`${base()}/${draft.id}`, {
        components: [{ type: 'BODY', text: 'Hi {{1}}' }],
      });
      expect(invalid.status).toBe(422);
      expect(invalid.body.error.details.map((d: { field: string }) => d.field)).toEqual([
        'components[0].text',
        'components[0].example.body_text',
      ]);

      expectStatus(await owner.post(`${base()}/${draft.id}/submit`), 200);
      await eventually(async () => (await templateAt(draft.id)).status === 'APPROVED');

      const recategorized = await owner.patch(`${base()}/${draft.id}`, { category: 'UTILITY' });
      expect(recategorized.status).toBe(409);
      expect(recategorized.body.error.message).toMatch(/category of an approved template/);
      const rename = await owner.patch(`${base()}/${draft.id}`, { name: 'other_name' });
      expect(rename.status).toBe(409);
      expect(rename.body.error.details).toEqual([{ field: 'name', message: expect.stringMatching(/create a new/) }]);

      await scenario({ templateReviewDelayMs: 1_000 });
      const components = [
        {
          type: 'BODY',
          text: 'Welcome back {{1}}! Your new code is ready.',
          example: { body_text: [['Maria']] },
        },
      ];
      const edited = expectStatus(await owner.patch(`${base()}/${draft.id}`, { components }), 200);
      expect(edited).toMatchObject({ status: 'PENDING', components, category: 'MARKETING' });
      expect((await atMeta(renamed))[0]).toMatchObject({ status: 'PENDING', components });
      const underReview = await owner.patch(`${base()}/${draft.id}`, { components });
      expect(underReview.status).toBe(409);
      expect(underReview.body.error.message).toMatch(/is PENDING: Meta is reviewing it/);

      await eventually(async () => (await templateAt(draft.id)).status === 'APPROVED', 10_000, 'second review');
      await scenario({ templateReviewDelayMs: 50 });
      const audit = await owner.get(`/api/v1/orgs/${orgId}/audit-logs?action=template.updated`);
      const edit = audit.body.data.find((row: { targetId: string }) => row.targetId === draft.id);
      expect(edit.changes).toMatchObject({
        before: { status: 'APPROVED' },
        after: { status: 'PENDING', components },
      });
    });

    it('deletes at Meta too, and tolerates a template Meta no longer has', async () => {
      const submitted = await createDraft(`farewell_${randomDigits(6)}`);
      expectStatus(await owner.post(`${base()}/${submitted.id}/submit`), 200);
      await eventually(async () => (await templateAt(submitted.id)).status === 'APPROVED');
      expect(await atMeta(submitted.name)).toHaveLength(1);
      expectStatus(await owner.delete(`${base()}/${submitted.id}`), 204);
      expect(await atMeta(submitted.name)).toEqual([]);
      expect((await owner.get(`${base()}/${submitted.id}`)).status).toBe(404);

      const gone = await createDraft(`gone_${randomDigits(6)}`);
      expectStatus(await owner.post(`${base()}/${gone.id}/submit`), 200);
      await graph().deleteTemplate(wa.account.wabaId, { name: gone.name });
      expectStatus(await owner.delete(`${base()}/${gone.id}`), 204);

      const draft = await createDraft(`never_sent_${randomDigits(6)}`);
      expectStatus(await owner.delete(`${base()}/${draft.id}`), 204);
      const audit = await owner.get(`/api/v1/orgs/${orgId}/audit-logs?action=template.deleted`);
      expect(audit.body.data.map((row: { targetId: string }) => row.targetId)).toEqual(
        expect.arrayContaining([submitted.id, gone.id, draft.id]),
      );
    });

    it('previews with the values given and samples for the rest; any member may preview, only admins write', async () => {
      const draft = await createDraft(`preview_${randomDigits(6)}`);
      const viewer = await owner.addTeammate(orgId, 'viewer');
      const preview = expectStatus(
        await viewer.post(`${base()}/${draft.id}/preview`, { parameters: { 'body.1': 'Ana', 'button.1': '77' } }),
        200,
      );
      expect(preview).toEqual({
        header: { format: 'TEXT', text: 'Order #1042' },
        body: 'Hi Ana, your order #1042 has shipped.',
        footer: 'Reply STOP to opt out',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Thanks' },
          { type: 'URL', text: 'Track', url: 'https://shop.example/track/77' },
          { type: 'COPY_CODE', text: 'Copy offer code', code: 'SAVE10' },
        ],
        text: 'Order #1042\nHi Ana, your order #1042 has shipped.\nReply STOP to opt out',
      });
      const unknown = await viewer.post(`${base()}/${draft.id}/preview`, {
        parameters: { 'body.1': 'Ana', 'body.9': 'x', first_name: 'y' },
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.details.map((d: { field: string }) => d.field)).toEqual([
        'parameters.body.9',
        'parameters.first_name',
      ]);
      expect(unknown.body.error.message).toContain('header.1, body.1, body.2, button.1, button.2');

      for (const call of [
        viewer.post(base(), orderUpdate(`viewer_${randomDigits(6)}`)),
        viewer.patch(`${base()}/${draft.id}`, { category: 'MARKETING' }),
        viewer.post(`${base()}/${draft.id}/submit`),
        viewer.delete(`${base()}/${draft.id}`),
      ])
        expect((await call).status).toBe(403);
    });

    it("answers 404 for another org's templates and accounts, and changes nothing", async () => {
      const draft = await createDraft(`private_${randomDigits(6)}`);
      const stranger = await TestSession.signup(api, 'template-stranger');
      const theirs = `/api/v1/orgs/${(await stranger.createOrg('Elsewhere')).id}/templates`;
      const replies = await Promise.all([
        stranger.get(`${theirs}/${draft.id}`),
        stranger.patch(`${theirs}/${draft.id}`, { name: 'stolen' }),
        stranger.delete(`${theirs}/${draft.id}`),
        stranger.post(`${theirs}/${draft.id}/submit`),
        stranger.post(`${theirs}/${draft.id}/preview`, {}),
        stranger.post(theirs, orderUpdate(`stolen_${randomDigits(6)}`)),
        stranger.get(`${base()}/${draft.id}`),
      ]);
      expect(replies.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
      expect(await templateAt(draft.id)).toMatchObject({ name: draft.name, status: 'DRAFT' });
    });
  });
});
