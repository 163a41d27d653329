import { Injectable } from '@nestjs/common';
import { emitPartnerEvent, returning, TtlCache } from '@parley/api/core';
import { OptInSettings, optInKeywordAction, optInSettingsOf, OrganizationsService } from '@parley/api/organizations';
import type { EntityManager } from 'typeorm';
import { ContactDto } from './dto/contact.dto';
import { Contact } from './entities/contact.entity';

export type OptInAction = 'opt_out' | 'opt_in';

/** Keywords are long enough for "cancel subscription" in any language; longer messages are conversation, not a keyword. */
const MAX_KEYWORD_MESSAGE = 60;
/** Org settings are read at most every half minute per process: a changed keyword list applies within 30 s. */
const SETTINGS_TTL_MS = 30_000;

/** STOP / START and the org's own words: a customer opts out of (or back into) marketing by writing one alone. */
@Injectable()
export class OptInKeywords {
  private readonly settings = new TtlCache<string, OptInSettings>(SETTINGS_TTL_MS);

  constructor(private readonly organizations: OrganizationsService) {}

  /** What a customer's message asks for, and the confirmation to send back; null for ordinary messages. */
  async actionFor(orgId: string, text: string): Promise<{ action: OptInAction; reply: string } | null> {
    if (!text || text.length > MAX_KEYWORD_MESSAGE) return null;
    const settings = await this.settings.get(orgId, async () => optInSettingsOf(await this.organizations.get(orgId)));
    const action = optInKeywordAction(settings, text);
    return action && { action, reply: action === 'opt_out' ? settings.optOutReply : settings.optInReply };
  }

  /**
   * Records the contact's choice (source `whatsapp_keyword`), unless a later one is already
   * recorded: a STOP and a START processed out of order end as the customer last said.
   */
  async apply(manager: EntityManager, orgId: string, contactId: string, action: OptInAction, at: Date): Promise<void> {
    const [changed] = await returning<{ before: string }>(
      manager,
      `WITH before AS (SELECT opt_in_status FROM contacts WHERE id = $1 AND org_id = $2 FOR UPDATE)
       UPDATE contacts SET opt_in_status = $3, opt_in_source = 'whatsapp_keyword', opt_in_changed_at = $4, updated_at = now()
       WHERE id = $1 AND org_id = $2 AND (opt_in_changed_at IS NULL OR opt_in_changed_at <= $4)
       RETURNING (SELECT opt_in_status FROM before) AS before`,
      [contactId, orgId, action === 'opt_out' ? 'opted_out' : 'opted_in', at],
    );
    if (action === 'opt_out' && changed && changed.before !== 'opted_out')
      await emitPartnerEvent(manager, orgId, 'contact.opted_out', async () => ({
        contact: ContactDto.from(await manager.getRepository(Contact).findOneByOrFail({ id: contactId, orgId })),
      }));
  }
}
