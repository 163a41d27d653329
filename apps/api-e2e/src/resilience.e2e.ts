/* eslint-disable @typescript-eslint/no-explicit-any -- black-box tests read JSON bodies loosely */
import { customerSends, digits, eventually, expectStatus, setUpWorld, World } from './support/client';
import { portOpen, readState, startRedis, stopPid, waitFor, writeState } from '@parley/testing/platform';

describe('resilience, end to end', () => {
  let world: World;

  beforeAll(async () => {
    world = await setUpWorld(readState());
  });

  it('answers every webhook 200 while Redis is stopped, and processes them all once it is back', async () => {
    const state = readState();
    // The sandbox keeps its last 2,000 deliveries: the new ones are those numbered past the last one now.
    const listDeliveries = async (): Promise<any[]> =>
      (await world.sandbox.get('/_sandbox/webhook-deliveries')).body.data;
    const lastBefore = Math.max(0, ...(await listDeliveries()).map((d) => d.id));
    await stopPid(state.pids['redis'] ?? 0);
    await waitFor('redis to stop', async () => !(await portOpen(state.redisPort)));

    const from = `55119${digits(8)}`;
    const texts = Array.from({ length: 5 }, (_, i) => `while redis was down ${i + 1}`);
    try {
      for (const text of texts) await customerSends(world, from, { type: 'text', text });
      // Meta (the sandbox) got 200 for each at the first attempt: nothing to retry.
      const deliveries = await eventually(async () => {
        const all = (await listDeliveries()).filter((d) => d.id > lastBefore);
        return all.length === texts.length && all.every((d: any) => d.lastStatus !== null) && all;
      }, 'the webhooks answered');
      expect(deliveries.map((d: any) => [d.lastStatus, d.attempts])).toEqual(texts.map(() => [200, 1]));
    } finally {
      state.pids['redis'] = startRedis(state.runDir, state.redisPort).pid ?? 0;
      writeState(state);
      await waitFor('redis to start', () => portOpen(state.redisPort));
    }

    const stored = await eventually(
      async () => {
        const conversations = expectStatus(await world.api.get(`${world.org}/conversations?q=${from}`), 200).data;
        if (conversations.length !== 1) return null;
        const messages = (await world.api.get(`${world.org}/conversations/${conversations[0].id}/messages`)).body.data;
        return messages.length === texts.length && messages;
      },
      'every webhook processed after Redis returned',
      40_000,
    );
    expect(stored.map((m: { body: string }) => m.body).sort()).toEqual([...texts].sort());
    const events = (await world.api.get(`${world.org}/webhook-events?limit=100`)).body.data;
    expect(events.filter((e: any) => e.status !== 'processed')).toEqual([]);
  });
});
