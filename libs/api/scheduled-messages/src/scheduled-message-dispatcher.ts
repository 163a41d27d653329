import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ContactsService } from '@parley/api/contacts';
import { Message, OutboundService } from '@parley/api/conversations';
import { DomainError, ErrorCode, returning } from '@parley/api/core';
import { WabaAccountsService } from '@parley/api/waba-accounts';
import { DataSource } from 'typeorm';

/** Rows claimed per tick; the rest wait for the next one. */
const BATCH = 100;
/** Sends handed to the outbound path at once (each stores a message and queues it, a few milliseconds). */
const CONCURRENCY = 10;
/** A row `sending` this long lost its worker: it goes back to `scheduled` (the idempotency key makes the retry safe). */
const STUCK_AFTER = '1 minute';

interface ClaimedRow {
  id: string;
  org_id: string;
  contact_id: string;
  phone_number_id: string;
  template: Record<string, unknown>;
  created_by: string | null;
}

/** The idempotency key of a scheduled message's send: a retry after a crash answers the message already made. */
const scheduledSendKey = (id: string) => `scheduled:${id}`;

/**
 * The worker's half of scheduled messages: claims the due rows (`SKIP LOCKED`, so several workers
 * share them and a cancel waits for the claim), hands each to the outbound path as a partner send
 * would be, and records the message it became, or why it was refused.
 */
@Injectable()
export class ScheduledMessageDispatcher {
  private readonly logger = new Logger(ScheduledMessageDispatcher.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
    private readonly accounts: WabaAccountsService,
    private readonly outbound: OutboundService,
  ) {}

  /** One tick: releases rows a dead worker left, then sends what is due. Answers how many it claimed. */
  async dispatchDue(): Promise<number> {
    await this.dataSource.query(
      `UPDATE scheduled_messages SET status = 'scheduled', updated_at = now()
       WHERE status = 'sending' AND updated_at < now() - $1::interval`,
      [STUCK_AFTER],
    );
    const claimed = await returning<ClaimedRow>(
      this.dataSource,
      `UPDATE scheduled_messages SET status = 'sending', updated_at = now()
       WHERE id IN (
         SELECT id FROM scheduled_messages
         WHERE status = 'scheduled' AND scheduled_at <= now()
         ORDER BY scheduled_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED
       )
       RETURNING id, org_id, contact_id, phone_number_id, template, created_by`,
      [BATCH],
    );
    for (let i = 0; i < claimed.length; i += CONCURRENCY) {
      await Promise.all(claimed.slice(i, i + CONCURRENCY).map((row) => this.dispatch(row)));
    }
    return claimed.length;
  }

  /**
   * A refusal (a domain error: the template was paused, the contact opted out...) fails the row
   * for good. When even that can't be written (the database is gone), the row stays `sending` and
   * is released after a minute.
   */
  private async dispatch(row: ClaimedRow): Promise<void> {
    let message: Message;
    try {
      message = await this.send(row);
    } catch (error) {
      const refusal =
        error instanceof DomainError
          ? { code: error.code, message: error.message }
          : { code: ErrorCode.Internal, message: 'The send failed unexpectedly; see the worker log' };
      if (!(error instanceof DomainError))
        this.logger.error(`Scheduled message ${row.id} failed`, error instanceof Error ? error.stack : String(error));
      await this.dataSource.query(
        `UPDATE scheduled_messages SET status = 'failed', error_code = $2, error_message = $3, updated_at = now()
         WHERE id = $1 AND status = 'sending'`,
        [row.id, refusal.code, refusal.message],
      );
      return;
    }
    await this.dataSource.query(
      `UPDATE scheduled_messages SET status = 'sent', message_id = $2, updated_at = now()
       WHERE id = $1 AND status = 'sending'`,
      [row.id, message.id],
    );
  }

  private async send(row: ClaimedRow): Promise<Message> {
    const contact = await this.contacts.get(row.org_id, row.contact_id);
    if (contact.erasedAt)
      throw DomainError.invalidField(ErrorCode.ContactErased, 'contactId', "The contact's personal data was erased");
    const number = await this.accounts.phoneNumber(row.org_id, row.phone_number_id);
    return this.outbound.sendToPhone(
      row.org_id,
      { to: contact.phone, phoneNumberId: number.phoneNumberId, type: 'template', template: row.template },
      { idempotencyKey: scheduledSendKey(row.id), senderId: row.created_by },
    );
  }
}
