/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document is read loosely */
import { readState, ROOT } from '@parley/testing/platform';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  approvedTemplate,
  customerSends,
  digits,
  eventually,
  expectStatus,
  setUpWorld,
  World,
} from '../support/client';

/** Operations whose bodies reach outside (an AI provider's URL) or sign people in: not fuzzed here. */
const SKIPPED = new Set(['testAiSettings', 'login', 'signup', 'refresh']);
const WEBHOOK_RUNS = 1_500;
const RUNS_PER_OPERATION = 100;
const QUERY_RUNS_PER_OPERATION = 40;
const RUNS_PER_RESOURCE_OPERATION = 50;

const document = JSON.parse(readFileSync(join(ROOT, 'apps/api/openapi.json'), 'utf8'));

interface Operation {
  id: string;
  method: string;
  path: string;
  /** The JSON body's property names, if it has one. */
  fields: string[] | null;
  /** Those the document says may be null. */
  nullable: Set<string>;
  query: string[];
}

/**
 * The org's operations in the OpenAPI document: those whose only path parameter is the org, or
 * those on one of its resources (more path parameters than the org).
 */
function operationsOn(target: 'org' | 'resource'): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<any>(document.paths)) {
    const ids = (path.match(/\{/g) ?? []).length;
    if (!path.includes('{orgId}') || (target === 'org' ? ids !== 1 : ids < 2)) continue;
    for (const method of ['get', 'post', 'patch', 'put']) {
      const operation = item[method];
      if (!operation || SKIPPED.has(operation.operationId)) continue;
      let schema = operation.requestBody?.content?.['application/json']?.schema;
      if (schema?.$ref) schema = document.components.schemas[schema.$ref.split('/').pop()];
      operations.push({
        id: operation.operationId,
        method: method.toUpperCase(),
        path,
        fields: schema ? Object.keys(schema.properties ?? {}) : null,
        nullable: new Set(
          Object.entries<any>(schema?.properties ?? {})
            .filter(([, property]) => property.nullable === true)
            .map(([name]) => name),
        ),
        query: (operation.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name),
      });
    }
  }
  return operations;
}

/** Bodies with the operation's fields holding any JSON (wrong types, nulls, huge strings, nesting), or any JSON at all. */
const bodyFor = (fields: string[]) =>
  fc.oneof(
    fc.dictionary(fc.constantFrom(...fields, 'extra'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: fields.length + 1 }),
    fc.jsonValue({ maxDepth: 3 }),
  );

/**
 * Sends `operation` at `path`, first with each field set to null on its own (which random bodies
 * reach only by chance: an optional field is not a nullable one), then `runs` random bodies; what
 * went wrong: a 5xx, a refusal that does not say why, or a null taken where the document says the
 * field is not nullable (it must be refused, not ignored or stored).
 */
async function fuzzBodies(
  world: World,
  operation: Operation,
  path: string,
  runs: number,
  count: (status: number) => void,
): Promise<string[]> {
  const failures: string[] = [];
  const send = async (body: unknown) => {
    const reply = await world.api.request(operation.method, path, { body });
    count(reply.status);
    if (reply.status >= 500) failures.push(`${operation.id} ${JSON.stringify(body)} → ${reply.status}`);
    if (reply.status >= 400 && !reply.body?.error?.message) failures.push(`${operation.id}: no error message`);
    return reply.status;
  };
  for (const field of operation.fields ?? []) {
    const status = await send({ [field]: null });
    if (status < 300 && !operation.nullable.has(field))
      failures.push(`${operation.id}: null ${field} → ${status}, though the field is not nullable`);
  }
  await fc
    .assert(
      fc.asyncProperty(bodyFor(operation.fields ?? []), async (body) => (await send(body)) < 500),
      { numRuns: runs },
    )
    .catch(() => undefined);
  return failures;
}

