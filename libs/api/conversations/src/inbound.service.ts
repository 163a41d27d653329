import { Injectable } from '@nestjs/common';
import { MERGE_WHATSAPP_CONTACT, OptInKeywords, whatsAppPhone } from '@parley/api/contacts';
import { entityColumns, isUuid, preparedQuery } from '@parley/api/core';
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
import { OutboundService } from './outbound.service';

/** A customer message as stored: its conversation and contact. */
export interface StoredMessage {
  messageId: string;
  conversationId: string;
  contactId: string;
  /** This message opened the conversation (first contact, or the last one was resolved). */
  newConversation: boolean;
}

/** What applying an inbound message stored, and what is left to do once it commits. */
export interface AppliedMessage extends StoredMessage {
  /** The file to download from Meta. */
  mediaId: string | null;
  /** The message whose reactions changed, when this was a reaction. */
  reactedMessageId: string | null;
  /** The customer wrote an opt-out or opt-in word: our confirmation, stored `queued`, to send. */
  replyId: string | null;
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

/** The title of a failure Meta reported without errors: a failed message always has one (`FAILED_SQL`). */
const NO_REASON = 'WhatsApp gave no reason';

/**
 * Applies what Meta reports to the inbox, idempotently: the same webhook three times stores one
 * message and touches nothing else; statuses only move forward. Runs inside the caller's transaction.
 */
@Injectable()
export class InboundService {
  constructor(
    private readonly keywords: OptInKeywords,
    private readonly media: MediaService,
    private readonly outbound: OutboundService,
  ) {}

  /**
   * Applies customer messages to one number: all stored by one statement (`store`), then, in the
   * order given, each one's file, reaction and opt-out or opt-in word. No two may share a sender or
   * a Meta id (see `inRounds`), so each is stored exactly as if alone. One result per message, null
   * where Meta redelivered one we already have.
   */
  async applyMessages(
    manager: EntityManager,
    number: PhoneNumber,
    events: InboundMessageEvent[],
  ): Promise<(AppliedMessage | null)[]> {
    const stored = await this.store(manager, number, events);
    const applied: (AppliedMessage | null)[] = [];
    for (const [i, event] of events.entries()) {
      const row = stored[i];
      applied.push(row ? await this.follow(manager, number, event, row) : null);
    }
    return applied;
  }

  /** What a stored customer message brings besides itself: its file, its reaction, an opt-out or opt-in. */
  private async follow(
    manager: EntityManager,
    number: PhoneNumber,
    event: InboundMessageEvent,
    stored: StoredMessage,
  ): Promise<AppliedMessage> {
    const { messageId, conversationId, contactId } = stored;
    const orgId = number.orgId;
    // Only once the message is ours: a concurrent copy of the webhook must not leave a file row behind.
    const mediaId = event.media ? await this.media.recordInbound(manager, number, event.media) : null;
    if (mediaId) await manager.query('UPDATE messages SET media_id = $2 WHERE id = $1', [messageId, mediaId]);

    const reactedMessageId = event.reaction
      ? await this.react(manager, number.id, event.reaction.waMessageId, event.reaction.emoji, event.timestamp)
      : null;
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
    return { ...stored, mediaId, reactedMessageId, replyId, optIn: optIn?.action ?? null };
  }

