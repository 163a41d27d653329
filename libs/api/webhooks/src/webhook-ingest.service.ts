import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  addWithin,
  DomainError,
  ErrorCode,
  MetricsRegistry,
  preparedQuery,
  QueueName,
  safeEqual,
  TtlCache,
} from '@parley/api/core';
import { WabaAccountsService, WebhookTarget } from '@parley/api/waba-accounts';
import { verifySignature } from '@parley/whatsapp/cloud-api';
import type { Queue } from 'bull';
import type { Counter } from 'prom-client';
import { DataSource } from 'typeorm';

export interface ProcessJob {
  eventId: string;
  orgId: string;
}

/** How long the ack waits for Redis before answering anyway (the sweeper queues the event later). */
const ENQUEUE_WAIT_MS = 250;
/** Accounts are looked up once per half minute per process: a rotated app secret applies within 30 s. */
const TARGET_TTL_MS = 30_000;

export const processJobId = (eventId: string) => `event-${eventId}`;

/**
 * The inbound hot path: check the signature on the raw bytes, store the event (one INSERT),
 * queue it, answer. The account lookup is cached, so a POST costs one query. Nothing else happens before the 200, and nothing is stored for a bad signature.
 */
@Injectable()
export class WebhookIngestService {
  private readonly logger = new Logger(WebhookIngestService.name);
  private readonly targets = new TtlCache<string, WebhookTarget | null>(TARGET_TTL_MS);
  private readonly received: Counter<'result'>;

  constructor(
    private readonly accounts: WabaAccountsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.WebhookEvents) private readonly queue: Queue<ProcessJob>,
    metrics: MetricsRegistry,
  ) {
    this.received = metrics.counter('parley_webhooks_received_total', 'Meta webhook POSTs by outcome', ['result']);
  }

  /** Meta's verification handshake: the challenge back when the verify token matches. */
  async verify(accountId: string, mode: unknown, token: unknown, challenge: unknown): Promise<string> {
    const target = await this.target(accountId);
    const ok =
      target &&
      mode === 'subscribe' &&
      typeof token === 'string' &&
      typeof challenge === 'string' &&
      safeEqual(token, target.verifyToken);
    if (!ok) throw new DomainError(ErrorCode.Forbidden, 'Verification failed: wrong verify token or mode');
    return challenge;
  }

  async receive(accountId: string, rawBody: unknown, signature: string | undefined): Promise<void> {
    const target = await this.target(accountId);
    if (!target) {
      this.received.inc({ result: 'unknown_account' });
      throw DomainError.notFound('WhatsApp account');
    }
    if (!Buffer.isBuffer(rawBody) || !verifySignature(rawBody, signature, target.appSecret)) {
      this.received.inc({ result: 'bad_signature' });
      this.logger.warn(`rejected a webhook for account ${accountId}: missing or wrong X-Hub-Signature-256`);
      throw new DomainError(ErrorCode.Unauthenticated, 'Missing or wrong X-Hub-Signature-256');
    }
    const eventId = await this.store(target, rawBody.toString('utf8'));
    const queued = await addWithin(
      this.queue,
      'process',
      { eventId, orgId: target.orgId },
      { jobId: processJobId(eventId) },
      ENQUEUE_WAIT_MS,
    );
    this.received.inc({ result: queued ? 'queued' : 'stored' });
  }

  /**
   * One INSERT, and PostgreSQL parses the JSON (once, off the event loop): malformed JSON (22P02)
   * or a body that is not an object is a 400. Anything else (PostgreSQL down) is a 503, so Meta
   * keeps the event and retries.
   */
  private async store(target: WebhookTarget, json: string): Promise<string> {
    let rows: { id: string }[];
    try {
      rows = await preparedQuery(
        this.dataSource,
        `INSERT INTO webhook_events (org_id, waba_account_id, payload)
         SELECT $1, $2, body FROM (SELECT $3::jsonb AS body) parsed WHERE jsonb_typeof(body) = 'object'
         RETURNING id`,
        [target.orgId, target.accountId, json],
      );
    } catch (error) {
      const code = (error as { driverError?: { code?: string } }).driverError?.code;
      if (code === '22P02' || code === '22P05') {
        this.received.inc({ result: 'malformed' });
        throw new DomainError(ErrorCode.ValidationFailed, 'Request body is not valid JSON');
      }
      this.received.inc({ result: 'store_failed' });
      this.logger.error(`could not store a webhook: ${error instanceof Error ? error.message : String(error)}`);
      throw new DomainError(ErrorCode.ServiceUnavailable, 'Could not store the event; retry later');
    }
    if (!rows[0]) {
      this.received.inc({ result: 'malformed' });
      throw new DomainError(ErrorCode.ValidationFailed, 'A webhook body is a JSON object');
    }
    return String(rows[0].id);
  }

  private async target(accountId: string): Promise<WebhookTarget | null> {
    try {
      return await this.targets.get(accountId, () => this.accounts.findWebhookTarget(accountId));
    } catch (error) {
      this.logger.error(
        `could not look up account ${accountId}: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw new DomainError(ErrorCode.ServiceUnavailable, 'Could not check the account; retry later');
    }
  }
}