/** One of each resource an org has, so that the operations on one of them have something to act on. */
async function createResources(world: World): Promise<void> {
  const text = { type: 'text', text: { body: 'Hello from the fuzz suite' } };
  await customerSends(world, `55119${digits(8)}`, { type: 'text', text: { body: 'hi' } }); // a contact and a conversation
  await eventually(
    async () => expectStatus(await world.api.get(`${world.org}/conversations?limit=1`), 200).data.length > 0,
    'the conversation',
  );
  const templateId = await approvedTemplate(world, 'fuzz_offer', 'Hi {{1}}, an offer.', ['Ana']);
  const [number] = expectStatus(
    await world.api.get(`${world.org}/waba-accounts/${world.accountId}/phone-numbers`),
    200,
  ).data;
  const creations: [string, unknown][] = [
    ['/quick-replies', { shortcut: 'fuzz', text: 'A quick reply' }],
    [
      '/automation-rules',
      { name: 'Fuzz rule', trigger: { type: 'message' }, actions: [{ type: 'reply', message: text }] },
    ],
    ['/flows', { name: 'Fuzz flow', steps: [{ id: 'one', type: 'send', message: text }] }],
    [
      '/campaigns',
      {
        name: 'Fuzz campaign',
        phoneNumberId: number.id,
        templateId,
        parameters: { 'body.1': { source: 'contact', field: 'first_name', fallback: 'there' } },
        audience: { tags: { any: ['fuzz'] } },
      },
    ],
    ['/webhook-subscriptions', { url: 'http://127.0.0.1:9/hooks', events: ['message.received'] }],
  ];
  for (const [collection, body] of creations)
    expectStatus(await world.api.post(`${world.org}${collection}`, body), 201);
}

/** `path` with the org's id and, for each id after it, one of the org's resources there (null: none). */
async function resourcePath(world: World, path: string): Promise<string | null> {
  let resolved = '';
  for (const part of path.replace('{orgId}', world.orgId).split('/').slice(1)) {
    if (!part.startsWith('{')) {
      resolved += `/${part}`;
      continue;
    }
    const listed = expectStatus(await world.api.get(resolved), 200);
    const first = (Array.isArray(listed) ? listed : listed.data)[0];
    const id = first?.id ?? first?.userId;
    if (!id) return null;
    resolved += `/${id}`;
  }
  return resolved;
}

