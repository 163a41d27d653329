import { preparedQuery } from '@parley/api/core';
import type { EntityManager } from 'typeorm';

/**
 * The id of the contact's unresolved conversation on the number, opened when there is none (first
 * contact, or the last one was resolved). One statement holds against concurrent openers: the
 * partial unique index allows one unresolved conversation per contact and number. (A customer's
 * message opens its conversation inside its own statement: `InboundService.store`.)
 */
export async function openConversation(
  manager: EntityManager,
  input: {
    orgId: string;
    phoneNumberId: string;
    contactId: string;
    /** The activity that opens it. */
    at: Date;
    /** When the customer last wrote on this number (a business-opened conversation keeps the window). */
    lastInboundAt?: Date | null;
  },
): Promise<string> {
  const { orgId, phoneNumberId, contactId, at } = input;
  const rows = await preparedQuery<{ id: string }>(
    manager,
    `WITH opened AS (
       INSERT INTO conversations (org_id, phone_number_id, contact_id, status, last_message_at, last_inbound_at)
       VALUES ($1, $2, $3, 'open', $4, $5)
       ON CONFLICT (phone_number_id, contact_id) WHERE status <> 'resolved' DO NOTHING
       RETURNING id
     )
     SELECT id FROM opened
     UNION ALL
     SELECT id FROM conversations WHERE phone_number_id = $2 AND contact_id = $3 AND status <> 'resolved'
     LIMIT 1`,
    [orgId, phoneNumberId, contactId, at, input.lastInboundAt ?? null],
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
