import { serializeLikeMeta, signPayload } from '@parley/whatsapp/cloud-api';
import type { SandboxState, SandboxWaba, WebhookDelivery } from './state';

const MAX_LOG = 2_000;

/**
 * Sends webhooks like Meta: one signed POST per event (non-ASCII escaped, signature over the exact
 * bytes), retried with doubling delays until the receiver answers 200, possibly delivered twice
 * when the scenario says so.
 */
export class WebhookDispatcher {
  private nextId = 1;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Bumped by `cancelAll`: retries of deliveries from an earlier generation are dropped, even ones in flight. */
  private generation = 0;

  constructor(private readonly state: SandboxState) {}

  /** Sends one `entry` for the WABA now (or after `delayMs`). */
  send(waba: SandboxWaba, changes: { field: string; value: unknown }[], delayMs = 0): void {
    const payload = { object: 'whatsapp_business_account', entry: [{ id: waba.wabaId, changes }] };
    const copies = Math.random() < this.state.scenario.duplicateRate ? 2 : 1;
    const generation = this.generation;
    for (let copy = 0; copy < copies; copy += 1)
      this.later(generation, delayMs + copy * 25, () =>
        this.attempt(waba, payload, this.log(waba, payload), generation),
      );
  }

  /** Stops pending deliveries (shutdown, reset). */
  cancelAll(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private log(waba: SandboxWaba, payload: unknown): WebhookDelivery {
    const delivery: WebhookDelivery = {
      id: this.nextId++,
      wabaId: waba.wabaId,
      url: waba.callbackUrl,
      summary: summarize(payload),
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
      const response = await fetch(waba.callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signPayload(body, waba.appSecret) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      delivery.lastStatus = response.status;
      delivery.statuses.push(response.status);
      await response.arrayBuffer().catch(() => undefined);
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

function summarize(payload: unknown): string {
  const change = (payload as { entry: { changes: { field: string; value: Record<string, unknown[] | string> }[] }[] })
    .entry[0]?.changes[0];
  if (!change) return 'empty';
  const value = change.value;
  if (Array.isArray(value['messages']))
    return `message ${(value['messages'][0] as { type?: string })?.type ?? ''}`.trim();
  if (Array.isArray(value['statuses']))
    return `status ${(value['statuses'][0] as { status?: string })?.status ?? ''}`.trim();
  return change.field;
}