const sign = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('fuzzed bodies: never a 500, never a crash', () => {
  let world: World;

  beforeAll(async () => {
    world = await setUpWorld(readState());
  });

  it(`answers ${WEBHOOK_RUNS} signed webhooks of every shape with 200 or a 4xx, and the worker outlives them`, async () => {
    const messageLike = fc.record(
      {
        from: fc.oneof(fc.constant('5511987650000'), fc.string(), fc.jsonValue()),
        id: fc.oneof(
          fc.uuid().map((id) => `wamid.${id}`),
          fc.jsonValue(),
        ),
        timestamp: fc.oneof(fc.integer().map(String), fc.jsonValue()),
        type: fc.oneof(
          fc.constantFrom('text', 'image', 'interactive', 'button', 'reaction', 'unsupported'),
          fc.string(),
        ),
        text: fc.oneof(fc.record({ body: fc.string() }), fc.jsonValue()),
        image: fc.jsonValue({ maxDepth: 2 }),
        interactive: fc.jsonValue({ maxDepth: 3 }),
        reaction: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    );
    const statusLike = fc.record(
      {
        id: fc.oneof(fc.string(), fc.jsonValue()),
        status: fc.oneof(fc.constantFrom('sent', 'delivered', 'read', 'failed'), fc.string()),
        timestamp: fc.oneof(fc.integer().map(String), fc.jsonValue()),
        recipient_id: fc.oneof(fc.string(), fc.jsonValue()),
        errors: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: [] },
    );
    const envelope = fc.record({
      object: fc.oneof(fc.constant('whatsapp_business_account'), fc.string()),
      entry: fc.array(
        fc.record({
          id: fc.oneof(fc.constant(world.wabaId), fc.jsonValue()),
          changes: fc.array(
            fc.record({
              field: fc.oneof(
                fc.constantFrom('messages', 'message_template_status_update', 'account_update'),
                fc.string(),
              ),
              value: fc.record(
                {
                  messaging_product: fc.constant('whatsapp'),
                  metadata: fc.record({
                    display_phone_number: fc.string(),
                    phone_number_id: fc.oneof(fc.constant(world.phoneNumberId), fc.string()),
                  }),
                  contacts: fc.jsonValue({ maxDepth: 3 }),
                  messages: fc.oneof(fc.array(messageLike, { maxLength: 3 }), fc.jsonValue()),
                  statuses: fc.oneof(fc.array(statusLike, { maxLength: 3 }), fc.jsonValue()),
                },
                { requiredKeys: [] },
              ),
            }),
            { maxLength: 3 },
          ),
        }),
        { maxLength: 2 },
      ),
    });
    const body = fc.oneof(
      { weight: 6, arbitrary: envelope.map((value) => JSON.stringify(value)) },
      { weight: 2, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
      { weight: 1, arbitrary: fc.string() },
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const reply = await world.api.request('POST', `/api/v1/webhooks/whatsapp/${world.accountId}`, {
          raw,
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw, world.appSecret) },
        });
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        return reply.status < 500;
      }),
      { numRuns: WEBHOOK_RUNS },
    );
    // Both paths were walked: stored (200) and refused (400).
    expect(statuses.get(200)).toBeGreaterThan(WEBHOOK_RUNS / 2);
    expect(statuses.get(400)).toBeGreaterThan(0);
    // Whatever was stored was applied or set aside: the worker did not fall over on any of it.
    await eventually(
      async () =>
        expectStatus(await world.api.get(`${world.org}/webhook-events?status=pending&limit=1`), 200).data.length === 0,
      'every stored webhook handled',
      60_000,
    );
    expect((await world.api.get('/health')).status).toBe(200);
  });

  it('answers arbitrary JSON bodies and queries with a 2xx or a clear 4xx on every operation of an org', async () => {
    const operations = operationsOn('org');
    expect(operations.length).toBeGreaterThan(40);
    const answered = { ok: 0, refused: 0 };
    const count = (status: number) => (status < 300 ? (answered.ok += 1) : (answered.refused += 1));
    for (const operation of operations) {
      const path = operation.path.replace('{orgId}', world.orgId);
      const failures: string[] = [];
      if (operation.fields) failures.push(...(await fuzzBodies(world, operation, path, RUNS_PER_OPERATION, count)));
      if (operation.method === 'GET' && operation.query.length > 0) {
        const query = fc.dictionary(
          fc.constantFrom(...operation.query),
          fc.oneof(fc.string(), fc.integer().map(String)),
        );
        await fc
          .assert(
            fc.asyncProperty(query, async (params) => {
              const reply = await world.api.get(`${path}?${new URLSearchParams(params)}`);
              count(reply.status);
              if (reply.status >= 500)
                failures.push(`${operation.id} ?${new URLSearchParams(params)} → ${reply.status}`);
              return reply.status < 500;
            }),
            { numRuns: QUERY_RUNS_PER_OPERATION },
          )
          .catch(() => undefined);
      }
      expect(failures).toEqual([]);
    }
    // Thousands of calls, most refused with a clear 4xx, some valid by chance.
    console.warn(`[fuzz] ${operations.length} operations: ${answered.ok} answered 2xx, ${answered.refused} 4xx`);
    expect(answered.ok + answered.refused).toBeGreaterThan(2_000);
    expect(answered.ok).toBeGreaterThan(0);
    expect((await world.api.get('/health')).status).toBe(200);
  });

  it("answers arbitrary JSON bodies with a 2xx or a clear 4xx on every operation on one of an org's resources", async () => {
    await createResources(world);
    // The ones that take a body: the rest have nothing to fuzz but the ids, which the org tests cover.
    const operations = operationsOn('resource').filter((operation) => operation.fields);
    expect(operations.length).toBeGreaterThan(15);
    const answered = { ok: 0, refused: 0 };
    const count = (status: number) => (status < 300 ? (answered.ok += 1) : (answered.refused += 1));
    const unreached: string[] = [];
    for (const operation of operations) {
      const path = await resourcePath(world, operation.path);
      if (!path) {
        unreached.push(operation.id);
        continue;
      }
      expect(await fuzzBodies(world, operation, path, RUNS_PER_RESOURCE_OPERATION, count)).toEqual([]);
    }
    console.warn(
      `[fuzz] ${operations.length} operations on a resource: ${answered.ok} answered 2xx, ${answered.refused} 4xx`,
    );
    expect(unreached).toEqual([]); // every operation had a resource to act on
    expect(answered.ok).toBeGreaterThan(0);
    expect((await world.api.get('/health')).status).toBe(200);
  });
});
