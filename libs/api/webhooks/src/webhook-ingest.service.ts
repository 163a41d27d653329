import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  addWithin,
  DomainError,
  ErrorCode,
  KeyedBatcher,
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

/** The most webhooks stored by one INSERT. */
const STORE_BATCH = 64;

export const processJobId = (eventId: string) => `event-${eventId}`;

/** A body PostgreSQL refused to parse as JSON. */
const isMalformed = (error: unknown) => {
  const code = (error as { driverError?: { code?: string } }).driverError?.code;
  return code === '22P02' || code === '22P05';
};

interface Received {
  target: WebhookTarget;
  json: string;
}

/**
 * The inbound hot path: check the signature on the raw bytes, store the event (one INSERT, shared
 * by the account's POSTs of the moment), queue it, answer. The account lookup is cached, so a POST
 * costs at most one query. Nothing else happens before the 200, and nothing is stored for a bad
 * signature.
 */
@Injectable()
export class WebhookIngestService {
  private readonly logger = new Logger(WebhookIngestService.name);
  private readonly targets = new TtlCache<string, WebhookTarget | null>(TARGET_TTL_MS);
  private readonly received: Counter<'result'>;
  /** Group commit: the POSTs for one account that come while its INSERT runs share the next one. */
  private readonly stores = new KeyedBatcher<Received, string | null>(STORE_BATCH, (_accountId, batch) =>
    this.storeAll(batch),
  );

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
   * keeps the event and retries. Bodies that open as an object (all of Meta's) are stored together
   * with the account's other POSTs of the moment; the rest go alone, to be told apart.
   */
  private async store(target: WebhookTarget, json: string): Promise<string> {
    let id: string | null;
    try {
      id = json.trimStart().startsWith('{')
        ? await this.stores.submit(target.accountId, { target, json })
        : await this.storeOne({ target, json });
    } catch (error) {
      if (isMalformed(error)) {
        this.received.inc({ result: 'malformed' });
        throw new DomainError(ErrorCode.ValidationFailed, 'Request body is not valid JSON');
      }
      this.received.inc({ result: 'store_failed' });
      this.logger.error(`could not store a webhook: ${error instanceof Error ? error.message : String(error)}`);
      throw new DomainError(ErrorCode.ServiceUnavailable, 'Could not store the event; retry later');
    }
    if (!id) {
      this.received.inc({ result: 'malformed' });
      throw new DomainError(ErrorCode.ValidationFailed, 'A webhook body is a JSON object');
    }
    return id;
  }

  /**
   * A batch of one account's webhooks in one INSERT: one statement and one commit for all. Which
   * request gets which id does not matter (same org, same account, each id to one request); ids
   * follow the order the requests came in. If a body is malformed, each is stored alone, so only
   * that one is refused.
   */
  private async storeAll(batch: Received[]): Promise<PromiseSettledResult<string | null>[]> {
    const [first] = batch;
    if (first && batch.length > 1) {
      try {
        const rows = await preparedQuery<{ id: string }>(
          this.dataSource,
          `INSERT INTO webhook_events (org_id, waba_account_id, payload)
           SELECT $1, $2, b.body::jsonb FROM unnest($3::text[]) WITH ORDINALITY AS b(body, n) ORDER BY b.n
           RETURNING id`,
          [first.target.orgId, first.target.accountId, batch.map((received) => received.json)],
        );
        return batch.map((_, index) => ({ status: 'fulfilled', value: rows[index] ? String(rows[index].id) : null }));
      } catch (error) {
        if (!isMalformed(error)) return batch.map(() => ({ status: 'rejected', reason: error }));
      }
    }
    return Promise.allSettled(batch.map((received) => this.storeOne(received)));
  }

  /** One webhook; null when its body is JSON but not an object. */
  private async storeOne({ target, json }: Received): Promise<string | null> {
    const rows = await preparedQuery<{ id: string }>(
      this.dataSource,
      `INSERT INTO webhook_events (org_id, waba_account_id, payload)
       SELECT $1, $2, body FROM (SELECT $3::jsonb AS body) parsed WHERE jsonb_typeof(body) = 'object'
       RETURNING id`,
      [target.orgId, target.accountId, json],
    );
    return rows[0] ? String(rows[0].id) : null;
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