  /**
   * Stores customer messages (distinct senders, distinct Meta ids) in one statement, each as it
   * would be alone: skipped if we have it (a redelivery after the conversation was resolved must
   * not open an empty one); the contact created or updated (`MERGE_WHATSAPP_CONTACT`); their
   * unresolved conversation on the number opened, or moved on (unread count, last message, window);
   * the message stored, linked to the one it quotes. Null for a message that is ours already, or
   * that a concurrent copy of the webhook stored first.
   */
  private async store(
    manager: EntityManager,
    number: PhoneNumber,
    events: InboundMessageEvent[],
  ): Promise<(StoredMessage | null)[]> {
    const statement = `
      WITH input AS (
        SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::int[], $9::text[],
                             $10::text[], $11::text[], $12::jsonb[], $13::text[])
          WITH ORDINALITY AS i(wa_message_id, phone, wa_id, profile_name, ts, unread, preview, type, body, raw, context, n)
      ), fresh AS (
        SELECT i.* FROM input i
        WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.phone_number_id = $2 AND m.wa_message_id = i.wa_message_id)
      ), contact AS (
        INSERT INTO contacts (org_id, phone, wa_id, profile_name, last_inbound_at)
        SELECT $1, phone, wa_id, profile_name, ts FROM fresh ORDER BY n
        ${MERGE_WHATSAPP_CONTACT}
        RETURNING id, phone
      ), sender AS (
        SELECT f.*, contact.id AS contact_id FROM fresh f JOIN contact USING (phone)
      ), existing AS (
        SELECT c.id, c.contact_id FROM conversations c JOIN sender s USING (contact_id)
        WHERE c.phone_number_id = $2 AND c.status <> 'resolved'
      ), opened AS (
        INSERT INTO conversations (org_id, phone_number_id, contact_id, status, last_message_at, last_inbound_at,
                                   unread_count, last_message_preview)
        SELECT $1, $2, s.contact_id, 'open', s.ts, s.ts, s.unread, s.preview FROM sender s
        WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.contact_id = s.contact_id)
        ORDER BY s.n
        ON CONFLICT (phone_number_id, contact_id) WHERE status <> 'resolved' DO NOTHING
        RETURNING id, contact_id
      ), conversation AS (
        SELECT id, contact_id, false AS created FROM existing UNION ALL SELECT id, contact_id, true FROM opened
      ), message AS (
        INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, wa_message_id,
                              body, payload, context_wa_message_id, context_message_id, occurred_at)
        SELECT $1, v.id, s.contact_id, $2, 'inbound', s.type, 'received', s.wa_message_id, s.body, s.raw, s.context,
               (SELECT q.id FROM messages q WHERE q.phone_number_id = $2 AND q.wa_message_id = s.context), s.ts
        FROM sender s JOIN conversation v USING (contact_id)
        ORDER BY s.n
        ON CONFLICT (phone_number_id, wa_message_id) WHERE wa_message_id IS NOT NULL DO NOTHING
        RETURNING id, conversation_id, wa_message_id
      ), moved_on AS (
        UPDATE conversations c SET
          unread_count = unread_count + s.unread,
          last_message_at = GREATEST(last_message_at, s.ts),
          last_message_preview = CASE WHEN last_message_preview IS NULL OR last_message_at <= s.ts THEN s.preview ELSE last_message_preview END,
          last_inbound_at = GREATEST(last_inbound_at, s.ts),
          status = CASE WHEN status = 'pending' THEN 'open'::conversation_status ELSE status END,
          updated_at = now()
        FROM message JOIN sender s USING (wa_message_id) WHERE c.id = message.conversation_id
      )
      SELECT s.n IS NULL AS known, s.contact_id AS "contactId", v.id AS "conversationId", v.created,
             message.id AS "messageId"
      FROM input i LEFT JOIN sender s USING (n) LEFT JOIN conversation v USING (contact_id)
           LEFT JOIN message ON message.wa_message_id = s.wa_message_id
      ORDER BY i.n`;
    type Stored = {
      known: boolean;
      contactId: string | null;
      conversationId: string | null;
      created: boolean | null;
      messageId: string | null;
    };
    const run = (batch: InboundMessageEvent[]) =>
      preparedQuery<Stored>(manager, statement, [
        number.orgId,
        number.id,
        batch.map((event) => event.waMessageId),
        batch.map((event) => whatsAppPhone(event.from)),
        batch.map((event) => event.from),
        batch.map((event) => event.profileName),
        batch.map((event) => event.timestamp),
        batch.map((event) => (event.reaction ? 0 : 1)),
        batch.map((event) => event.body.slice(0, 200)),
        batch.map((event) => event.type),
        batch.map((event) => event.body),
        batch.map((event) => JSON.stringify(event.raw)),
        batch.map((event) => event.context?.waMessageId ?? null),
      ]);
    const rows = await run(events);
    // A conversation opened by a transaction that committed after this statement's snapshot: it
    // blocked our opening one, yet was not there to move on. The same statement again sees it.
    const blocked = events.flatMap((_, i) => (rows[i] && !rows[i].known && !rows[i].conversationId ? [i] : []));
    if (blocked.length > 0) {
      const again = await run(blocked.map((i) => events[i] as InboundMessageEvent));
      blocked.forEach((i, j) => (rows[i] = again[j] as Stored));
    }
    return rows.map((row) =>
      row?.messageId && row.conversationId && row.contactId
        ? {
            messageId: row.messageId,
            conversationId: row.conversationId,
            contactId: row.contactId,
            newConversation: row.created === true,
          }
        : null,
    );
  }

