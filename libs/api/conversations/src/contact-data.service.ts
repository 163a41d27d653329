import { Injectable } from '@nestjs/common';
import { redactWebhookPayload } from '@parley/api/contacts';
import { Json, returning } from '@parley/api/core';
import { EntityManager, In } from 'typeorm';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { Note } from './entities/note.entity';

/** Everything the inbox holds about one contact. */
export interface ContactData {
  /** With `contact` and `phoneNumber` loaded. */
  conversations: Conversation[];
  /** Oldest first, with `media` loaded. */
  messages: Message[];
  notes: Note[];
  /** The media of their messages. */
  mediaIds: string[];
}

/** What an emptied message holds; `REDACTED` tells one already emptied (by `redact` or retention). */
const EMPTIED = { body: "''", payload: `'{"redacted": true}'::jsonb`, reactions: `'[]'::jsonb` };
const REDACTED = `body = ${EMPTIED.body} AND media_id IS NULL AND payload = ${EMPTIED.payload}`;

/** Raw webhooks redacted per statement. */
const WEBHOOK_BATCH = 200;

/**
 * A contact's conversations, messages and notes for GDPR requests: all of it for an export, and
 * its redaction for an erasure. Both run in the caller's transaction.
 */
@Injectable()
export class ContactDataService {
  async exportFor(manager: EntityManager, orgId: string, contactId: string): Promise<ContactData> {
    const conversations = await manager.find(Conversation, {
      where: { orgId, contactId },
      relations: { contact: true, phoneNumber: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    const conversationIds = conversations.map((conversation) => conversation.id);
    if (conversationIds.length === 0) return { conversations, messages: [], notes: [], mediaIds: [] };
    const messages = await manager.find(Message, {
      where: { orgId, conversationId: In(conversationIds) },
      relations: { media: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    const notes = await manager.find(Note, {
      where: { orgId, conversationId: In(conversationIds) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    const mediaIds = [...new Set(messages.flatMap((message) => (message.mediaId ? [message.mediaId] : [])))];
    return { conversations, messages, notes, mediaIds };
  }

  /**
   * Redacts what the contact said and what was said to them, keeping every row with its type,
   * direction, status and times (counts and analytics stay true): message bodies, payloads and
   * reactions, conversation previews, notes on their conversations, and the org's stored raw
   * webhooks that mention their WhatsApp id. Detaches their messages from media and returns the
   * ids of the files no other message uses, for the caller to delete.
   */
  async redact(manager: EntityManager, orgId: string, contact: { id: string; waId: string }): Promise<string[]> {
    await this.redactWebhooks(manager, orgId, contact.waId);
    const conversations: { id: string }[] = await manager.query(
      `SELECT id FROM conversations WHERE org_id = $1 AND contact_id = $2`,
      [orgId, contact.id],
    );
    const conversationIds = conversations.map((conversation) => conversation.id);
    if (conversationIds.length === 0) return [];
    const { mediaIds } = await this.redactMessages(manager, orgId, 'm.conversation_id = ANY($2::uuid[])', [
      conversationIds,
    ]);
    await manager.query(
      `UPDATE conversations SET last_message_preview = NULL, updated_at = now() WHERE org_id = $1 AND id = ANY($2::uuid[])`,
      [orgId, conversationIds],
    );
    await manager.query(`UPDATE notes SET body = '' WHERE org_id = $1 AND conversation_id = ANY($2::uuid[])`, [
      orgId,
      conversationIds,
    ]);
    return mediaIds;
  }

  /**
   * Retention: redacts, as `redact` does, up to `limit` of the org's messages created in
   * [from, cutoff) that are not redacted yet, oldest first; how many, the ids of the files no other
   * message uses, and the newest creation time cleared (where the next batch starts).
   */
  redactCreatedBetween(
    manager: EntityManager,
    orgId: string,
    from: Date,
    cutoff: Date,
    limit: number,
  ): Promise<{ count: number; mediaIds: string[]; last: Date | null }> {
    return this.redactMessages(
      manager,
      orgId,
      `m.id IN (SELECT id FROM messages
                WHERE org_id = $1 AND created_at >= $2 AND created_at < $3 AND NOT (${REDACTED})
                ORDER BY created_at LIMIT $4 FOR UPDATE)`,
      [from, cutoff, limit],
    );
  }

  /**
   * Empties the org's messages matching `where` (over `m`, parameters from $2): bodies, payloads and
   * reactions, files detached. How many, the ids of the files no other message still shows (an
   * agent's brochure sent to many stays), and the newest creation time among them.
   */
  private async redactMessages(
    manager: EntityManager,
    orgId: string,
    where: string,
    parameters: unknown[],
  ): Promise<{ count: number; mediaIds: string[]; last: Date | null }> {
    const detached = await returning<{ media_id: string | null; created_at: Date }>(
      manager,
      `UPDATE messages m SET body = ${EMPTIED.body}, payload = ${EMPTIED.payload}, reactions = ${EMPTIED.reactions}, media_id = NULL
       FROM messages old
       WHERE m.id = old.id AND m.org_id = $1 AND ${where}
       RETURNING old.media_id, old.created_at`,
      [orgId, ...parameters],
    );
    const last = detached.reduce<Date | null>((at, row) => (at && at > row.created_at ? at : row.created_at), null);
    const mediaIds = [...new Set(detached.flatMap((row) => (row.media_id ? [row.media_id] : [])))];
    if (mediaIds.length === 0) return { count: detached.length, mediaIds, last };
    const shared: { media_id: string }[] = await manager.query(
      `SELECT DISTINCT media_id FROM messages WHERE org_id = $1 AND media_id = ANY($2::uuid[])`,
      [orgId, mediaIds],
    );
    const stillUsed = new Set(shared.map((row) => row.media_id));
    return { count: detached.length, mediaIds: mediaIds.filter((id) => !stillUsed.has(id)), last };
  }

  /** Stored webhooks that mention the WhatsApp id (as a whole JSON string), in batches by id. */
  private async redactWebhooks(manager: EntityManager, orgId: string, waId: string): Promise<void> {
    const needle = JSON.stringify(waId);
    let after = '0';
    for (;;) {
      const events: { id: string; payload: Json }[] = await manager.query(
        `SELECT id, payload FROM webhook_events
         WHERE org_id = $1 AND id > $2 AND strpos(payload::text, $3) > 0
         ORDER BY id LIMIT $4 FOR UPDATE`,
        [orgId, after, needle, WEBHOOK_BATCH],
      );
      if (events.length === 0) return;
      await manager.query(
        `UPDATE webhook_events w SET payload = r.payload
         FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, payload jsonb)
         WHERE w.id = r.id`,
        [JSON.stringify(events.map((event) => ({ id: event.id, payload: redactWebhookPayload(event.payload, waId) })))],
      );
      after = events[events.length - 1]?.id ?? after;
    }
  }
}
