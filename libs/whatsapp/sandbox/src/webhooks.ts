import { requestText, serializeLikeMeta, signPayload } from '@parley/whatsapp/cloud-api';
import type { SandboxState, SandboxWaba, WebhookDelivery } from './state';

const MAX_LOG = 2_000;

type Change = { field: string; value: unknown };

/** A WABA's updates waiting for one of its POSTs when Meta batches. */
interface Backlog {
  changes: Change[];
  inFlight: number;
}

/**
 * Sends webhooks like Meta: signed POSTs (non-ASCII escaped, signature over the exact bytes),
 * retried with doubling delays until the receiver answers 200, possibly delivered twice when the
 * scenario says so. By default every update goes alone, as soon as it happens. With the scenario's
 * `webhookBatching`, a WABA gets at most `inFlight` POSTs at once and the updates that wait meanwhile
 * go together, up to `maxUpdates` a POST: how Meta aggregates under load.
 */
export class WebhookDispatcher {
  private nextId = 1;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly backlogs = new Map<string, Backlog>();
  /** Bumped by `cancelAll`: retries of deliveries from an earlier generation are dropped, even ones in flight. */
  private generation = 0;

  constructor(private readonly state: SandboxState) {}

  /** Sends the WABA's `changes` now (or after `delayMs`). */
  send(waba: SandboxWaba, changes: Change[], delayMs = 0): void {
    const generation = this.generation;
    if (this.state.scenario.webhookBatching.maxUpdates > 1)
      return this.later(generation, delayMs, async () => this.batch(waba, changes));
    this.post(waba, changes, generation, delayMs);
  }

  /** One POST of `changes` (and its duplicate, when the scenario draws one); resolves after the first attempt of each. */
  private post(waba: SandboxWaba, changes: Change[], generation: number, delayMs = 0): Promise<unknown> {
    const payload = { object: 'whatsapp_business_account', entry: [{ id: waba.wabaId, changes }] };
    const copies = Math.random() < this.state.scenario.duplicateRate ? 2 : 1;
    return Promise.all(
      Array.from(
        { length: copies },
        (_, copy) =>
          new Promise<void>((resolve) =>
            this.later(generation, delayMs + copy * 25, () =>
              this.attempt(waba, payload, this.log(waba, changes), generation).finally(resolve),
            ),
          ),
      ),
    );
  }

  /** Queues the updates behind the WABA's POSTs in flight, and sends what the batching allows. */
  private batch(waba: SandboxWaba, changes: Change[]): void {
    const backlog = this.backlogs.get(waba.wabaId) ?? { changes: [], inFlight: 0 };
    this.backlogs.set(waba.wabaId, backlog);
    backlog.changes.push(...changes);
    const generation = this.generation;
    const { maxUpdates, inFlight } = this.state.scenario.webhookBatching;
    while (backlog.inFlight < inFlight && backlog.changes.length > 0) {
      backlog.inFlight += 1;
      void this.post(waba, backlog.changes.splice(0, maxUpdates), generation).finally(() => {
        backlog.inFlight -= 1;
        if (generation === this.generation) this.batch(waba, []);
      });
    }
    if (backlog.inFlight === 0) this.backlogs.delete(waba.wabaId);
  }

  /** Stops pending deliveries (shutdown, reset). */
  cancelAll(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.backlogs.clear();
  }

  private log(waba: SandboxWaba, changes: Change[]): WebhookDelivery {
    const delivery: WebhookDelivery = {
      id: this.nextId++,
      wabaId: waba.wabaId,
      url: waba.callbackUrl,
      summary: summarize(changes),
      attempts: 0,
      lastStatus: null,
      statuses: [],
      delivered: false,
      nextAttemptAt: null,
    };
    this.state.deliveries.push(delivery);
    if (this.state.deliveries.length > MAX_LOG) this.state.deliveries.splice(0, this.state.deliveries.length - MAX_LOG);
    return delivery;
  }

  private async attempt(
    waba: SandboxWaba,
    payload: unknown,
    delivery: WebhookDelivery,
    generation: number,
  ): Promise<void> {
    const body = serializeLikeMeta(payload);
    delivery.attempts += 1;
    delivery.nextAttemptAt = null;
    try {
      const response = await requestText(
        'POST',
        waba.callbackUrl,
        { 'content-type': 'application/json', 'x-hub-signature-256': signPayload(body, waba.appSecret) },
        body,
        10_000,
      );
      delivery.lastStatus = response.status;
      delivery.statuses.push(response.status);
      if (response.status === 200) {
        delivery.delivered = true;
        return;
      }
    } catch {
      delivery.lastStatus = null;
      delivery.statuses.push(null);
    }
    const { baseMs, maxAttempts } = this.state.scenario.webhookRetry;
    if (delivery.attempts >= maxAttempts) return;
    const delay = baseMs * 2 ** (delivery.attempts - 1);
    delivery.nextAttemptAt = Date.now() + delay;
    this.later(generation, delay, () => this.attempt(waba, payload, delivery, generation));
  }

  private later(generation: number, delayMs: number, fn: () => Promise<void>): void {
    if (generation !== this.generation) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void fn();
    }, delayMs);
    this.timers.add(timer);
  }
}

function summarize(changes: Change[]): string {
  if (changes.length > 1) return `${changes.length} updates`;
  const change = changes[0] as { field: string; value: Record<string, unknown[] | string> } | undefined;
  if (!change) return 'empty';
  const value = change.value;
  if (Array.isArray(value['messages']))
    return `message ${(value['messages'][0] as { type?: string })?.type ?? ''}`.trim();
  if (Array.isArray(value['statuses']))
    return `status ${(value['statuses'][0] as { status?: string })?.status ?? ''}`.trim();
  return change.field;
}