  /**
   * Records statuses of one number once each in the history, then moves their messages forward
   * where they should, in the order given; returns the ids of the messages that changed. However
   * many statuses, that is one INSERT, one SELECT locking the messages (in id order, so batches
   * can't deadlock on them) and one UPDATE. A status that beats our record of the send stays in
   * the history, keyed by Meta's id, for the send path to apply (`applyRecordedStatuses`). A send
   * whose outcome we never learned (the worker died mid-call) is recognized by the id we gave Meta
   * in `biz_opaque_callback_data`, which Meta echoes in every status.
   */
  async applyStatuses(manager: EntityManager, number: PhoneNumber, events: StatusEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    await preparedQuery(
      manager,
      `INSERT INTO message_status_events (org_id, phone_number_id, wa_message_id, status, occurred_at, pricing, errors)
       SELECT $1, $2, s.* FROM unnest($3::text[], $4::text[], $5::timestamptz[], $6::jsonb[], $7::jsonb[]) AS s
       ON CONFLICT (phone_number_id, wa_message_id, status) DO NOTHING`,
      [
        number.orgId,
        number.id,
        events.map((event) => event.waMessageId),
        events.map((event) => event.status),
        events.map((event) => event.timestamp),
        events.map((event) => (event.pricing ? JSON.stringify(event.pricing) : null)),
        events.map((event) => (event.errors.length > 0 ? JSON.stringify(event.errors) : null)),
      ],
    );
    // Every message the statuses may move locked at once, in id order (as the send path locks its
    // lots, so the two can't deadlock): by Meta's id, and by the id we gave Meta for the sends whose
    // record has not been made (or was lost).
    const locked = await this.lock(
      manager,
      number.id,
      [...new Set(events.map((event) => event.waMessageId))],
      [...new Set(events.map((event) => event.bizOpaqueCallbackData).filter(isUuid))],
    );
    const messages = new Map(locked.map((message) => [message.waMessageId, message]));
    for (const message of await this.reconcile(manager, number, events, messages))
      messages.set(message.waMessageId, message);
    const changed = new Map<string, Message>();
    for (const event of events) {
      const message = messages.get(event.waMessageId);
      if (message && advance(message, event.status, event.timestamp, event.errors)) changed.set(message.id, message);
    }
    await this.saveProgress(manager, [...changed.values()]);
    return [...changed.keys()];
  }

  /**
   * Applies, in order, the statuses Meta reported before the send path recorded Meta's ids for these
   * messages (already locked by the caller): one read of the history and one write for any number.
   */
  async applyRecordedStatuses(manager: EntityManager, number: PhoneNumber, waMessageIds: string[]): Promise<void> {
    const history: {
      wa_message_id: string;
      status: DeliveryStatus;
      occurred_at: Date;
      errors: MetaErrorSummary[] | null;
    }[] = await manager.query(
      // Planned for each call, not prepared: a plan cached while the table was small scans all of it.
      `SELECT wa_message_id, status, occurred_at, errors FROM message_status_events
       WHERE phone_number_id = $1 AND wa_message_id = ANY($2::text[]) ORDER BY occurred_at, id`,
      [number.id, waMessageIds],
    );
    if (history.length === 0) return;
    const early = [...new Set(history.map((row) => row.wa_message_id))];
    const messages = new Map(
      (await this.lock(manager, number.id, early)).map((message) => [message.waMessageId, message]),
    );
    const changed = new Map<string, Message>();
    for (const row of history) {
      const message = messages.get(row.wa_message_id);
      if (message && advance(message, row.status, row.occurred_at, row.errors ?? [])) changed.set(message.id, message);
    }
    await this.saveProgress(manager, [...changed.values()]);
  }

  /** Writes the delivery columns of messages held under their row locks: one statement for any number. */
  private async saveProgress(manager: EntityManager, messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    await preparedQuery(
      manager,
      `UPDATE messages m SET status = u.status::message_status, sent_at = u.sent_at, delivered_at = u.delivered_at,
              read_at = u.read_at, error_code = u.error_code, error_title = u.error_title
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::int[], $7::text[])
            AS u(id, status, sent_at, delivered_at, read_at, error_code, error_title)
       WHERE m.id = u.id`,
      [
        messages.map((message) => message.id),
        messages.map((message) => message.status),
        messages.map((message) => message.sentAt),
        messages.map((message) => message.deliveredAt),
        messages.map((message) => message.readAt),
        messages.map((message) => message.errorCode),
        messages.map((message) => message.errorTitle),
      ],
    );
  }

