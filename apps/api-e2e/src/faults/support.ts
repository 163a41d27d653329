/* eslint-disable @typescript-eslint/no-explicit-any -- black-box tests read JSON bodies loosely */
import { setTimeout as sleep } from 'node:timers/promises';
import { customerSends, digits, eventually, expectStatus, World } from '../support/client';

/** A webhook delivery as the sandbox (Meta) logged it: every attempt's status. */
export interface Delivery {
  id: number;
  summary: string;
  attempts: number;
  statuses: (number | null)[];
  delivered: boolean;
}

/** The sandbox's webhook deliveries after `afterId` (it keeps the last 2,000). */
export async function deliveriesAfter(world: World, afterId: number): Promise<Delivery[]> {
  const all: Delivery[] = (await world.sandbox.get('/_sandbox/webhook-deliveries')).body.data;
  return all.filter((delivery) => delivery.id > afterId);
}

export async function lastDeliveryId(world: World): Promise<number> {
  return Math.max(0, ...(await deliveriesAfter(world, 0)).map((delivery) => delivery.id));
}

/** `count` customers with fresh numbers. */
export const customers = (count: number) => Array.from({ length: count }, () => `55119${digits(8)}`);

/**
 * Customers write `perCustomer` texts each, round-robin, one every `gapMs` (as Meta would deliver
 * a busy number's traffic), while `during` runs its fault. Resolves the texts sent, per customer.
 */
export async function customersWrite(
  world: World,
  from: string[],
  perCustomer: number,
  gapMs: number,
  label: string,
): Promise<Map<string, string[]>> {
  const sent = new Map(from.map((customer) => [customer, [] as string[]]));
  for (let i = 0; i < perCustomer; i += 1) {
    for (const customer of from) {
      const text = `${label} ${i + 1} from ${customer}`;
      await customerSends(world, customer, { type: 'text', text });
      sent.get(customer)?.push(text);
      await sleep(gapMs);
    }
  }
  return sent;
}

/** The bodies of the customer's messages as Parley stored them, oldest first (one conversation a customer here). */
export async function storedTexts(world: World, customer: string): Promise<string[]> {
  const conversations = expectStatus(await world.api.get(`${world.org}/conversations?q=${customer}`), 200).data;
  const bodies: string[] = [];
  for (const conversation of conversations) {
    let cursor: string | null = null;
    do {
      const page: any = expectStatus(
        await world.api.get(
          `${world.org}/conversations/${conversation.id}/messages?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        ),
        200,
      );
      bodies.push(...page.data.filter((m: any) => m.direction === 'inbound').map((m: any) => m.body));
      cursor = page.nextCursor ?? null;
    } while (cursor);
  }
  return bodies;
}

/** Waits until every customer's texts are stored, then checks each is there exactly once. */
export async function expectEachStoredOnce(world: World, sent: Map<string, string[]>, timeoutMs = 60_000) {
  const expected = [...sent.values()].reduce((sum, texts) => sum + texts.length, 0);
  const stored = await eventually(
    async () => {
      const all = new Map<string, string[]>();
      for (const customer of sent.keys()) all.set(customer, await storedTexts(world, customer));
      const count = [...all.values()].reduce((sum, texts) => sum + texts.length, 0);
      return count >= expected && all;
    },
    `${expected} messages stored`,
    timeoutMs,
  );
  for (const [customer, texts] of sent) expect([...(stored.get(customer) ?? [])].sort()).toEqual([...texts].sort());
  // Nothing left behind: every stored webhook was applied.
  await eventually(
    async () =>
      expectStatus(await world.api.get(`${world.org}/webhook-events?status=pending&limit=1`), 200).data.length === 0,
    'no webhook left pending',
  );
}
