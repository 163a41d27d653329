import { Injectable } from '@nestjs/common';
import { ContactsService, OptInKeywords } from '@parley/api/contacts';
import { isUuid, preparedQuery, returning } from '@parley/api/core';
import { MediaService } from '@parley/api/media';
import type { PhoneNumber } from '@parley/api/waba-accounts';
import {
  DeliveryStatus,
  InboundMessageEvent,
  MetaErrorSummary,
  nextStatus,
  StatusEvent,
} from '@parley/whatsapp/cloud-api';
import { EntityManager } from 'typeorm';
import { Message, Reaction } from './entities/message.entity';
import { openConversationFor } from './open-conversation';
import { OutboundService } from './outbound.service';

/** What applying an inbound message stored, and what is left to do once it commits. Null when Meta redelivered one we already have. */
export interface AppliedMessage {
  messageId: string;
  conversationId: string;
  /** The file to download from Meta. */
  mediaId: string | null;
  /** The message whose reactions changed, when this was a reaction. */
  reactedMessageId: string | null;
  /** The customer wrote an opt-out or opt-in word: our confirmation, stored `queued`, to send. */
  replyId: string | null;
  contactId: string;
  /** This message opened the conversation (first contact, or the last one was resolved). */
  newConversation: boolean;
  /** The opt-out or opt-in word it carried, if any. */
  optIn: 'opt_out' | 'opt_in' | null;
}

/** Message types whose text can be an opt-out or opt-in word (typed, or a button such as "Stop promotions"). */
const KEYWORD_TYPES = new Set(['text', 'button', 'interactive']);

const TIME_ORDER = ['sentAt', 'deliveredAt', 'readAt'] as const;