  /**
   * Attaches Meta's ids to our sends they belong to (rows the caller has locked), when our own record
   * of a send was lost or is not made yet: the statuses whose Meta id matched no message, by the id
   * we gave Meta. One statement for any number; returns the messages as they now are.
   */
  private async reconcile(
    manager: EntityManager,
    number: PhoneNumber,
    events: StatusEvent[],
    known: ReadonlyMap<string | null, Message>,
  ): Promise<Message[]> {
    // Our id → Meta's id (the first status naming it says which; one message each way) and the
    // earliest time any status of the batch gives: Meta had sent it by then.
    const claims = new Map<string, { waMessageId: string; sentAt: Date }>();
    const claimedWaIds = new Set<string>();
    for (const event of events) {
      const ourId = event.bizOpaqueCallbackData;
      if (known.has(event.waMessageId) || !isUuid(ourId)) continue;
      const claim = claims.get(ourId);
      if (!claim && !claimedWaIds.has(event.waMessageId)) {
        claims.set(ourId, { waMessageId: event.waMessageId, sentAt: event.timestamp });
        claimedWaIds.add(event.waMessageId);
      } else if (claim?.waMessageId === event.waMessageId && event.timestamp < claim.sentAt)
        claim.sentAt = event.timestamp;
    }
    if (claims.size === 0) return [];
    // A message we had given up on for lack of an answer (failed, no Meta code) is revived: Meta did take it.
    return preparedQuery<Message>(
      manager,
      `UPDATE messages m SET wa_message_id = x.wa_message_id, sending_at = NULL,
              status = CASE WHEN m.status = 'queued' OR (m.status = 'failed' AND m.error_code IS NULL) THEN 'sent'::message_status ELSE m.status END,
              error_title = CASE WHEN m.status = 'failed' AND m.error_code IS NULL THEN NULL ELSE m.error_title END,
              sent_at = COALESCE(m.sent_at, x.sent_at)
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS x(id, wa_message_id, sent_at)
       WHERE m.id = x.id AND m.org_id = $4 AND m.phone_number_id = $5 AND m.direction = 'outbound' AND m.wa_message_id IS NULL
       RETURNING ${entityColumns(manager.connection, Message, 'm')}`,
      [
        [...claims.keys()],
        [...claims.values()].map((claim) => claim.waMessageId),
        [...claims.values()].map((claim) => claim.sentAt),
        number.orgId,
        number.id,
      ],
    );
  }

  /** Our messages by Meta's ids (and by our own ids, when given), locked in id order. */
  private lock(
    manager: EntityManager,
    phoneNumberId: string,
    waMessageIds: string[],
    ids: string[] = [],
  ): Promise<Message[]> {
    return preparedQuery<Message>(
      manager,
      `SELECT ${entityColumns(manager.connection, Message, 'm')} FROM messages m
       WHERE m.phone_number_id = $1 AND (m.wa_message_id = ANY($2::text[]) OR m.id = ANY($3::uuid[]))
       ORDER BY m.id FOR UPDATE`,
      [phoneNumberId, waMessageIds, ids],
    );
  }

  /** WhatsApp keeps one reaction per person per message: the contact's replaces theirs; an empty emoji removes it. Returns the message reacted to. */
  private async react(
    manager: EntityManager,
    phoneNumberId: string,
    targetWaMessageId: string,
    emoji: string | null,
    at: Date,
  ): Promise<string | null> {
    const [target] = await this.lock(manager, phoneNumberId, [targetWaMessageId]);
    if (!target) return null;
    const reactions: Reaction[] = target.reactions.filter((r) => r.by !== 'contact');
    if (emoji) reactions.push({ emoji, by: 'contact', at: at.toISOString() });
    await manager.update(Message, { id: target.id }, { reactions });
    return target.id;
  }
}

/**
 * Splits customer messages, each kept in order, into rounds for `applyMessages`: a message goes in
 * the round after the last one holding its sender or its Meta id, so no round holds two of either.
 */
export function inRounds<T>(items: T[], event: (item: T) => InboundMessageEvent): T[][] {
  const rounds: T[][] = [];
  const lastRound = new Map<string, number>();
  for (const item of items) {
    const { from, waMessageId } = event(item);
    const keys = [`from:${whatsAppPhone(from)}`, `id:${waMessageId}`];
    const round = Math.max(...keys.map((key) => lastRound.get(key) ?? -1)) + 1;
    for (const key of keys) lastRound.set(key, round);
    (rounds[round] ??= []).push(item);
  }
  return rounds;
}

/**
 * Moves a message (in memory) forward by one reported status; false when nothing changed.
 * Timestamps are recorded even when the status itself does not move (a late `delivered` after
 * `read`). Meta's are whole seconds and ours (the send) milliseconds: a tick is never dated before
 * the one it follows, nor after one that follows it.
 */
function advance(message: Message, status: DeliveryStatus | string, at: Date, errors: MetaErrorSummary[]): boolean {
  const changes: Pick<
    Partial<Message>,
    'status' | 'sentAt' | 'deliveredAt' | 'readAt' | 'errorCode' | 'errorTitle'
  > = {};
  const timeColumn = STATUS_TIME[status];
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
    changes.errorTitle = errors[0]?.title || NO_REASON;
  }
  if (Object.keys(changes).length === 0) return false;
  Object.assign(message, changes);
  return true;
}
