import {
  portOpen,
  readState,
  startPostgresProxy,
  startRedis,
  stopPid,
  waitFor,
  writeState,
} from '@parley/testing/platform';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectStatus, setUpWorld, World } from '../support/client';
import { customers, customersWrite, deliveriesAfter, expectEachStoredOnce, lastDeliveryId } from './support';

describe('outages during ingestion', () => {
  let world: World;

  beforeAll(async () => {
    world = await setUpWorld(readState());
    // Meta retries a webhook that failed for hours; here quickly, so the test sees the retries land.
    expectStatus(
      await world.sandbox.request('PUT', '/_sandbox/scenario', {
        body: { webhookRetry: { baseMs: 500, maxAttempts: 12 } },
      }),
      200,
    );
  });
  afterAll(() => world.sandbox.request('DELETE', '/_sandbox/scenario'));

  it('Redis stopped for 10 s: every webhook answered 200 at once, and all processed once it is back', async () => {
    const state = readState();
    const before = await lastDeliveryId(world);
    const writing = customersWrite(world, customers(5), 30, 60, 'while Redis was down');
    await sleep(1_000);
    await stopPid(state.pids['redis'] ?? 0);
    await waitFor('redis to stop', async () => !(await portOpen(state.redisPort)));
    await sleep(10_000);
    state.pids['redis'] = startRedis(state.runDir, state.redisPort).pid ?? 0;
    writeState(state);
    await waitFor('redis to start', () => portOpen(state.redisPort));
    const sent = await writing;

    // Meta (the sandbox) got 200 for each, at the first attempt: the event is stored in PostgreSQL first.
    const deliveries = (await deliveriesAfter(world, before)).filter((d) => d.summary === 'message text');
    expect(deliveries).toHaveLength(150);
    expect(deliveries.filter((d) => d.statuses.join() !== '200')).toEqual([]);
    await expectEachStoredOnce(world, sent);
  });

  it('PostgreSQL restarted: webhooks answered 503 while it is down, Meta’s retries land after, nothing lost', async () => {
    const state = readState();
    const before = await lastDeliveryId(world);
    const writing = customersWrite(world, customers(5), 20, 60, 'while PostgreSQL restarted');
    await sleep(1_000);
    await stopPid(state.pids['postgres-proxy'] ?? 0);
    await sleep(4_000);
    startPostgresProxy(state);
    await waitFor('postgres to be back', () => portOpen(state.postgresProxyPort ?? 0));
    const sent = await writing;

    const deliveries = await waitForDelivered(world, before, 100);
    // Some met the outage: refused with 503 (never a 500, never a lost 200), then delivered on a retry.
    const retried = deliveries.filter((d) => d.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    for (const delivery of retried) {
      expect(delivery.statuses.at(-1)).toBe(200);
      expect(delivery.statuses.slice(0, -1).every((status) => status === 503 || status === null)).toBe(true);
    }
    await expectEachStoredOnce(world, sent);
    // And the api itself is well again.
    expect((await world.api.get('/health')).status).toBe(200);
  });
});

/** Every one of the `count` text deliveries after `afterId` delivered (Meta kept retrying). */
async function waitForDelivered(world: World, afterId: number, count: number) {
  for (let i = 0; i < 240; i += 1) {
    const deliveries = (await deliveriesAfter(world, afterId)).filter((d) => d.summary === 'message text');
    if (deliveries.length === count && deliveries.every((d) => d.delivered)) return deliveries;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${count} webhooks delivered`);
}
