import { METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { Role, ROLES, ROUTE_POLICY, routeKeysOf } from '@parley/api/core';
import { expectStatus, randomDigits, RequestOptions, TestApi, TestSession } from './harness';

/** Every route the running app serves, as `METHOD /path` keys. */
function discoverRoutes(api: TestApi): string[] {
  const discovery = api.app.get(DiscoveryService);
  const scanner = api.app.get(MetadataScanner);
  return discovery.getControllers().flatMap(({ metatype, instance }) => {
    if (!metatype || !instance) return [];
    const prototype = Object.getPrototypeOf(instance) as Record<string, object>;
    return scanner
      .getAllMethodNames(prototype)
      .filter((name) => Reflect.getMetadata(METHOD_METADATA, prototype[name]) !== undefined)
      .flatMap((name) => routeKeysOf(metatype, prototype[name]));
  });
}

const ORG_ROUTES = Object.entries(ROUTE_POLICY).flatMap(([key, rule]) =>
  rule.access === 'org' ? [{ key, minRole: rule.minRole, peopleOnly: rule.peopleOnly === true }] : [],
);
const BELOW: Record<Role, Role | null> = { owner: 'admin', admin: 'agent', agent: 'viewer', viewer: null };
const ORG_ROUTES_WITH_A_LOWER_ROLE = ORG_ROUTES.flatMap((route) => {
  const below = BELOW[route.minRole];
  return below ? [{ ...route, below }] : [];
});

/** A body that passes validation for the routes that take one. */
function validBody(key: string): unknown {
  if (key.startsWith('POST') && key.endsWith('/phone-numbers'))
    return { phoneNumberId: randomDigits(15), displayPhoneNumber: '+1 555 0100' };
  if (key.startsWith('POST') && key.endsWith('/waba-accounts')) {
    return {
      wabaId: randomDigits(15),
      appId: randomDigits(15),
      appSecret: 'app-secret-123456',
      accessToken: 'EAAG-token-1234567890',
    };
  }
  if (key.startsWith('POST') && key.endsWith('/api-keys')) return { scopes: ['read'] };
  if (key.startsWith('POST') && key.endsWith('/invitations')) return { email: 'tenancy@example.com', role: 'viewer' };
  if (key.startsWith('PATCH') && key.endsWith('/members/:userId')) return { role: 'viewer' };
  if (key.startsWith('PATCH') && key.endsWith('/:numberId')) return { throughputMps: 10 };
  if (key.startsWith('PATCH') && key.includes('/conversations/')) return { status: 'resolved' };
  if (key === 'POST /orgs/:orgId/conversations/:id/messages') return { type: 'text', text: { body: 'Hello' } };
  if (key === 'POST /orgs/:orgId/messages') return { to: '+15550100077', type: 'text', text: { body: 'Hello' } };
  if (key.endsWith('/notes')) return key.startsWith('POST') ? { body: 'A note' } : undefined;
  if (key === 'POST /orgs/:orgId/contacts') return { phone: '+16505550142' };
  if (/^(POST|PATCH) .*\/quick-replies/.test(key)) return { shortcut: 'hi', text: 'Hi!' };
  if (key === 'POST /orgs/:orgId/scheduled-messages') {
    return {
      contactId: '00000000-0000-4000-8000-000000000002',
      template: { name: 'hello_world', language: { code: 'en_US' } },
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
  }
  if (key === 'POST /orgs/:orgId/templates/sync') return { wabaAccountId: '00000000-0000-4000-8000-000000000001' };
  if (key === 'POST /orgs/:orgId/templates') {
    return {
      wabaAccountId: '00000000-0000-4000-8000-000000000001',
      name: 'tenant_check',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hello there' }],
    };
  }
  if (key === 'POST /orgs/:orgId/automation-rules')
    return { name: 'Tenancy', trigger: { type: 'message' }, actions: [{ type: 'add_tags', tags: ['x'] }] };
  if (key === 'POST /orgs/:orgId/automation-rules/reorder') return { ids: [] };
  if (key === 'PUT /orgs/:orgId/automation/starter-bot') return { enabled: true };
  if (key === 'POST /orgs/:orgId/flows')
    return { name: 'Tenancy', steps: [{ id: 'a', type: 'send', message: { type: 'text', text: { body: 'Hi' } } }] };
  if (key === 'POST /orgs/:orgId/flows/:id/enrollments') return { contactId: '00000000-0000-4000-8000-000000000002' };
  if (key === 'POST /orgs/:orgId/webhook-subscriptions')
    return { url: 'https://hooks.example.com/parley', events: ['message.received'] };
  if (key === 'PATCH /orgs/:orgId/webhook-subscriptions/:id') return { description: 'Changed by another tenant' };
  if (key.startsWith('PATCH')) return { name: 'Changed by another tenant' };
  return undefined;
}

function call(api: TestApi, key: string, params: Record<string, string>, options: RequestOptions) {
  const [method, pattern] = key.split(' ') as [string, string];
  const path = pattern.replace(/:(\w+)/g, (_, name: string) => params[name] ?? `missing-${name}`);
  return api.request(method, `/api/v1${path}`, { body: validBody(key), ...options });
}

describe('access control', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(() => api.close());

  describe('route → role table', () => {
    it('has exactly one rule per served route: a new route without a rule fails here', () => {
      const served = discoverRoutes(api).sort();
      expect(served).toEqual(Object.keys(ROUTE_POLICY).sort());
    });

    it('matches the reviewed snapshot', () => {
      const table = Object.entries(ROUTE_POLICY)
        .map(([key, rule]) => {
          const who =
            rule.access === 'org'
              ? `org member ≥ ${rule.minRole}${rule.peopleOnly ? ', no API keys' : ''}`
              : rule.access;
          return `${key.padEnd(70)} ${who}`;
        })
        .sort();
      expect(table).toMatchSnapshot();
    });
  });

  describe('roles', () => {
    let owner: TestSession;
    let orgId: string;
    const byRole = new Map<Role, TestSession>();
    const params: Record<string, string> = {};
    const as = (role: Role) => {
      const session = byRole.get(role);
      if (!session) throw new Error(`no ${role} in the org`);
      return session;
    };

    beforeAll(async () => {
      owner = await TestSession.signup(api, 'owner');
      orgId = (await owner.createOrg('Roles')).id;
      byRole.set('owner', owner);
      for (const role of ROLES.filter((r) => r !== 'owner')) byRole.set(role, await owner.addTeammate(orgId, role));
      const account = await owner.createWabaAccount(orgId);
      params['orgId'] = orgId;
      params['id'] = account.id;
      params['userId'] = as('viewer').user.id;
      params['invitationId'] = expectStatus(
        await owner.post(`/api/v1/orgs/${orgId}/invitations`, { email: 'roles@example.com', role: 'viewer' }),
        201,
      ).id;
      params['numberId'] = expectStatus(
        await owner.post(`/api/v1/orgs/${orgId}/waba-accounts/${account.id}/phone-numbers`, {
          phoneNumberId: randomDigits(15),
          displayPhoneNumber: '+1 555 0199',
        }),
        201,
      ).id;
    });

    it.each(ORG_ROUTES_WITH_A_LOWER_ROLE)(
      '$key refuses the role just below $minRole ($below) with 403',
      async ({ key, below }) => {
        const reply = await call(api, key, params, { token: as(below).accessToken });
        expect(reply.status).toBe(403);
        expect(reply.body.error.code).toBe('insufficient_role');
      },
    );

    it.each(ORG_ROUTES)('$key is 401 without credentials', async ({ key }) => {
      expect((await call(api, key, params, {})).status).toBe(401);
    });

    it.each(ORG_ROUTES.filter((r) => r.peopleOnly).map((r) => r.key))(
      '%s refuses even an admin API key of the org (403)',
      async (key) => {
        const apiKey = await owner.createApiKey(orgId, ['admin']);
        const reply = await call(api, key, params, { apiKey });
        expect(reply.status).toBe(403);
        expect(reply.body.error.code).toBe('forbidden');
      },
    );

    it.each(
      Object.entries(ROUTE_POLICY)
        .filter(([, rule]) => rule.access === 'user')
        .map(([key]) => key),
    )('%s refuses API keys (403)', async (key) => {
      const apiKey = await owner.createApiKey(orgId, ['admin']);
      expect((await call(api, key, { token: 'x' }, { apiKey })).status).toBe(403);
    });
  });

  describe('tenancy', () => {
    let a: {
      orgId: string;
      userId: string;
      invitationId: string;
      apiKeyId: string;
      wabaAccountId: string;
      numberId: string;
      conversationId: string;
      contactId: string;
      messageId: string;
      mediaId: string;
      templateId: string;
      quickReplyId: string;
      scheduledMessageId: string;
      campaignId: string;
      automationRuleId: string;
      flowId: string;
      webhookSubscriptionId: string;
      webhookDeliveryId: string;
      exportId: string;
    };
    let ownerA: TestSession;
    let ownerB: TestSession;
    let orgB: string;
    let keyB: string;

    beforeAll(async () => {
      ownerA = await TestSession.signup(api, 'tenant-a');
      const orgId = (await ownerA.createOrg('Tenant A Secret Name')).id;
      const wabaAccountId = (await ownerA.createWabaAccount(orgId, { name: 'Tenant A Account' })).id;
      a = {
        orgId,
        wabaAccountId,
        userId: (await ownerA.addTeammate(orgId, 'agent')).user.id,
        invitationId: expectStatus(
          await ownerA.post(`/api/v1/orgs/${orgId}/invitations`, { email: 'pending-a@example.com', role: 'viewer' }),
          201,
        ).id,
        apiKeyId: expectStatus(await ownerA.post(`/api/v1/orgs/${orgId}/api-keys`, { scopes: ['read'] }), 201).id,
        conversationId: '',
        contactId: '',
        messageId: '',
        mediaId: '',
        templateId: '',
        quickReplyId: '',
        scheduledMessageId: '',
        campaignId: '',
        automationRuleId: '',
        flowId: '',
        webhookSubscriptionId: '',
        webhookDeliveryId: '',
        exportId: '',
        numberId: expectStatus(
          await ownerA.post(`/api/v1/orgs/${orgId}/waba-accounts/${wabaAccountId}/phone-numbers`, {
            phoneNumberId: randomDigits(15),
            displayPhoneNumber: '+1 555 0142',
          }),
          201,
        ).id,
      };
      // A conversation of A's, as the inbound path would have made it.
      const [contact] = await api.dataSource.query(
        `INSERT INTO contacts (org_id, phone, wa_id, name) VALUES ($1, '+15550100042', '15550100042', 'Tenant A Customer') RETURNING id`,
        [orgId],
      );
      const [conversation] = await api.dataSource.query(
        `INSERT INTO conversations (org_id, contact_id, phone_number_id, last_message_at, last_message_preview) VALUES ($1, $2, $3, now(), 'Tenant A secret message') RETURNING id`,
        [orgId, contact.id, a.numberId],
      );
      a.conversationId = conversation.id;
      a.contactId = contact.id;
      const [media] = await api.dataSource.query(
        `INSERT INTO media (org_id, kind, mime_type, status) VALUES ($1, 'image', 'image/png', 'pending') RETURNING id`,
        [orgId],
      );
      a.mediaId = media.id;
      const [message] = await api.dataSource.query(
        `INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, body, payload, occurred_at, media_id)
         VALUES ($1, $2, $3, $4, 'inbound', 'text', 'received', 'Tenant A secret message', '{}', now(), $5) RETURNING id`,
        [orgId, conversation.id, contact.id, a.numberId, media.id],
      );
      a.messageId = message.id;
      const [template] = await api.dataSource.query(
        `INSERT INTO templates (org_id, waba_account_id, name, language, category, status) VALUES ($1, $2, 'tenant_a_secret', 'en_US', 'UTILITY', 'APPROVED') RETURNING id`,
        [orgId, wabaAccountId],
      );
      a.templateId = template.id;
      a.quickReplyId = expectStatus(
        await ownerA.post(`/api/v1/orgs/${orgId}/quick-replies`, { shortcut: 'secret', text: 'Tenant A secret reply' }),
        201,
      ).id;
      const [scheduled] = await api.dataSource.query(
        `INSERT INTO scheduled_messages (org_id, contact_id, phone_number_id, template, scheduled_at)
         VALUES ($1, $2, $3, '{"name": "tenant_a_secret", "language": {"code": "en_US"}}', now() + interval '1 day') RETURNING id`,
        [orgId, contact.id, a.numberId],
      );
      a.scheduledMessageId = scheduled.id;
      // Paused, so pause, resume, cancel, launch and edit would each change it if they got through.
      const [campaign] = await api.dataSource.query(
        `INSERT INTO campaigns (org_id, name, status, phone_number_id, template_id) VALUES ($1, 'Tenant A secret campaign', 'paused', $2, $3) RETURNING id`,
        [orgId, a.numberId, template.id],
      );
      a.campaignId = campaign.id;
      const [rule] = await api.dataSource.query(
        `INSERT INTO automation_rules (org_id, name, position, trigger, actions)
         VALUES ($1, 'Tenant A secret rule', 0, '{"type": "message"}', '[{"type": "add_tags", "tags": ["a"]}]') RETURNING id`,
        [orgId],
      );
      a.automationRuleId = rule.id;
      const [flow] = await api.dataSource.query(
        `INSERT INTO flows (org_id, name, steps) VALUES ($1, 'Tenant A secret flow', '[{"id": "a", "type": "wait", "amount": 1, "unit": "days"}]') RETURNING id`,
        [orgId],
      );
      a.flowId = flow.id;
      const [subscription] = await api.dataSource.query(
        `INSERT INTO webhook_subscriptions (org_id, url, events, secret_sealed)
         VALUES ($1, 'https://tenant-a.example.com/secret', '{message.received}', 'sealed') RETURNING id`,
        [orgId],
      );
      a.webhookSubscriptionId = subscription.id;
      const [delivery] = await api.dataSource.query(
        `INSERT INTO webhook_deliveries (org_id, subscription_id, event_id, event_type, payload, status, next_attempt_at)
         VALUES ($1, $2, gen_random_uuid(), 'message.received', '{"data": "Tenant A secret event"}', 'failed', NULL) RETURNING id`,
        [orgId, subscription.id],
      );
      a.webhookDeliveryId = delivery.id;
      const [orgExport] = await api.dataSource.query(
        `INSERT INTO org_exports (org_id, status, requested_by_type, storage_key, size_bytes, finished_at, expires_at)
         VALUES ($1, 'ready', 'user', 'exports/tenant-a/secret.zip', 10, now(), now() + interval '1 day') RETURNING id`,
        [orgId],
      );
      a.exportId = orgExport.id;

      ownerB = await TestSession.signup(api, 'tenant-b');
      orgB = (await ownerB.createOrg('Tenant B')).id;
      keyB = await ownerB.createApiKey(orgB, ['admin']);
    });

    /** A's ids for every path parameter; `:id` means the resource named by the segment before it. */
    const ID_OF: [string, keyof typeof a][] = [
      ['/api-keys/', 'apiKeyId'],
      ['/conversations/', 'conversationId'],
      ['/contacts/', 'contactId'],
      ['/messages/', 'messageId'],
      ['/media/', 'mediaId'],
      ['/templates/', 'templateId'],
      ['/quick-replies/', 'quickReplyId'],
      ['/scheduled-messages/', 'scheduledMessageId'],
      ['/campaigns/', 'campaignId'],
      ['/automation-rules/', 'automationRuleId'],
      ['/flows/', 'flowId'],
      ['/webhook-subscriptions/', 'webhookSubscriptionId'],
      ['/webhook-deliveries/', 'webhookDeliveryId'],
      ['/exports/', 'exportId'],
    ];
    const idsOfA = (key: string, orgId: string) => ({
      ...a,
      orgId,
      id: a[ID_OF.find(([segment]) => key.includes(segment))?.[1] ?? 'wabaAccountId'],
    });

    const snapshotOfA = () =>
      api.dataSource.query(
        `SELECT (SELECT name FROM organizations WHERE id = $1) AS name,
                (SELECT count(*)::int FROM memberships WHERE org_id = $1) AS members,
                (SELECT count(*)::int FROM invitations WHERE org_id = $1 AND revoked_at IS NULL) AS invitations,
                (SELECT count(*)::int FROM api_keys WHERE org_id = $1 AND revoked_at IS NULL) AS keys,
                (SELECT string_agg(name || status, ',') FROM waba_accounts WHERE org_id = $1) AS accounts,
                (SELECT string_agg(throughput_mps::text, ',') FROM phone_numbers WHERE org_id = $1) AS numbers,
                (SELECT string_agg(status || coalesce(assignee_id::text, ''), ',') FROM conversations WHERE org_id = $1) AS conversations,
                (SELECT string_agg(coalesce(name, '') || opt_in_status || array_to_string(tags, ','), ',') FROM contacts WHERE org_id = $1) AS contacts,
                (SELECT string_agg(status || body, ',') FROM messages WHERE org_id = $1) AS messages,
                (SELECT count(*)::int FROM notes WHERE org_id = $1) AS notes,
                (SELECT count(*)::int FROM media WHERE org_id = $1) AS media,
                (SELECT string_agg(status, ',') FROM templates WHERE org_id = $1) AS templates,
                (SELECT string_agg(shortcut || text, ',') FROM quick_replies WHERE org_id = $1) AS quick_replies,
                (SELECT string_agg(status::text, ',') FROM scheduled_messages WHERE org_id = $1) AS scheduled_messages,
                (SELECT string_agg(name || status, ',') FROM campaigns WHERE org_id = $1) AS campaigns,
                (SELECT string_agg(name || enabled || position, ',') FROM automation_rules WHERE org_id = $1) AS rules,
                (SELECT string_agg(name || enabled || steps::text, ',') FROM flows WHERE org_id = $1) AS flows,
                (SELECT count(*)::int FROM flow_enrollments WHERE org_id = $1) AS enrollments,
                (SELECT string_agg(url || enabled || coalesce(description, '') || secret_sealed, ',')
                 FROM webhook_subscriptions WHERE org_id = $1) AS webhook_subscriptions,
                (SELECT count(*)::int FROM webhook_deliveries WHERE org_id = $1) AS webhook_deliveries,
                (SELECT string_agg(status::text, ',') FROM org_exports WHERE org_id = $1) AS exports`,
        [a.orgId],
      );

    it.each(ORG_ROUTES.map((r) => r.key))(
      "%s: another org's user and API key get 404 for A's ids, and never data",
      async (key) => {
        const before = await snapshotOfA();
        for (const credentials of [{ token: ownerB.accessToken }, { apiKey: keyB }]) {
          const reply = await call(api, key, idsOfA(key, a.orgId), credentials);
          expect(reply.status).toBe(404);
          expect(reply.body.error.code).toBe('not_found');
          expect(JSON.stringify(reply.body)).not.toMatch(/Tenant A/);
        }
        expect(await snapshotOfA()).toEqual(before);
      },
    );

    it.each(ORG_ROUTES.filter((r) => /:(id|userId|invitationId|numberId)/.test(r.key)))(
      "$key: A's resource ids under B's own org are 404 too",
      async ({ key, peopleOnly }) => {
        const before = await snapshotOfA();
        // People-only routes refuse B's key before looking at ids (403, covered above).
        for (const credentials of peopleOnly
          ? [{ token: ownerB.accessToken }]
          : [{ token: ownerB.accessToken }, { apiKey: keyB }]) {
          const reply = await call(api, key, idsOfA(key, orgB), credentials);
          expect(reply.status).toBe(404);
          expect(JSON.stringify(reply.body)).not.toMatch(/Tenant A/);
        }
        expect(await snapshotOfA()).toEqual(before);
      },
    );
  });
});
