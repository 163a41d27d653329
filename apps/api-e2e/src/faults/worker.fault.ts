/* eslint-disable @typescript-eslint/no-explicit-any -- black-box tests read JSON bodies loosely */
import { readState, startWorker } from '@parley/testing/platform';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { eventually, expectStatus, setUpWorld, World } from '../support/client';
import { customers, customersWrite, expectEachStoredOnce } from './support';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the worker killed or stopped mid-work', () => {
  let world: World;

  beforeAll(async () => {
    world = await setUpWorld(readState());
  });
  afterAll(() => world.sandbox.request('DELETE', '/_sandbox/scenario'));

  it('kill -9 during ingestion: after a restart every message is stored, once', async () => {
    const state = readState();
    const writing = customersWrite(world, customers(5), 40, 25, 'through a killed worker');
    await sleep(1_500);
    process.kill(state.pids['worker'] ?? 0, 'SIGKILL');
    await sleep(2_000);
    startWorker(state);
    await expectEachStoredOnce(world, await writing);
  });

  it('SIGTERM lets the sends in flight finish: none is left mid-call, and after a restart each reply reaches Meta once', async () => {
    const state = readState();
    const people = customers(20);
    const greetings = await customersWrite(world, people, 1, 0, 'hello');
    await expectEachStoredOnce(world, greetings);
    // Meta answers in a second: sends are in flight when the worker is told to stop.
    expectStatus(await world.sandbox.request('PUT', '/_sandbox/scenario', { body: { latencyMs: 1_000 } }), 200);
    const replies = people.flatMap((to) => [1, 2, 3].map((n) => ({ to: `+${to}`, text: `reply ${n} to ${to}` })));
    for (const reply of replies)
      expectStatus(
        await world.api.post(`${world.org}/messages`, { to: reply.to, type: 'text', text: { body: reply.text } }),
        202,
      );
    await sleep(500);
    expect((await outboundTexts(world)).length).toBeLessThan(replies.length);
    const pid = state.pids['worker'] ?? 0;
    process.kill(pid, 'SIGTERM');
    const stoppedAt = Date.now();
    await eventually(async () => !alive(pid), 'the worker to exit after SIGTERM', 30_000);
    const drainMs = Date.now() - stoppedAt;
    // Nothing left mid-call: every send the worker had started was answered and recorded before it
    // exited (a killed worker leaves them claimed, for Meta's webhooks or the lease to settle).
    const database = new Client({ connectionString: state.databaseUrl });
    await database.connect();
    try {
      const { rows } = await database.query(
        `SELECT count(*)::int AS n FROM messages WHERE org_id = $1 AND status = 'queued' AND sending_at IS NOT NULL`,
        [world.orgId],
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await database.end();
    }

    expectStatus(await world.sandbox.request('DELETE', '/_sandbox/scenario'), 200);
    const restartedAt = Date.now();
    startWorker(state);
    // Then the rest goes out at once, each reply once.
    const atMeta = await eventually(
      async () => {
        const sent = await outboundTexts(world);
        return replies.every((reply) => sent.includes(reply.text)) && sent;
      },
      'every reply at Meta',
      25_000,
    );
    expect(Date.now() - restartedAt).toBeLessThan(25_000);
    for (const reply of replies) expect(atMeta.filter((text) => text === reply.text)).toHaveLength(1);
    expect(drainMs).toBeLessThan(30_000);
  });
});

/** The texts Meta (the sandbox) accepted from the world's number. */
async function outboundTexts(world: World): Promise<string[]> {
  const messages = expectStatus(
    await world.sandbox.get(`/_sandbox/messages?phoneNumberId=${world.phoneNumberId}&direction=outbound`),
    200,
  ).data;
  return messages.filter((m: any) => m.type === 'text').map((m: any) => m.body);
}
