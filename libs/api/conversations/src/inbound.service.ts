import { Injectable } from '@nestjs/common';
import { ContactsService } from '@parley/api/contacts';
import type { PhoneNumber } from '@parley/api/waba-accounts';
import { InboundMessageEvent, nextStatus, StatusEvent } from '@parley/whatsapp/cloud-api';
import { EntityManager } from 'typeorm';
import { Message, Reaction } from './entities/message.entity';

/** What applying an inbound message stored: null when Meta redelivered one we already have. */
export interface AppliedMessage {
  messageId: string;
  conversationId: string;
}

const STATUS_TIME: Record<string, 'sentAt' | 'deliveredAt' | 'readAt' | undefined> = {
  sent: 'sentAt',
  delivered: 'deliveredAt',
  read: 'readAt',
  played: 'readAt',
};

/**
 * Applies what Meta reports to the inbox, idempotently: the same webhook three times stores one
 * message and touches nothing else; statuses only move forward. Runs inside the caller's transaction.
 */
@Injectable()
export class InboundService {
  constructor(private readonly contacts: ContactsService) {}

  async applyMessage(
    manager: EntityManager,
    number: PhoneNumber,
    event: InboundMessageEvent,
  ): Promise<AppliedMessage | null> {
    // Checked first: a redelivery after the conversation was resolved must not open an empty one.
    if (await this.findByWaId(manager, number.id, event.waMessageId)) return null;
    const orgId = number.orgId;
    const contactId = await this.contacts.upsertFromWhatsApp(manager, orgId, {
      waId: event.from,
      profileName: event.profileName,
      inboundAt: event.timestamp,
    });
    const conversationId = await this.openConversation(manager, orgId, number.id, contactId, event.timestamp);
    const quoted = event.context?.waMessageId
      ? await this.findByWaId(manager, number.id, event.context.waMessageId)
      : null;
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, wa_message_id, body, payload,
                             context_wa_message_id, context_message_id, occurred_at)
       VALUES ($1, $2, $3, $4, 'inbound', $5, 'received', $6, $7, $8, $9, $10, $11)
       ON CONFLICT (phone_number_id, wa_message_id) WHERE wa_message_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        orgId,
        conversationId,
        contactId,
        number.id,
        event.type,
        event.waMessageId,
        event.body,
        event.raw,
        event.context?.waMessageId ?? null,
        quoted?.id ?? null,
        event.timestamp,
      ],
    );
    const messageId = inserted[0]?.id;
    if (!messageId) return null;

    if (event.reaction)
      await this.react(manager, number.id, event.reaction.waMessageId, event.reaction.emoji, event.timestamp);
    await manager.query(
      `UPDATE conversations SET
         unread_count = unread_count + $2,
         last_message_at = GREATEST(last_message_at, $3),
         last_message_preview = CASE WHEN last_message_preview IS NULL OR last_message_at <= $3 THEN $4 ELSE last_message_preview END,
         last_inbound_at = GREATEST(last_inbound_at, $3),
         status = CASE WHEN status = 'pending' THEN 'open'::conversation_status ELSE status END,
         updated_at = now()
       WHERE id = $1`,
      [conversationId, event.reaction ? 0 : 1, event.timestamp, event.body.slice(0, 200)],
    );
    return { messageId, conversationId };
  }

  /**
   * Records a status once in the history, then moves the message forward if it should. A status
   * that beats our record of the send stays in the history, keyed by Meta's id, for the send
   * path to apply when it stores the id.
   */
  async applyStatus(manager: EntityManager, number: PhoneNumber, event: StatusEvent): Promise<void> {
    await manager.query(
      `INSERT INTO message_status_events (org_id, phone_number_id, wa_message_id, status, occurred_at, pricing, errors)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (phone_number_id, wa_message_id, status) DO NOTHING`,
      [
        number.orgId,
        number.id,
        event.waMessageId,
        event.status,
        event.timestamp,
        event.pricing ? JSON.stringify(event.pricing) : null,
        event.errors.length > 0 ? JSON.stringify(event.errors) : null,
      ],
    );
    const message = await manager.findOne(Message, {
      where: { phoneNumberId: number.id, waMessageId: event.waMessageId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!message) return;
    const changes: Pick<
      Partial<Message>,
      'status' | 'sentAt' | 'deliveredAt' | 'readAt' | 'errorCode' | 'errorTitle'
    > = {};
    const timeColumn = STATUS_TIME[event.status];
    // Timestamps are recorded even when the status itself does not move (a late `delivered` after `read`).
    if (timeColumn && !message[timeColumn]) changes[timeColumn] = event.timestamp;
    const next = nextStatus(message.status, event.status);
    if (next) changes.status = next;
    if (next === 'failed') {
      changes.errorCode = event.errors[0]?.code ?? null;
      changes.errorTitle = event.errors[0]?.title ?? null;
    }
    if (Object.keys(changes).length > 0) await manager.update(Message, { id: message.id }, changes);
  }

  private findByWaId(
    manager: EntityManager,
    phoneNumberId: string,
    waMessageId: string,
  ): Promise<Pick<Message, 'id'> | null> {
    return manager.findOne(Message, { select: { id: true }, where: { phoneNumberId, waMessageId } });
  }

  /** The id of the contact's unresolved conversation on the number, opened on first contact (or after the last was resolved). */
  private async openConversation(
    manager: EntityManager,
    orgId: string,
    phoneNumberId: string,
    contactId: string,
    at: Date,
  ): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `WITH opened AS (
         INSERT INTO conversations (org_id, phone_number_id, contact_id, status, last_message_at)
         VALUES ($1, $2, $3, 'open', $4)
         ON CONFLICT (phone_number_id, contact_id) WHERE status <> 'resolved' DO NOTHING
         RETURNING id
       )
       SELECT id FROM opened
       UNION ALL
       SELECT id FROM conversations WHERE phone_number_id = $2 AND contact_id = $3 AND status <> 'resolved'
       LIMIT 1`,
      [orgId, phoneNumberId, contactId, at],
    );
    if (rows[0]) return rows[0].id;
    // Opened by a transaction that committed after this statement's snapshot: a new statement sees it.
    const [existing]: { id: string }[] = await manager.query(
      `SELECT id FROM conversations WHERE phone_number_id = $1 AND contact_id = $2 AND status <> 'resolved'`,
      [phoneNumberId, contactId],
    );
    if (!existing) throw new Error(`no open conversation for contact ${contactId} on number ${phoneNumberId}`);
    return existing.id;
  }

  /** WhatsApp keeps one reaction per person per message: the contact's replaces theirs; an empty emoji removes it. */
  private async react(
    manager: EntityManager,
    phoneNumberId: string,
    targetWaMessageId: string,
    emoji: string | null,
    at: Date,
  ): Promise<void> {
    const target = await manager.findOne(Message, {
      where: { phoneNumberId, waMessageId: targetWaMessageId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!target) return;
    const reactions: Reaction[] = target.reactions.filter((r) => r.by !== 'contact');
    if (emoji) reactions.push({ emoji, by: 'contact', at: at.toISOString() });
    await manager.update(Message, { id: target.id }, { reactions });
  }
}
