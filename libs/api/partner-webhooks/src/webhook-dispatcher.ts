import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import {
  AppConfig,
  isRetryable,
  type PartnerEvent,
  type PostAnswer,
  postToTarget,
  type ResolvedTarget,
  returning,
  SecretBox,
  UnsafeWebhookTarget,
  UrlGuard,
} from '@parley/api/core';
import { signWebhook, WEBHOOK_HEADERS } from '@parley/partner-sdk';
import { DataSource, type EntityManager } from 'typeorm';
import { WebhookDeliveryAttempt } from './entities/webhook-delivery-attempt.entity';
import { retryDelayMs } from './retry-policy';

/** Deliveries taken per round. */
const BATCH = 20;
/** How far a taken delivery's due time is pushed beyond the answer's timeout: after that, a crashed try is tried again. */
const LEASE_MARGIN_MS = 30_000;

interface DueDelivery {
  id: string;
  org_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  payload: PartnerEvent;
  attempts: number;
  url: string;
  secret_sealed: string;
  enabled: boolean;
}

type Answer = Omit<PostAnswer, 'headers'> & { retryAfterMs: number | null };

/** `Retry-After` in seconds or as a date, in ms from now. */
function retryAfterMs(header: string | string[] | undefined): number | null {
  if (typeof header !== 'string') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/**
 * Delivers partner webhooks: takes due deliveries (several workers share the table with SKIP
 * LOCKED), signs and POSTs each, and records the try. A failure is tried again with exponential
 * backoff and jitter when it may pass (network errors, 5xx, 408, 429 and its Retry-After), up to
 * PARTNER_WEBHOOKS_MAX_ATTEMPTS; a subscription failing PARTNER_WEBHOOKS_DISABLE_AFTER_FAILURES
 * times in a row is disabled, with an audit row.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly audit: AuditService,
    private readonly guard: UrlGuard,
    private readonly config: AppConfig,
  ) {}

  /** One round: resolves how many deliveries were tried. */
  async deliverDue(): Promise<number> {
    const due = await returning<DueDelivery>(
      this.dataSource,
      `UPDATE webhook_deliveries d
       SET attempts = d.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
       FROM webhook_subscriptions s
       WHERE d.id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
                      ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         AND s.id = d.subscription_id
       RETURNING d.id, d.org_id, d.subscription_id, d.event_id, d.event_type, d.payload, d.attempts,
                 s.url, s.secret_sealed, s.enabled`,
      [BATCH, this.config.PARTNER_WEBHOOKS_TIMEOUT_MS + LEASE_MARGIN_MS],
    );
    await Promise.all(due.map((delivery) => this.deliver(delivery)));
    return due.length;
  }

  private async deliver(delivery: DueDelivery): Promise<void> {
    // A test is how an admin checks a disabled endpoint before switching it back on.
    if (!delivery.enabled && delivery.event_type !== 'webhook.test') {
      await this.dataSource.query(
        `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, attempts = attempts - 1,
           last_error = 'subscription disabled' WHERE id = $1`,
        [delivery.id],
      );
      return;
    }
    const answer = await this.attempt(delivery);
    await this.dataSource.transaction((manager) => this.record(manager, delivery, answer));
  }

  private async attempt(delivery: DueDelivery): Promise<Answer> {
    let target: ResolvedTarget;
    try {
      target = await this.guard.target(delivery.url);
    } catch (error) {
      if (!(error instanceof UnsafeWebhookTarget)) throw error;
      return { status: null, error: error.message, latencyMs: 0, retryAfterMs: null };
    }
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const secret = this.secrets.decrypt(delivery.secret_sealed, delivery.subscription_id);
    const answer = await postToTarget(
      delivery.url,
      target,
      {
        'content-type': 'application/json',
        'user-agent': 'Parley-Webhooks/1.0',
        [WEBHOOK_HEADERS.eventId]: delivery.event_id,
        [WEBHOOK_HEADERS.eventType]: delivery.event_type,
        [WEBHOOK_HEADERS.deliveryId]: delivery.id,
        [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
      },
      body,
      this.config.PARTNER_WEBHOOKS_TIMEOUT_MS,
    );
    return { ...answer, retryAfterMs: retryAfterMs(answer.headers['retry-after']) };
  }

  /** The try's row, the delivery's state, and the subscription's streak, together. */
  private async record(manager: EntityManager, delivery: DueDelivery, answer: Answer): Promise<void> {
    await manager.insert(WebhookDeliveryAttempt, {
      orgId: delivery.org_id,
      deliveryId: delivery.id,
      attempt: delivery.attempts,
      statusCode: answer.status,
      error: answer.error,
      latencyMs: answer.latencyMs,
    });
    const last = [answer.status, answer.error, answer.latencyMs];
    if (answer.error === null) {
      await manager.query(
        `UPDATE webhook_deliveries SET status = 'succeeded', next_attempt_at = NULL, delivered_at = now(),
           last_status_code = $2, last_error = $3, last_latency_ms = $4 WHERE id = $1`,
        [delivery.id, ...last],
      );
      await manager.query('UPDATE webhook_subscriptions SET failure_streak = 0 WHERE id = $1 AND failure_streak > 0', [
        delivery.subscription_id,
      ]);
      return;
    }
    const again = isRetryable(answer.status) && delivery.attempts < this.config.PARTNER_WEBHOOKS_MAX_ATTEMPTS;
    const delay = Math.max(
      retryDelayMs(delivery.attempts, this.config.PARTNER_WEBHOOKS_RETRY_BASE_MS),
      answer.retryAfterMs ?? 0,
    );
    await manager.query(
      `UPDATE webhook_deliveries SET status = $5, next_attempt_at = now() + $6 * interval '1 millisecond',
         last_status_code = $2, last_error = $3, last_latency_ms = $4 WHERE id = $1`,
      [delivery.id, ...last, again ? 'pending' : 'failed', again ? delay : null],
    );
    if (delivery.event_type === 'webhook.test') return;
    const [subscription] = await returning<{ failure_streak: number; enabled: boolean }>(
      manager,
      `UPDATE webhook_subscriptions SET failure_streak = failure_streak + 1 WHERE id = $1
       RETURNING failure_streak, enabled`,
      [delivery.subscription_id],
    );
    if (!subscription?.enabled || subscription.failure_streak < this.config.PARTNER_WEBHOOKS_DISABLE_AFTER_FAILURES)
      return;
    await manager.query(
      `UPDATE webhook_subscriptions SET enabled = false, disabled_reason = 'failing', updated_at = now() WHERE id = $1`,
      [delivery.subscription_id],
    );
    await this.audit.record(manager, {
      orgId: delivery.org_id,
      action: 'webhook_subscription.disabled',
      targetType: 'webhook_subscription',
      targetId: delivery.subscription_id,
      changes: {
        before: { enabled: true },
        after: { enabled: false, disabledReason: 'failing', failureStreak: subscription.failure_streak },
      },
      actor: { type: 'system', id: null, label: 'webhook delivery' },
    });
    this.logger.warn(
      `webhook subscription ${delivery.subscription_id} disabled after ${subscription.failure_streak} failed tries in a row`,
    );
  }
}
