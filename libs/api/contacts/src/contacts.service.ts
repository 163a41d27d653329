import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { toE164 } from './phone';

/** Contacts: the people an org talks to. */
@Injectable()
export class ContactsService {
  /**
   * The id of the contact behind a WhatsApp id, created on first contact. The profile name of the
   * newest message wins (a replayed old webhook does not roll it back). One atomic statement, so
   * concurrent webhooks for a new number make one contact.
   */
  async upsertFromWhatsApp(
    manager: EntityManager,
    orgId: string,
    input: { waId: string; profileName: string | null; inboundAt: Date | null },
  ): Promise<string> {
    const phone = toE164(input.waId) ?? `+${input.waId.replace(/\D/g, '')}`;
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO contacts (org_id, phone, wa_id, profile_name, last_inbound_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (org_id, phone) DO UPDATE SET
         wa_id = EXCLUDED.wa_id,
         profile_name = CASE
           WHEN EXCLUDED.profile_name IS NOT NULL AND (contacts.last_inbound_at IS NULL OR EXCLUDED.last_inbound_at >= contacts.last_inbound_at)
           THEN EXCLUDED.profile_name ELSE contacts.profile_name END,
         last_inbound_at = GREATEST(contacts.last_inbound_at, EXCLUDED.last_inbound_at),
         updated_at = now()
       RETURNING id`,
      [orgId, phone, input.waId, input.profileName, input.inboundAt],
    );
    const id = rows[0]?.id;
    if (!id) throw new Error('contact upsert returned no row');
    return id;
  }
}