const STATUS_TIME: Record<string, (typeof TIME_ORDER)[number] | undefined> = {
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
  constructor(
    private readonly contacts: ContactsService,
    private readonly keywords: OptInKeywords,
    private readonly media: MediaService,
    private readonly outbound: OutboundService,
  ) {}

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
    const { id: conversationId, created: newConversation } = await openConversationFor(manager, {
      orgId,
      phoneNumberId: number.id,
      contactId,
      at: event.timestamp,
    });
    const quoted = event.context?.waMessageId
      ? await this.findByWaId(manager, number.id, event.context.waMessageId)
      : null;
    const inserted = await preparedQuery<{ id: string }>(
      manager,
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
    // Only once the message is ours: a concurrent copy of the webhook must not leave a file row behind.
    const mediaId = event.media ? await this.media.recordInbound(manager, number, event.media) : null;
    if (mediaId) await manager.query('UPDATE messages SET media_id = $2 WHERE id = $1', [messageId, mediaId]);

    const reactedMessageId = event.reaction
      ? await this.react(manager, number.id, event.reaction.waMessageId, event.reaction.emoji, event.timestamp)
      : null;
    await preparedQuery(
      manager,
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
    const optIn = KEYWORD_TYPES.has(event.type) ? await this.keywords.actionFor(orgId, event.body) : null;
    let replyId: string | null = null;
    if (optIn) {
      await this.keywords.apply(manager, orgId, contactId, optIn.action, event.timestamp);
      replyId = await this.outbound.storeReply(
        manager,
        { orgId, conversationId, contactId, phoneNumberId: number.id },
        optIn.reply,
      );
    }
    return {
      messageId,
      conversationId,
      mediaId,
      reactedMessageId,
      replyId,
      contactId,
      newConversation,
      optIn: optIn?.action ?? null,
    };
  }

  /**
   * Records a status once in the history, then moves the message forward if it should; returns
   * the id of the message that changed. A status that beats our record of the send stays in the
   * history, keyed by Meta's id, for the send path to apply (`applyRecordedStatuses`). A send whose
   * outcome we never learned (the worker died mid-call) is recognized by the id we gave Meta in
   * `biz_opaque_callback_data`, which Meta echoes in every status.
   */
  async applyStatus(manager: EntityManager, number: PhoneNumber, event: StatusEvent): Promise<string | null> {
    await preparedQuery(
      manager,
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
    const message =
      (await this.lockByWaId(manager, number.id, event.waMessageId)) ?? (await this.reconcile(manager, number, event));
    if (!message) return null;
    return (await this.advance(manager, message, event.status, event.timestamp, event.errors)) ? message.id : null;
  }

  /** Applies, in order, the statuses Meta reported before the send path recorded Meta's id for the message. */
  async applyRecordedStatuses(manager: EntityManager, number: PhoneNumber, waMessageId: string): Promise<void> {
    const message = await this.lockByWaId(manager, number.id, waMessageId);
    if (!message) return;
    const history: { status: DeliveryStatus; occurred_at: Date; errors: MetaErrorSummary[] | null }[] =
      await manager.query(
        `SELECT status, occurred_at, errors FROM message_status_events
         WHERE phone_number_id = $1 AND wa_message_id = $2 ORDER BY occurred_at, id`,
        [number.id, waMessageId],
      );
    for (const row of history) await this.advance(manager, message, row.status, row.occurred_at, row.errors ?? []);
  }

  /** Moves a message forward by one reported status; false when nothing changed. */
  private async advance(
    manager: EntityManager,
    message: Message,
    status: DeliveryStatus | string,
    at: Date,
    errors: MetaErrorSummary[],
  ): Promise<boolean> {
    const changes: Pick<
      Partial<Message>,
      'status' | 'sentAt' | 'deliveredAt' | 'readAt' | 'errorCode' | 'errorTitle'
    > = {};
    const timeColumn = STATUS_TIME[status];
    // Timestamps are recorded even when the status itself does not move (a late `delivered` after `read`).
    // Meta's are whole seconds and ours (the send) milliseconds: a tick is never dated before the one
    // it follows, nor after one that follows it.
    if (timeColumn && !message[timeColumn]) {
      const index = TIME_ORDER.indexOf(timeColumn);
      const earlier = TIME_ORDER.slice(0, index).map((column) => message[column]?.getTime() ?? 0);
      const later = TIME_ORDER.slice(index + 1).flatMap((column) => message[column]?.getTime() ?? []);
      changes[timeColumn] = new Date(Math.min(Math.max(at.getTime(), ...earlier), ...later));
    }
    const next = nextStatus(message.status, status);
    if (next) changes.status = next;
    if (next === 'failed') {
      changes.errorCode = errors[0]?.code ?? null;
      changes.errorTitle = errors[0]?.title ?? null;
    }
    if (Object.keys(changes).length === 0) return false;
    await manager.update(Message, { id: message.id }, changes);
    Object.assign(message, changes);
    return true;
  }

  /** Attaches Meta's id to our send it belongs to, when our own record of the send was lost. */
  private async reconcile(manager: EntityManager, number: PhoneNumber, event: StatusEvent): Promise<Message | null> {
    const ourId = event.bizOpaqueCallbackData;
    if (!isUuid(ourId)) return null;
    // `wa_message_id = $4`: the send path may be recording the same id right now; this statement
    // waits for it and then matches, so the status is applied either way. A message we had given up
    // on for lack of an answer (failed, no Meta code) is revived: Meta did take it.
    const claimed = await returning(
      manager,
      `UPDATE messages SET wa_message_id = $4, sending_at = NULL,
              status = CASE WHEN status = 'queued' OR (status = 'failed' AND error_code IS NULL) THEN 'sent'::message_status ELSE status END,
              error_title = CASE WHEN status = 'failed' AND error_code IS NULL THEN NULL ELSE error_title END,
              sent_at = COALESCE(sent_at, $5)
       WHERE id = $1 AND org_id = $2 AND phone_number_id = $3 AND direction = 'outbound'
         AND (wa_message_id IS NULL OR wa_message_id = $4)
       RETURNING id`,
      [ourId, number.orgId, number.id, event.waMessageId, event.timestamp],
    );
    return claimed.length > 0 ? this.lockByWaId(manager, number.id, event.waMessageId) : null;
  }

  private lockByWaId(manager: EntityManager, phoneNumberId: string, waMessageId: string): Promise<Message | null> {
    return manager.findOne(Message, { where: { phoneNumberId, waMessageId }, lock: { mode: 'pessimistic_write' } });
  }

  private async findByWaId(
    manager: EntityManager,
    phoneNumberId: string,
    waMessageId: string,
  ): Promise<Pick<Message, 'id'> | null> {
    const [row] = await preparedQuery<{ id: string }>(
      manager,
      'SELECT id FROM messages WHERE phone_number_id = $1 AND wa_message_id = $2',
      [phoneNumberId, waMessageId],
    );
    return row ?? null;
  }

  /** WhatsApp keeps one reaction per person per message: the contact's replaces theirs; an empty emoji removes it. Returns the message reacted to. */
  private async react(
    manager: EntityManager,
    phoneNumberId: string,
    targetWaMessageId: string,
    emoji: string | null,
    at: Date,
  ): Promise<string | null> {
    const target = await this.lockByWaId(manager, phoneNumberId, targetWaMessageId);
    if (!target) return null;
    const reactions: Reaction[] = target.reactions.filter((r) => r.by !== 'contact');
    if (emoji) reactions.push({ emoji, by: 'contact', at: at.toISOString() });
    await manager.update(Message, { id: target.id }, { reactions });
    return target.id;
  }
}
