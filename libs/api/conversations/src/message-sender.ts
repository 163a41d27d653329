import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AppConfig,
  DomainError,
  isUuid,
  jitteredBackoff,
  KeyedBatcher,
  Pacer,
  QueueName,
  requeue,
  returning,
} from '@parley/api/core';
import { MediaService } from '@parley/api/media';
import { GraphApiClients, PhoneNumber, TokenHealthService, WabaAccountsService } from '@parley/api/waba-accounts';
import { CloudApiClient, GraphApiError, OutboundContent, SendMessageInput } from '@parley/whatsapp/cloud-api';
import type { Queue } from 'bull';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { Message, UNSENT_SQL } from './entities/message.entity';
import { InboundService } from './inbound.service';
import { InboxEvents } from './inbox-events';
import { mediaRefsOf } from './media-refs';
import { OutboundService, SendBatchJob, SendJob } from './outbound.service';

/** A stored send body: Meta's content, and the quoted message's Meta id for a reply. */
type SendBody = OutboundContent & { context?: { message_id: string } };

export type SendOutcome = 'sent' | 'failed' | 'skipped' | 'unknown';

/** A message Meta took, under the id it gave it. */
interface Accepted {
  number: PhoneNumber;
  id: string;
  waMessageId: string;
}

export interface ReadReceiptJob {
  orgId: string;
  /** Our phone number row. */
  phoneNumberId: string;
  waMessageId: string;
}

/**
 * Meta counts a number's messages in any one second. Sends space themselves evenly at the number's
 * limit, and each call to Meta also holds one of `limit` slots until a second after its answer
 * (`Pacer.withinLimit`): evenly spaced sends still bunch when an event loop stalls, and this bound
 * holds whatever the jitter, at the cost of the calls' own latency (99% of the limit at 10 ms).
 */
const LIMIT_WINDOW_MS = 1_000;
const SWEEP_BATCH = 500;
/** Calls to Meta in flight per lot of a send batch. */
const BATCH_IN_FLIGHT = 8;
/** Meta's code for an access token it no longer accepts (expired, revoked, password changed). */
const ACCESS_TOKEN_REFUSED = 190;
/** Meta's acceptances of one number recorded per statement at most (they wait for the one before). */
const RECORD_BATCH = 200;
/** Recording Meta's acceptance is retried through a database blip: a few tries, a little apart. */
const RECORD_ATTEMPTS = 3;
const RECORD_RETRY_MS = 200;

/**
 * The outbound path's second half, in the worker: sends a queued message through the Graph API at
 * the number's pace (shared by every worker through Redis), records Meta's id, or the error —
 * retrying what can succeed later (rate limits, 5xx, network) with jittered exponential backoff.
 *
 * Exactly once: a worker claims a message (`sending_at`) before calling Meta. When the call's
 * outcome is unknown (a timeout, or the worker died mid-call), nothing sends it again until
 * SEND_LEASE_MS passed without Meta's status webhook naming it (we pass our id as
 * `biz_opaque_callback_data`, which Meta echoes); only then is it tried again.
 */
@Injectable()
export class MessageSender {
  private readonly logger = new Logger(MessageSender.name);
  /**
   * Meta's acceptances, recorded as they come (group commit per number), not when a whole lot is
   * through: Meta's `sent` webhook follows within a fraction of a second, and finds the id recorded.
   */
  private readonly records = new KeyedBatcher<Accepted, SendOutcome>(RECORD_BATCH, async (_numberId, batch) => {
    const outcome = await this.recordAccepted(batch);
    return batch.map(() => ({ status: 'fulfilled', value: outcome }));
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.OutboundMessages) private readonly queue: Queue<SendJob>,
    private readonly accounts: WabaAccountsService,
    private readonly clients: GraphApiClients,
    private readonly tokenHealth: TokenHealthService,
    private readonly media: MediaService,
    private readonly pacer: Pacer,
    private readonly inbound: InboundService,
    private readonly outbound: OutboundService,
    private readonly events: InboxEvents,
    private readonly config: AppConfig,
  ) {}

