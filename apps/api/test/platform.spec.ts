import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOpenApiDocument, serializeOpenApi } from '../src/openapi';
import { AppConfig, LuaScript, Pacer, preparedQuery, REDIS, redisReady, ROUTE_POLICY } from '@parley/api/core';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TestApi, TestSession } from './harness';

describe('platform', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(() => api.close());

  describe('health and metrics', () => {
    it('reports database, Redis and queue depths', async () => {
      const reply = await api.get('/health');
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        status: 'ok',
        checks: {
          database: { status: 'up', latencyMs: expect.any(Number) },
          redis: { status: 'up', latencyMs: expect.any(Number) },
        },
        queues: {
          mail: expect.objectContaining({ waiting: expect.any(Number) }),
          housekeeping: expect.objectContaining({ failed: expect.any(Number) }),
          'webhook-events': expect.objectContaining({ active: expect.any(Number) }),
        },
      });
    });

    it('exposes Prometheus text with request timings by route pattern', async () => {
      const session = await TestSession.signup(api);
      await session.get('/api/v1/me');
      const reply = await api.get('/metrics');
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toContain('text/plain');
      expect(reply.body).toMatch(
        /parley_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/me",status="200"\} [1-9]/,
      );
      expect(reply.body).toMatch(/parley_queue_jobs\{queue="mail",state="waiting"\} \d+/);
      expect(reply.body).toContain('parley_process_resident_memory_bytes');
    });

    it('waits for a new Redis client before it is used, so the first health check after boot is not a false 503', async () => {
      const url = api.app.get(AppConfig).REDIS_URL;
      const early = new Redis(url, { enableOfflineQueue: false });
      await expect(early.ping()).rejects.toThrow(/enableOfflineQueue/); // what a request right after boot met
      await redisReady(early);
      await expect(early.ping()).resolves.toBe('PONG');
      early.disconnect();

      // Redis away at boot: the process starts at once instead of waiting out the deadline.
      const away = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, retryStrategy: () => null });
      away.on('error', () => undefined);
      const started = Date.now();
      await redisReady(away, 20_000);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(away.status).not.toBe('ready');
      away.disconnect();
    });

    it('runs Lua scripts by their SHA, and sends the text again to a Redis that forgot it', async () => {
      const redis = api.app.get<Redis>(REDIS);
      const key = `test:lua:${randomUUID()}`;
      const incr = new LuaScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`);
      await redis.script('FLUSH'); // as after a restart
      expect(await incr.run(redis, 1, key, 2)).toBe(2);
      expect(await incr.run(redis, 1, key, 3)).toBe(5); // known now: by SHA
      await expect(new LuaScript('return redis.call(').run(redis, 0)).rejects.toThrow(/Error compiling script/);
      await redis.del(key);
    });
  });

  describe('errors', () => {
    it('answers malformed JSON with 400 in the error shape, with a request id', async () => {
      const reply = await api.request('POST', '/api/v1/auth/login', {
        rawBody: '{"email":',
        headers: { 'content-type': 'application/json' },
      });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        error: { code: 'validation_failed', message: 'Request body is not valid JSON' },
        requestId: expect.any(String),
      });
      expect(reply.headers.get('x-request-id')).toBe(reply.body.requestId);
    });

    it('echoes a caller-chosen request id', async () => {
      const reply = await api.get('/api/v1/orgs/x', { headers: { 'x-request-id': 'trace-abc-123' } });
      expect(reply.headers.get('x-request-id')).toBe('trace-abc-123');
      expect(reply.body.requestId).toBe('trace-abc-123');
    });

    it('answers an unknown route with 404 in the error shape', async () => {
      const reply = await api.get('/api/v1/nothing-here');
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe('not_found');
    });

    it('refuses NUL characters (PostgreSQL cannot store them) with 400 naming the field, in bodies and queries', async () => {
      const session = await TestSession.signup(api);
      const body = await session.post('/api/v1/orgs', { name: 'a\u0000b' });
      expect(body.status).toBe(400);
      expect(body.body.error.details).toEqual([{ field: 'name', message: expect.stringContaining('NUL') }]);
      const org = await session.createOrg();
      const query = await session.get(`/api/v1/orgs/${org.id}/audit-logs?targetId=%00`);
      expect(query.status).toBe(400);
      expect(query.body.error.details[0].field).toBe('targetId');
    });

    it('answers forged cursors and out-of-range dates with 400, never 500', async () => {
      const session = await TestSession.signup(api);
      const org = await session.createOrg();
      const forged = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
      for (const path of [
        `/api/v1/orgs?cursor=${forged(['x', 'y'])}`,
        `/api/v1/orgs/${org.id}/members?cursor=${forged(['2026-01-01T00:00:00.000Z', 'not-a-uuid'])}`,
        `/api/v1/orgs/${org.id}/audit-logs?cursor=${forged(['abc'])}`,
        `/api/v1/orgs/${org.id}/audit-logs?from=-010000-01-01T00:00:00Z`,
        `/api/v1/orgs/${org.id}/audit-logs?to=+275760-09-13T00:00:00Z`,
      ]) {
        const reply = await session.get(path);
        expect({ path, status: reply.status }).toEqual({ path, status: 400 });
      }
    });

    it('refuses bodies over 1 MB with 413', async () => {
      const reply = await api.post('/api/v1/auth/login', { email: 'a@example.com', password: 'x'.repeat(1_100_000) });
      expect(reply.status).toBe(413);
      expect(reply.body.error.code).toBe('payload_too_large');
    });
  });

  describe('OpenAPI', () => {
    const committed = readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8');

    it('is served at /api/openapi.json and /api/docs', async () => {
      const json = await api.get('/api/openapi.json');
      expect(json.body.info.title).toBe('Parley API');
      expect((await api.get('/api/docs')).status).toBe(200);
    });

    it('matches the committed apps/api/openapi.json (run `npm run openapi` after changing the API)', async () => {
      expect(serializeOpenApi(await generateOpenApiDocument())).toBe(committed);
    });

    it('documents every operation with an id, summary, tag and error responses', () => {
      const document = JSON.parse(committed);
      const operations = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item as Record<string, { responses: object }>).map(([method, operation]) => ({
          key: `${method.toUpperCase()} ${path}`,
          ...operation,
        })),
      );
      const apiRoutes = Object.keys(ROUTE_POLICY).filter((key) => !key.endsWith('/metrics'));
      expect(operations).toHaveLength(apiRoutes.length);
      for (const operation of operations) {
        expect(operation).toMatchObject({
          operationId: expect.any(String),
          summary: expect.any(String),
          tags: [expect.any(String)],
        });
        // Health and the public platform facts answer every caller; nothing there can be a 4xx.
        if (!operation.key.includes('/health') && operation.key !== 'GET /api/v1/platform') {
          expect(Object.keys(operation.responses).some((status) => status.startsWith('4'))).toBe(true);
        }
      }
    });

    it('documents API-key access exactly where the route table allows it', () => {
      const document = JSON.parse(committed);
      for (const [path, item] of Object.entries(
        document.paths as Record<string, Record<string, { security?: object[] }>>,
      )) {
        for (const [method, operation] of Object.entries(item)) {
          const key = `${method.toUpperCase()} ${path.replace(/^\/api\/v1/, '').replace(/\{(\w+)\}/g, ':$1')}`;
          const rule = ROUTE_POLICY[key];
          const keysAllowed = rule?.access === 'org' && !rule.peopleOnly;
          const documented = (operation.security ?? []).some((requirement) => 'apiKey' in requirement);
          expect({ key, documented }).toEqual({ key, documented: keysAllowed });
        }
      }
    });
  });

  describe('database schema', () => {
    it('is exactly what the entities describe: migration:generate would produce nothing', async () => {
      const pending = await api.dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    });

    it('runs hot statements as named prepared statements, parsed once per connection, with rows as the answer', async () => {
      const sql = 'SELECT $1::int + 1 AS next';
      await api.dataSource.transaction(async (manager) => {
        expect(await preparedQuery(manager, sql, [1])).toEqual([{ next: 2 }]);
        expect(await preparedQuery(manager, sql, [41])).toEqual([{ next: 42 }]);
        const statements: { statement: string }[] = await manager.query(
          "SELECT statement FROM pg_prepared_statements WHERE name LIKE 'parley\\_%'",
        );
        expect(statements.map((row) => row.statement)).toContain(sql);
        // UPDATE … RETURNING answers its rows too (TypeORM's own answer is [rows, count]), and errors stay TypeORM's.
        await manager.query('CREATE TEMPORARY TABLE counter (n int) ON COMMIT DROP');
        await manager.query('INSERT INTO counter VALUES (1)');
        expect(await preparedQuery(manager, 'UPDATE counter SET n = n + $1 RETURNING n', [1])).toEqual([{ n: 2 }]);
        await expect(preparedQuery(manager, 'SELECT 1 / $1::int', [0])).rejects.toThrow('division by zero');
      });
    });
  });
  describe('pacing', () => {
    it('runs at most the cap of calls at once, and frees each slot a second after its call ends, failed or not', async () => {
      const redis = api.app.get<Redis>(REDIS);
      if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
      const pacer = new Pacer(redis, api.app.get(AppConfig)); // a worker provider
      const key = `test:${randomUUID()}`;
      const calls = await Promise.all(
        Array.from({ length: 7 }, (_, i) =>
          pacer
            .withinLimit(key, 3, 1_000, async () => {
              const start = Date.now();
              await sleep(100 + 50 * i);
              if (i === 1) throw Object.assign(new Error('refused'), { start, end: Date.now() });
              return { start, end: Date.now() };
            })
            .catch((error: { start: number; end: number }) => ({ start: error.start, end: error.end })),
        ),
      );
      const starts = calls.map((call) => call.start).sort((a, b) => a - b);
      const ends = calls.map((call) => call.end).sort((a, b) => a - b);
      // Three at once (one after the other, they would start 250 ms apart at least); then each call
      // starts a second after one of the three before it ended, not at the slot's lease. The upper
      // bounds leave room for a loaded machine's timers.
      expect(starts[2] - starts[0]).toBeLessThan(200);
      for (let i = 3; i < 7; i++) {
        expect(starts[i]).toBeGreaterThanOrEqual(ends[i - 3] + 1_000);
        expect(starts[i]).toBeLessThan(ends[i - 3] + 1_500);
      }
    });

    it('hands a released slot to the next caller at once, to start when it frees, so a waiter asks Redis once', async () => {
      const redis = api.app.get<Redis>(REDIS);
      const pacer = new Pacer(redis, api.app.get(AppConfig));
      const key = `test:${randomUUID()}`;
      const call = async () => ({ start: Date.now(), end: Date.now() });
      const first = await Promise.all([pacer.withinLimit(key, 2, 1_000, call), pacer.withinLimit(key, 2, 1_000, call)]);
      await sleep(50); // both slots released, neither free for another 950 ms
      const evalsha = jest.spyOn(redis, 'evalsha');
      try {
        const later = await Promise.all([
          pacer.withinLimit(key, 2, 1_000, call),
          pacer.withinLimit(key, 2, 1_000, call),
        ]);
        const ends = first.map((c) => c.end).sort((a, b) => a - b);
        const starts = later.map((c) => c.start).sort((a, b) => a - b);
        for (let i = 0; i < 2; i++) expect(starts[i]).toBeGreaterThanOrEqual(ends[i] + 1_000);
        // Per waiter, one acquire (a release passes only its holder and window). Polling would ask every 20 ms.
        const acquires = evalsha.mock.calls.filter((args) => args.length > 5);
        expect(acquires).toHaveLength(2);
      } finally {
        evalsha.mockRestore();
      }
    });
  });
});
