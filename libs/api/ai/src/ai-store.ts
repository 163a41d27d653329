import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ConversationInsights, MessageInsights } from '@parley/api/conversations';
import { AI_READABLE_TYPES, returning } from '@parley/api/core';
import { DataSource } from 'typeorm';
import type { Turn } from './providers/provider';

/** Messages of a conversation a provider reads at most: the latest. */
const TURNS = 30;

/** How far back the sweeper looks for customer messages never triaged and conversations resolved but not read. */
const SWEEP_WINDOW = '1 hour';
const SWEEP_BATCH = 500;

export interface TriageTarget {
  id: string;
  conversationId: string;
  type: string;
  body: string;
  /** The message's place among the conversation's customer messages (1 for the first). */
  ordinal: number;
  triaged: boolean;
}

export interface ConversationState {
  id: string;
  botActive: boolean;
  status: string;
}

/**
 * The AI's reads and writes of the inbox tables: the insight columns the conversations feature
 * keeps for it (`messages.ai`, `conversations.ai`, `conversations.bot_active`). Every statement
 * names the org.
 */
@Injectable()
export class AiStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async inboundMessage(orgId: string, messageId: string): Promise<TriageTarget | null> {
    const [row]: {
      id: string;
      conversation_id: string;
      type: string;
      body: string;
      ordinal: number;
      triaged: boolean;
    }[] = await this.dataSource.query(
      `SELECT m.id, m.conversation_id, m.type, m.body, m.ai IS NOT NULL AS triaged,
              (SELECT count(*)::int FROM messages earlier
               WHERE earlier.conversation_id = m.conversation_id AND earlier.direction = 'inbound'
                 AND (earlier.created_at, earlier.id) <= (m.created_at, m.id)) AS ordinal
       FROM messages m
       WHERE m.org_id = $1 AND m.id = $2 AND m.direction = 'inbound'`,
      [orgId, messageId],
    );
    return row
      ? {
          id: row.id,
          conversationId: row.conversation_id,
          type: row.type,
          body: row.body,
          ordinal: row.ordinal,
          triaged: row.triaged,
        }
      : null;
  }

  async setMessageInsights(orgId: string, messageId: string, insights: MessageInsights): Promise<void> {
    await this.dataSource.query('UPDATE messages SET ai = $3 WHERE org_id = $1 AND id = $2', [
      orgId,
      messageId,
      JSON.stringify(insights),
    ]);
  }

  /** Stored with `readAt`, so the sweeper can tell a reading older than the conversation's resolve. */
  async setConversationInsights(orgId: string, conversationId: string, insights: ConversationInsights): Promise<void> {
    const sql = `UPDATE conversations SET ai = $3::jsonb || jsonb_build_object('readAt', now()) WHERE org_id = $1 AND id = $2`;
    await this.dataSource.query(sql, [orgId, conversationId, JSON.stringify(insights)]);
  }

  async conversation(orgId: string, conversationId: string): Promise<ConversationState | null> {
    const [row]: { id: string; bot_active: boolean; status: string }[] = await this.dataSource.query(
      'SELECT id, bot_active, status FROM conversations WHERE org_id = $1 AND id = $2',
      [orgId, conversationId],
    );
    return row ? { id: row.id, botActive: row.bot_active, status: row.status } : null;
  }

  /** Hands the conversation to a person: automation stops answering it until it is resolved. Answers whether it changed. */
  async handOff(orgId: string, conversationId: string): Promise<boolean> {
    const changed = await returning(
      this.dataSource,
      `UPDATE conversations SET bot_active = false, updated_at = now()
       WHERE org_id = $1 AND id = $2 AND bot_active RETURNING id`,
      [orgId, conversationId],
    );
    return changed.length > 0;
  }

  /**
   * The conversation as the providers read it: its latest messages with text, oldest first, up to
   * and including `untilMessageId` when given (what the customer had written by then).
   */
  async turns(orgId: string, conversationId: string, untilMessageId?: string): Promise<Turn[]> {
    const rows: { direction: 'inbound' | 'outbound'; body: string }[] = await this.dataSource.query(
      `SELECT direction, body FROM (
         SELECT m.direction, m.body, m.created_at, m.id FROM messages m
         WHERE m.org_id = $1 AND m.conversation_id = $2 AND m.body <> '' AND m.type <> 'reaction'
           AND ($3::uuid IS NULL OR (m.created_at, m.id) <= (SELECT created_at, id FROM messages WHERE id = $3 AND org_id = $1))
         ORDER BY m.created_at DESC, m.id DESC
         LIMIT $4
       ) latest ORDER BY created_at, id`,
      [orgId, conversationId, untilMessageId ?? null, TURNS],
    );
    return rows.map((row) => ({ from: row.direction === 'inbound' ? 'customer' : 'business', text: row.body }));
  }

  /**
   * Readable customer messages of the last hour that were never triaged, in orgs with triage on,
   * older than `afterMs`: their job was lost with Redis, or never queued. Along the
   * partial index of untriaged inbound messages.
   */
  async untriaged(afterMs: number): Promise<{ id: string; org_id: string }[]> {
    return this.dataSource.query(
      `SELECT m.id, m.org_id FROM messages m
       JOIN ai_settings s ON s.org_id = m.org_id AND s.auto_triage
       WHERE m.direction = 'inbound' AND m.ai IS NULL
         AND m.created_at > now() - $1::interval
         AND m.created_at < now() - ($2 || ' milliseconds')::interval
         AND m.type = ANY($3)
       ORDER BY m.created_at
       LIMIT $4`,
      [SWEEP_WINDOW, afterMs, AI_READABLE_TYPES, SWEEP_BATCH],
    );
  }

  /**
   * Conversations resolved recently (within the sweep window, and at least `afterMs` ago) whose
   * reading is older than the resolve: their summary job was lost.
   */
  async unsummarizedResolved(afterMs: number): Promise<{ id: string; org_id: string; resolved_at: Date }[]> {
    return this.dataSource.query(
      `SELECT v.id, v.org_id, v.resolved_at FROM conversations v
       JOIN ai_settings s ON s.org_id = v.org_id AND s.auto_triage
       WHERE v.status = 'resolved' AND v.last_inbound_at IS NOT NULL
         AND v.resolved_at > now() - $1::interval
         AND v.resolved_at < now() - ($2 || ' milliseconds')::interval
         AND coalesce((v.ai ->> 'readAt')::timestamptz, '-infinity') < v.resolved_at
       ORDER BY v.resolved_at
       LIMIT $3`,
      [SWEEP_WINDOW, afterMs, SWEEP_BATCH],
    );
  }

  /** The message automation sent (or tried) under `idempotencyKey`, if any. */
  async sentUnder(orgId: string, idempotencyKey: string): Promise<{ id: string; body: string } | null> {
    const [row]: { id: string; body: string }[] = await this.dataSource.query(
      'SELECT id, body FROM messages WHERE org_id = $1 AND idempotency_key = $2',
      [orgId, idempotencyKey],
    );
    return row ?? null;
  }
}