  async send(orgId: string, messageId: string, lastJobAttempt: boolean): Promise<SendOutcome> {
    const message = await this.dataSource.getRepository(Message).findOneBy({ orgId, id: messageId });
    if (!message || message.direction !== 'outbound' || message.status !== 'queued' || message.waMessageId)
      return 'skipped';
    if (message.sendingAt) return 'unknown'; // another attempt's outcome is pending: the sweeper decides
    const lastAttempt = lastJobAttempt || message.sendAttempts + 1 >= this.config.SEND_MAX_ATTEMPTS;
    let claimedAt: Date | null = null;
    let accepted: { number: PhoneNumber; waMessageId: string };
    try {
      const [recipient]: { phone: string; erased_at: Date | null }[] = await this.dataSource.query(
        'SELECT phone, erased_at FROM contacts WHERE id = $1 AND org_id = $2',
        [message.contactId, orgId],
      );
      if (!recipient || recipient.erased_at)
        return this.fail(message, null, 'The contact was erased before the message went out');
      const number = await this.accounts.phoneNumber(orgId, message.phoneNumberId);
      const client = await this.clients.forAccount(orgId, number.wabaAccountId);
      const content = await this.withMetaMediaIds(orgId, message, number);
      // Claimed before the wait, so nothing but the call itself stands between the slot and Meta.
      claimedAt = await this.claim(message.id);
      if (!claimedAt) return 'skipped';
      const waMessageId = await this.paceAndSend(client, number, {
        id: message.id,
        claimedAt,
        to: recipient.phone,
        content,
      });
      if (!waMessageId) return 'skipped';
      accepted = { number, waMessageId };
    } catch (error) {
      return this.attemptFailed(message, error, lastAttempt, claimedAt);
    }
    // Meta took it: from here on the claim is never released, or a retry would send it again.
    return this.records.submit(accepted.number.id, {
      number: accepted.number,
      id: message.id,
      waMessageId: accepted.waMessageId,
    });
  }

  /**
   * Sends a lot of queued messages of one org and number (a campaign's batch) with one claim, one
   * recipient lookup and one record for the lot; each call to Meta still waits for its own slot at
   * the number's pace. The guarantees are `send`'s: claimed before the call, never released once
   * Meta may have taken it. A message that fails in a retryable way goes on as a `send` job of its own.
   */
  async sendBatch(job: SendBatchJob): Promise<void> {
    const { orgId, messageIds } = job;
    const number = await this.accounts.phoneNumber(orgId, job.phoneNumberId);
    const client = await this.clients.forAccount(orgId, number.wabaAccountId);
    const claimed: {
      id: string;
      payload: Message['payload'];
      sending_at: Date;
      send_attempts: number;
      phone: string;
      erased: boolean;
    }[] = await returning(
      this.dataSource,
      // Joined to the ids, so the plan goes by primary key whatever the table's statistics say (a
      // young org's can make a scan of its whole index look cheaper).
      `UPDATE messages m SET sending_at = now(), send_attempts = m.send_attempts + 1
         FROM unnest($1::uuid[]) AS x(id), contacts c
         WHERE m.id = x.id AND m.org_id = $2 AND m.phone_number_id = $3 AND c.id = m.contact_id
           AND m.direction = 'outbound' AND m.status = 'queued' AND m.sending_at IS NULL AND m.wa_message_id IS NULL
         RETURNING m.id, m.payload, m.sending_at, m.send_attempts, c.phone, c.erased_at IS NOT NULL AS erased`,
      [messageIds, orgId, number.id],
    );
    const recorded: Promise<SendOutcome>[] = [];
    let next = 0;
    const sendNext = async (): Promise<void> => {
      for (let row = claimed[next++]; row; row = claimed[next++]) {
        const message = { id: row.id, orgId, payload: row.payload, sendAttempts: row.send_attempts };
        if (row.erased) {
          await this.failById(orgId, row.id, null, 'The contact was erased before the message went out');
          continue;
        }
        try {
          const content = await this.withMetaMediaIds(orgId, message, number);
          const waMessageId = await this.paceAndSend(client, number, {
            id: row.id,
            claimedAt: row.sending_at,
            to: row.phone,
            content,
          });
          if (waMessageId) recorded.push(this.records.submit(number.id, { number, id: row.id, waMessageId }));
        } catch (error) {
          await this.batchAttemptFailed(message, error, row.sending_at);
        }
      }
    };
    // A few calls in flight per lot: past what the machines can answer, more would only time out.
    await Promise.all(Array.from({ length: BATCH_IN_FLIGHT }, sendNext));
    await Promise.all(recorded);
  }

