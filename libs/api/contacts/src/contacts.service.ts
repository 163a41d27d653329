import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Contact } from './entities/contact.entity';
import { toE164 } from './phone';

/** Contacts: the people an org talks to. */
@Injectable()
export class ContactsService {
  /**
   * The contact behind a WhatsApp id, created on first contact; keeps the newest profile name and
   * last inbound time. One atomic statement, so concurrent webhooks for a new number make one contact.
   */
  async upsertFromWhatsApp(
    manager: EntityManager,
    orgId: string,
    input: { waId: string; profileName: string | null; inboundAt: Date | null },
  ): Promise<Contact> {
    const phone = toE164(input.waId) ?? `+${input.waId.replace(/\D/g, '')}`;
    const rows: Record<string, unknown>[] = await manager.query(
      `INSERT INTO contacts (org_id, phone, wa_id, profile_name, last_inbound_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (org_id, phone) DO UPDATE SET
         wa_id = EXCLUDED.wa_id,
         profile_name = COALESCE(EXCLUDED.profile_name, contacts.profile_name),
         last_inbound_at = GREATEST(contacts.last_inbound_at, EXCLUDED.last_inbound_at),
         updated_at = now()
       RETURNING id`,
      [orgId, phone, input.waId, input.profileName, input.inboundAt],
    );
    return manager.findOneByOrFail(Contact, { id: String(rows[0]?.['id']), orgId });
  }
}
