import { PARTNER_EVENT_TYPES, type ParleyEventType, type PartnerEventType } from '@parley/partner-sdk';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { TtlCache } from '../cache/ttl-cache';
import { preparedQuery } from '../database/prepared';

/** What partners may subscribe to: the SDK owns the wire format. */
export { PARTNER_EVENT_TYPES, type PartnerEventType };

/** The body of every outgoing webhook. */
export interface PartnerEvent<T = unknown> {
  /** The same for every subscription the event goes to, and on redelivery: partners dedupe by it. */
  id: string;
  type: ParleyEventType;
  orgId: string;
  createdAt: string;
  data: T;
}

/**
 * Records an event for every enabled subscription of the org that wants it, in the caller's
 * transaction: it goes out if and only if the change that caused it commits (the worker's
 * WebhookDispatcher delivers the rows). `data` is only built when someone subscribed.
 * Resolves how many deliveries were recorded.
 */
export function emitPartnerEvent<T>(
  manager: EntityManager,
  orgId: string,
  type: PartnerEventType,
  data: () => T | Promise<T>,
): Promise<number> {
  return new PartnerEventRecorder(manager).emit(orgId, type, data);
}

/**
 * `emitPartnerEvent` for many changes in one transaction (a batch of webhooks): who subscribed to
 * a type is looked up once per org and type, not once per change.
 */
export class PartnerEventRecorder {
  /** For the transaction's life only: it never expires. */
  private readonly subscribers = new TtlCache<string, string[]>(Number.POSITIVE_INFINITY);

  constructor(private readonly manager: EntityManager) {}

  async emit<T>(orgId: string, type: PartnerEventType, data: () => T | Promise<T>): Promise<number> {
    const subscribers = await this.subscribersOf(orgId, type);
    if (subscribers.length === 0) return 0;
    await deliverPartnerEvent(this.manager, orgId, subscribers, type, await data());
    return subscribers.length;
  }

  /** Whether any enabled subscription of the org wants the type. */
  async wants(orgId: string, type: PartnerEventType): Promise<boolean> {
    return (await this.subscribersOf(orgId, type)).length > 0;
  }

  private subscribersOf(orgId: string, type: PartnerEventType): Promise<string[]> {
    return this.subscribers.get(`${orgId}:${type}`, async () =>
      (
        await preparedQuery<{ id: string }>(
          this.manager,
          'SELECT id FROM webhook_subscriptions WHERE org_id = $1 AND enabled AND $2 = ANY (events)',
          [orgId, type],
        )
      ).map((row) => row.id),
    );
  }
}

/**
 * Records one event for the given subscriptions of the org, whatever they subscribed to (a rule's
 * `call_webhook` names its subscription), in the caller's transaction. Resolves the event.
 */
export async function deliverPartnerEvent<T>(
  manager: EntityManager,
  orgId: string,
  subscriptionIds: string[],
  type: ParleyEventType,
  data: T,
): Promise<PartnerEvent<T>> {
  const event: PartnerEvent<T> = { id: randomUUID(), type, orgId, createdAt: new Date().toISOString(), data };
  await manager.query(
    `INSERT INTO webhook_deliveries (org_id, subscription_id, event_id, event_type, payload)
     SELECT $1, s.id, $3, $4, $5 FROM unnest($2::uuid[]) AS s(id)`,
    [orgId, subscriptionIds, event.id, type, JSON.stringify(event)],
  );
  return event;
}