  /**
   * The call to Meta for a claimed message: waits for the number's slot, checks the claim still
   * stands when the wait came near the lease (a very slow number: the sweeper may have handed the
   * message on), and sends with our id as `biz_opaque_callback_data`. Meta's id, or null when the
   * claim was lost.
   */
  private async paceAndSend(
    client: CloudApiClient,
    number: PhoneNumber,
    message: { id: string; claimedAt: Date; to: string; content: SendBody },
  ): Promise<string | null> {
    const key = `number:${number.id}`;
    await this.pacer.wait(key, number.throughputMps);
    return this.pacer.withinLimit(key, number.throughputMps, LIMIT_WINDOW_MS, async () => {
      if (
        Date.now() - message.claimedAt.getTime() > this.config.SEND_LEASE_MS / 2 &&
        !(await this.holds(message.id, message.claimedAt))
      )
        return null;
      const { context, ...content } = message.content;
      const input: SendMessageInput = {
        ...(content as OutboundContent),
        to: message.to,
        ...(context && { context }),
        biz_opaque_callback_data: message.id,
      };
      try {
        return (await client.sendMessage(number.phoneNumberId, input)).waMessageId;
      } catch (error) {
        // An expired or revoked token: the worker checks the account's token now, not a day later (and
        // the console shows the banner). Not awaited: the send's own outcome is Meta's error.
        if (error instanceof GraphApiError && error.code === ACCESS_TOKEN_REFUSED)
          this.tokenHealth
            .checkSoon(number.orgId, number.wabaAccountId)
            .catch((failure: unknown) => this.logger.warn(`could not schedule a token check: ${String(failure)}`));
        throw error;
      }
    });
  }

  /** Sends a read receipt (blue ticks on the customer's phone) for an inbound message and those before it. */
  async markRead(job: ReadReceiptJob): Promise<void> {
    const number = await this.accounts.phoneNumber(job.orgId, job.phoneNumberId);
    const client = await this.clients.forAccount(job.orgId, number.wabaAccountId);
    try {
      await client.markRead(number.phoneNumberId, job.waMessageId);
    } catch (error) {
      // Meta refuses receipts for messages over 30 days old, and other non-retryable cases: nothing to redo.
      if (error instanceof GraphApiError && !error.retryable) {
        this.logger.warn(`read receipt refused by Meta: ${error.message}`);
        return;
      }
      throw error;
    }
  }

  /**
   * Puts stragglers back on the queue: messages Redis never got (the api answered 202 while it was
   * away) or whose job died with its worker, and sends whose outcome stayed unknown past the lease
   * (no status webhook named them, so Meta did not take them). Those out of attempts fail.
   */
  async sweep(): Promise<number> {
    const stale: { id: string; org_id: string; sending_at: Date | null; send_attempts: number }[] =
      await this.dataSource.query(
        `SELECT id, org_id, sending_at, send_attempts FROM messages
         WHERE status = 'queued' AND ${UNSENT_SQL}
           AND created_at < now() - ($1 || ' milliseconds')::interval
           AND (sending_at IS NULL OR sending_at < now() - ($2 || ' milliseconds')::interval)
         ORDER BY created_at LIMIT $3`,
        [this.config.SEND_SWEEP_AFTER_MS, this.config.SEND_LEASE_MS, SWEEP_BATCH],
      );
    let queued = 0;
    for (const row of stale) {
      if (row.sending_at) {
        if (row.send_attempts >= this.config.SEND_MAX_ATTEMPTS) {
          await this.failById(row.org_id, row.id, null, 'No answer from Meta about this message after every attempt');
          continue;
        }
        // Meta's status naming it may be stored but not applied yet: wait while the org's webhooks are behind.
        const behind: unknown[] = await this.dataSource.query(
          `SELECT 1 FROM webhook_events WHERE org_id = $1 AND status IN ('pending', 'failed') LIMIT 1`,
          [row.org_id],
        );
        if (behind.length > 0) continue;
        // The lease ran out with no word from Meta: release it (unless a status webhook just took it).
        const released = await returning(
          this.dataSource,
          `UPDATE messages SET sending_at = NULL WHERE id = $1 AND sending_at = $2 AND wa_message_id IS NULL RETURNING id`,
          [row.id, row.sending_at],
        );
        if (released.length === 0) continue;
      }
      const data = { orgId: row.org_id, messageId: row.id };
      if (await requeue(this.queue, 'send', data, this.outbound.sendJobOptions(row.id))) queued += 1;
    }
    if (queued > 0) this.logger.log(`re-queued ${queued} outbound messages`);
    return queued;
  }

