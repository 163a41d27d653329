/* eslint-disable @typescript-eslint/no-explicit-any -- black-box tests read JSON bodies loosely */
import { readState } from '@parley/testing/platform';
import { eventually, expectStatus, setUpWorld, World } from '../support/client';
import { customers, customersWrite, expectEachStoredOnce } from './support';

const CUSTOMERS = 50;
const EACH_WAY = 10;

describe("Meta's chaos mode", () => {
  let world: World;

  beforeAll(async () => {
    world = await setUpWorld(readState());
  });
  afterAll(() => world.sandbox.request('DELETE', '/_sandbox/scenario'));

  it(`${2 * CUSTOMERS * EACH_WAY} messages through duplicated webhooks, reordered statuses, a slow Meta and failing sends: each once, every final status right`, async () => {
    expectStatus(
      await world.sandbox.request('PUT', '/_sandbox/scenario', {
        body: {
          duplicateRate: 0.5,
          reorderStatuses: true,
          latencyMs: 50,
          failureRate: 0.1,
          autoRead: true,
          statusDelaysMs: { sent: 20, delivered: 60, read: 120 },
        },
      }),
      200,
    );
    const people = customers(CUSTOMERS);
    // In: half the webhooks arrive twice.
    const inbound = await customersWrite(world, people, EACH_WAY, 0, 'chaos');
    await expectEachStoredOnce(world, inbound, 90_000);

    // Out: replies whose statuses come twice, in reverse, and one in ten fails at Meta after acceptance.
    const sent: { id: string; text: string }[] = [];
    for (const person of people) {
      for (let n = 1; n <= EACH_WAY; n += 1) {
        const text = `chaos reply ${n} to ${person}`;
        const reply = await world.api.post(`${world.org}/messages`, {
          to: `+${person}`,
          type: 'text',
          text: { body: text },
        });
        sent.push({ id: expectStatus(reply, 202).id, text });
      }
    }
    const atMeta = await eventually(
      async () => {
        const messages: any[] = expectStatus(
          await world.sandbox.get(`/_sandbox/messages?phoneNumberId=${world.phoneNumberId}&direction=outbound`),
          200,
        ).data.filter((m: any) => m.body.startsWith('chaos reply'));
        // Meta's side is final once every message was read or failed.
        return (
          messages.length >= sent.length &&
          messages.every((m) => m.status === 'read' || m.status === 'failed') &&
          messages
        );
      },
      'every reply at Meta, read or failed',
      120_000,
    );
    // Each reply reached the customer once.
    expect(atMeta.map((m: any) => m.body).sort()).toEqual(sent.map((s) => s.text).sort());
    const metaStatus = new Map(atMeta.map((m: any) => [m.id, m.status]));
    expect([...metaStatus.values()].filter((status) => status === 'failed').length).toBeGreaterThan(0);

    // Ours ends where Meta's did, whatever order and how many times the statuses came.
    await eventually(
      async () => {
        for (const message of sent) {
          const ours = expectStatus(await world.api.get(`${world.org}/messages/${message.id}`), 200);
          if (!ours.waMessageId || ours.status !== metaStatus.get(ours.waMessageId)) return false;
        }
        return true;
      },
      'every final status applied',
      60_000,
    );
  });
});