  /** The stored send body with our media ids turned into Meta's (a file is uploaded to the number the first time it goes out). */
  private async withMetaMediaIds(
    orgId: string,
    message: Pick<Message, 'payload'>,
    number: PhoneNumber,
  ): Promise<SendBody> {
    const stored = message.payload as unknown as SendBody;
    if (!mediaRefsOf(stored).some(({ ref }) => isUuid(ref.id))) return stored;
    const body = structuredClone(stored);
    for (const { ref } of mediaRefsOf(body)) {
      if (isUuid(ref.id)) ref.id = await this.media.waMediaIdFor(orgId, ref.id, number);
    }
    return body;
  }

  /** Marks the message as being sent; the claim's time, or null when another worker got there first. */
  private async claim(messageId: string): Promise<Date | null> {
    const [row] = await returning<{ sending_at: Date }>(
      this.dataSource,
      `UPDATE messages SET sending_at = now(), send_attempts = send_attempts + 1
       WHERE id = $1 AND status = 'queued' AND sending_at IS NULL AND wa_message_id IS NULL
       RETURNING sending_at`,
      [messageId],
    );
    return row?.sending_at ?? null;
  }

  /** Whether the claim made at `claimedAt` still stands. */
  private async holds(messageId: string, claimedAt: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM messages WHERE id = $1 AND sending_at = $2', [
      messageId,
      claimedAt,
    ]);
    return rows.length > 0;
  }

  /**
   * Meta took them: record their ids (a status webhook may have got here first and moved one on)
   * and apply statuses that came early. The rows are locked in id order first, as status webhooks
   * lock them, so the two can't deadlock. Retried through a database blip; if it still fails, the
   * claims stay and the next status webhook completes each message by the id we gave Meta.
   */
  private async recordAccepted(accepted: Accepted[]): Promise<SendOutcome> {
    const number = accepted[0]?.number;
    if (!number) return 'sent';
    const ids = accepted.map((a) => a.id);
    const waMessageIds = accepted.map((a) => a.waMessageId);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.dataSource.transaction(async (manager) => {
          await manager.query(
            `SELECT 1 FROM messages WHERE id = ANY($1::uuid[]) AND org_id = $2 ORDER BY id FOR UPDATE`,
            [ids, number.orgId],
          );
          await manager.query(
            `UPDATE messages m SET wa_message_id = x.wa_message_id, sending_at = NULL, sent_at = COALESCE(m.sent_at, LEAST(now(), m.delivered_at, m.read_at)),
                    status = CASE WHEN m.status = 'queued' THEN 'sent'::message_status ELSE m.status END
             FROM unnest($1::uuid[], $2::text[]) AS x(id, wa_message_id)
             WHERE m.id = x.id AND m.org_id = $3`,
            [ids, waMessageIds, number.orgId],
          );
          await this.inbound.applyRecordedStatuses(manager, number, waMessageIds);
        });
        break;
      } catch (error) {
        if (attempt >= RECORD_ATTEMPTS) {
          this.logger.error(
            `messages ${ids.join(', ')} were sent as ${waMessageIds.join(', ')} but could not be recorded: ${error instanceof Error ? error.message : String(error)}`,
          );
          return 'unknown';
        }
        await sleep(RECORD_RETRY_MS * attempt);
      }
    }
    await this.events.messages(number.orgId, 'message.updated', ids);
    return 'sent';
  }

  /**
   * One message of a batch did not go: an unknown outcome keeps its claim (the sweeper decides),
   * a retryable failure releases it and continues as a `send` job of its own after a jittered
   * backoff, anything else (or the last attempt) fails it with Meta's code.
   */
  private async batchAttemptFailed(
    message: Pick<Message, 'id' | 'orgId' | 'sendAttempts'>,
    error: unknown,
    claimedAt: Date,
  ): Promise<void> {
    if (error instanceof GraphApiError && error.outcomeUnknown) {
      this.logger.warn(`message ${message.id}: outcome unknown (${error.message}); waiting for Meta's webhook`);
      return;
    }
    if (retryable(error) && message.sendAttempts < this.config.SEND_MAX_ATTEMPTS) {
      await this.dataSource.query('UPDATE messages SET sending_at = NULL WHERE id = $1 AND sending_at = $2', [
        message.id,
        claimedAt,
      ]);
      const delay = jitteredBackoff(message.sendAttempts, error, { baseMs: this.config.SEND_RETRY_BASE_MS });
      await requeue(
        this.queue,
        'send',
        { orgId: message.orgId, messageId: message.id },
        {
          ...this.outbound.sendJobOptions(message.id),
          delay,
        },
      );
      return;
    }
    if (error instanceof GraphApiError) return this.failById(message.orgId, message.id, error.code, error.title);
    this.logger.error(`message ${message.id} failed: ${error instanceof Error ? error.message : String(error)}`);
    return this.failById(
      message.orgId,
      message.id,
      null,
      error instanceof DomainError ? error.message : 'Could not send',
    );
  }

  /**
   * An attempt that did not end in Meta's acceptance. Only a call that reached Meta with an unknown
   * outcome keeps its claim; every other failure releases the claim it holds (and only its own:
   * a stalled copy of the job must not free another copy's) and counts as an attempt.
   */
  private async attemptFailed(
    message: Message,
    error: unknown,
    lastAttempt: boolean,
    claimedAt: Date | null,
  ): Promise<SendOutcome> {
    if (claimedAt && error instanceof GraphApiError && error.outcomeUnknown) {
      this.logger.warn(`message ${message.id}: outcome unknown (${error.message}); waiting for Meta's webhook`);
      return 'unknown';
    }
    if (retryable(error) && !lastAttempt) {
      await this.dataSource.query(
        claimedAt
          ? 'UPDATE messages SET sending_at = NULL WHERE id = $1 AND sending_at = $2'
          : 'UPDATE messages SET send_attempts = send_attempts + 1 WHERE id = $1',
        claimedAt ? [message.id, claimedAt] : [message.id],
      );
      throw error; // Bull retries with jittered backoff
    }
    if (error instanceof GraphApiError) return this.fail(message, error.code, error.title);
    this.logger.error(`message ${message.id} failed: ${error instanceof Error ? error.message : String(error)}`);
    return this.fail(message, null, error instanceof DomainError ? error.message : 'Could not send');
  }

  private async fail(message: Message, code: number | null, title: string): Promise<SendOutcome> {
    await this.failById(message.orgId, message.id, code, title);
    return 'failed';
  }

  private async failById(orgId: string, messageId: string, code: number | null, title: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE messages SET status = 'failed', error_code = $2, error_title = $3, sending_at = NULL
       WHERE id = $1 AND status = 'queued' AND wa_message_id IS NULL`,
      [messageId, code, title.slice(0, 500)],
    );
    await this.events.messages(orgId, 'message.updated', [messageId]);
  }
}

/** Meta's verdict decides; our own refusals (a deleted file) are final; anything else (the database blinked) may pass. */
function retryable(error: unknown): boolean {
  return error instanceof GraphApiError ? error.retryable : !(error instanceof DomainError);
}
