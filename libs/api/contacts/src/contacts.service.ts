import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import {
  addWithin,
  containsPattern,
  DomainError,
  emitPartnerEvent,
  ErrorCode,
  isUniqueViolation,
  OrgScopedRepository,
  Page,
  pageByCreatedAt,
  preparedQuery,
  principal,
  QueueName,
  returning,
} from '@parley/api/core';
import type { Queue } from 'bull';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Attributes, CONTACT_LIMITS, mergeAttributes } from './contact-fields';
import { contactErased, contactExists, invalidPhone } from './contacts.errors';
import { ContactDto, ContactsQuery, CreateContactDto, UpdateContactDto } from './dto/contact.dto';
import { Contact, OptInStatus } from './entities/contact.entity';
import { toE164 } from './phone';
import { ERASED } from './webhook-redaction';

/** The fields a person edits, as compared for audit rows. */
interface Editable {
  phone: string;
  name: string | null;
  tags: string[];
  attributes: Attributes;
  optInStatus: OptInStatus;
}

/** A search that reads as a phone number is also matched against phones, by its digits. */
const PHONE_LIKE = /^[\d\s()+.-]+$/;

/** Where an opt-in change came from: the people in the console, or a partner's API key. */
const optInSource = () => (principal().kind === 'apiKey' ? 'api' : 'console');

/** Tags a person or partner added to a contact: automation's `contact_tagged` trigger (worker side). */
export interface ContactTaggedJob {
  orgId: string;
  contactId: string;
  tags: string[];
}

/** The phone a contact behind a WhatsApp id is keyed by. */
export const whatsAppPhone = (waId: string): string => toE164(waId) ?? `+${waId.replace(/\D/g, '')}`;

/**
 * Completes `INSERT INTO contacts (org_id, phone, wa_id, profile_name, last_inbound_at) ...` so a
 * contact seen on WhatsApp is created on first contact and updated after. The profile name of the
 * newest message wins (a replayed old webhook does not roll it back). One atomic statement, so
 * concurrent webhooks for a new number make one contact.
 */
export const MERGE_WHATSAPP_CONTACT = `ON CONFLICT (org_id, phone) DO UPDATE SET
  wa_id = EXCLUDED.wa_id,
  profile_name = CASE
    WHEN EXCLUDED.profile_name IS NOT NULL AND (contacts.last_inbound_at IS NULL OR EXCLUDED.last_inbound_at >= contacts.last_inbound_at)
    THEN EXCLUDED.profile_name ELSE contacts.profile_name END,
  last_inbound_at = GREATEST(contacts.last_inbound_at, EXCLUDED.last_inbound_at),
  updated_at = now()`;

/** Contacts: the people an org talks to. */
@Injectable()
export class ContactsService {
  private readonly contacts: OrgScopedRepository<Contact>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Contact) contacts: Repository<Contact>,
    private readonly audit: AuditService,
    @InjectQueue(QueueName.Automation) private readonly automation: Queue<ContactTaggedJob>,
  ) {
    this.contacts = new OrgScopedRepository(contacts, 'Contact');
  }

  /** The id of the contact behind a WhatsApp id, created on first contact (see `MERGE_WHATSAPP_CONTACT`). */
  async upsertFromWhatsApp(
    manager: EntityManager,
    orgId: string,
    input: { waId: string; profileName: string | null; inboundAt: Date | null },
  ): Promise<string> {
    const rows = await preparedQuery<{ id: string }>(
      manager,
      `INSERT INTO contacts (org_id, phone, wa_id, profile_name, last_inbound_at) VALUES ($1, $2, $3, $4, $5)
       ${MERGE_WHATSAPP_CONTACT} RETURNING id`,
      [orgId, whatsAppPhone(input.waId), input.waId, input.profileName, input.inboundAt],
    );
    const id = rows[0]?.id;
    if (!id) throw new Error('contact upsert returned no row');
    return id;
  }

  async create(orgId: string, input: CreateContactDto): Promise<Contact> {
    const phone = normalizePhone(input.phone, input.defaultCountry);
    const attributes = mergeAttributes({}, input.attributes ?? {});
    const optIn = input.optInStatus
      ? { optInStatus: input.optInStatus, optInSource: optInSource(), optInChangedAt: new Date() }
      : {};
    return uniquePhone(() =>
      this.dataSource.transaction(async (manager) => {
        const saved = await manager.save(
          manager.create(Contact, {
            orgId,
            phone,
            waId: phone.slice(1),
            name: input.name ?? null,
            tags: input.tags ?? [],
            attributes,
            ...optIn,
          }),
        );
        await this.audit.record(manager, {
          orgId,
          action: 'contact.created',
          targetType: 'contact',
          targetId: saved.id,
          changes: { after: { ...editable(saved) } },
        });
        return saved;
      }),
    );
  }

  /**
   * Newest first. `q` matches name and profile name (and phone digits when it reads as a number)
   * through the trigram indexes; `tag` keeps contacts having all the given tags (GIN index).
   */
  list(orgId: string, query: ContactsQuery): Promise<Page<Contact>> {
    const qb = this.contacts.query(orgId, 'contact');
    if (!query.includeErased) qb.andWhere('contact.erasedAt IS NULL');
    if (query.optInStatus) qb.andWhere('contact.optInStatus = :optInStatus', { optInStatus: query.optInStatus });
    if (query.tag && query.tag.length > 0) qb.andWhere('contact.tags @> CAST(:tags AS text[])', { tags: query.tag });
    if (query.q) {
      const clauses = ['contact.name ILIKE :like', 'contact.profileName ILIKE :like'];
      const digits = query.q.replace(/\D/g, '');
      if (PHONE_LIKE.test(query.q) && digits) clauses.push('contact.phone LIKE :phoneLike');
      qb.andWhere(`(${clauses.join(' OR ')})`, { like: containsPattern(query.q), phoneLike: `%${digits}%` });
    }
    return pageByCreatedAt(qb, query);
  }

  /** The contact, read in `manager`'s transaction when given. */
  get(orgId: string, id: string, manager?: EntityManager): Promise<Contact> {
    return (manager ? this.contacts.in(manager) : this.contacts).get(orgId, id);
  }

  /** Tags are replaced, attributes merged (null removes a key); an erased contact refuses every change. */
  async update(orgId: string, id: string, input: UpdateContactDto): Promise<Contact> {
    const phone = input.phone === undefined ? undefined : normalizePhone(input.phone, input.defaultCountry);
    let tagsBefore: string[] = [];
    const updated = await uniquePhone(() =>
      this.dataSource.transaction(async (manager) => {
        const contacts = this.contacts.in(manager);
        const contact = await contacts.get(orgId, id, { lock: 'pessimistic_write' });
        if (contact.erasedAt) throw contactErased();
        const optedOutThemselves = contact.optInStatus === 'opted_out' && contact.optInSource === 'whatsapp_keyword';
        if (optedOutThemselves && input.optInStatus !== undefined && input.optInStatus !== 'opted_out') {
          throw DomainError.invalidField(
            ErrorCode.ContactOptedOut,
            'optInStatus',
            'The customer opted out themselves; only they can opt back in, by writing START',
          );
        }
        const before = editable(contact);
        tagsBefore = before.tags;
        const after: Editable = {
          phone: phone ?? before.phone,
          name: input.name === undefined ? before.name : input.name,
          tags: input.tags ?? before.tags,
          attributes: input.attributes ? mergeAttributes(before.attributes, input.attributes) : before.attributes,
          optInStatus: input.optInStatus ?? before.optInStatus,
        };
        if (Object.keys(after.attributes).length > CONTACT_LIMITS.attributes) {
          throw DomainError.invalidField(
            ErrorCode.ValidationFailed,
            'attributes',
            `the contact would have more than ${CONTACT_LIMITS.attributes} attributes`,
          );
        }
        const changes = changesBetween(before, after);
        if (!changes) return contact;
        await manager.update(
          Contact,
          { id: contact.id },
          {
            ...after,
            waId: after.phone === before.phone ? contact.waId : after.phone.slice(1),
            ...(after.optInStatus !== before.optInStatus && {
              optInSource: optInSource(),
              optInChangedAt: new Date(),
            }),
          },
        );
        await this.audit.record(manager, {
          orgId,
          action: 'contact.updated',
          targetType: 'contact',
          targetId: contact.id,
          changes,
        });
        const saved = await contacts.get(orgId, id);
        if (saved.optInStatus === 'opted_out' && before.optInStatus !== 'opted_out')
          await emitPartnerEvent(manager, orgId, 'contact.opted_out', () => ({ contact: ContactDto.from(saved) }));
        return saved;
      }),
    );
    await this.tagged(
      orgId,
      updated.id,
      updated.tags.filter((tag) => !tagsBefore.includes(tag)),
    );
    return updated;
  }

  /**
   * Tells automation about tags people or partners added (its own changes never come here, so a
   * rule can't trigger itself). Best effort: with Redis down the trigger is skipped, not the edit.
   */
  private async tagged(orgId: string, contactId: string, tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    await addWithin(this.automation, 'contact-tagged', { orgId, contactId, tags }, {}, 250);
  }

  /** Automation's tag changes, in its transaction; answers the tags after. */
  async changeTags(
    manager: EntityManager,
    contactId: string,
    change: { add?: string[]; remove?: string[] },
  ): Promise<string[]> {
    const [row] = await returning<{ tags: string[] }>(
      manager,
      `UPDATE contacts SET tags = ARRAY(SELECT DISTINCT t FROM unnest(array_cat(tags, $2::text[])) AS t WHERE t <> ALL($3::text[]) ORDER BY t),
              updated_at = now()
       WHERE id = $1 RETURNING tags`,
      [contactId, change.add ?? [], change.remove ?? []],
    );
    return row?.tags ?? [];
  }

  /** Automation's attribute changes (null removes one), in its transaction; answers the attributes after. */
  async setAttributes(
    manager: EntityManager,
    contact: Pick<Contact, 'id' | 'attributes'>,
    patch: Attributes,
  ): Promise<Attributes> {
    const merged = mergeAttributes(contact.attributes, patch);
    await manager.update(Contact, { id: contact.id }, { attributes: merged });
    return merged;
  }

  /** Removes the contact with its conversations and messages (foreign keys cascade). */
  /**
   * Deletes the contact (their conversations and messages go with it, by cascade) in the caller's
   * transaction, which has removed their files and stored webhooks first (see the privacy module).
   */
  async delete(manager: EntityManager, contact: Contact): Promise<void> {
    await manager.delete(Contact, { id: contact.id, orgId: contact.orgId });
    await this.scrubAuditTrail(manager, contact.orgId, contact.id);
    await this.audit.record(manager, {
      orgId: contact.orgId,
      action: 'contact.deleted',
      targetType: 'contact',
      targetId: contact.id,
    });
  }

  /** The contact, locked for the rest of the caller's transaction (erasure). */
  getForUpdate(manager: EntityManager, orgId: string, id: string): Promise<Contact> {
    return this.contacts.in(manager).get(orgId, id, { lock: 'pessimistic_write' });
  }

  /**
   * Erases the contact's personal data in the caller's transaction (which redacts their messages
   * first): the row stays, so conversation and message counts add up, but it holds nothing about
   * the person, and its phone becomes a tombstone no number matches, so if they write again the
   * inbound path makes a new contact. The opt-in state goes back to `unknown`: consent belongs to
   * a person this row no longer names.
   */
  async erase(manager: EntityManager, contact: Contact): Promise<Contact> {
    const tombstone = `erased:${contact.id}`;
    await manager.update(
      Contact,
      { id: contact.id },
      {
        phone: tombstone,
        waId: tombstone,
        name: null,
        profileName: null,
        tags: [],
        attributes: {},
        optInStatus: 'unknown',
        optInSource: null,
        optInChangedAt: null,
        erasedAt: new Date(),
      },
    );
    await this.scrubAuditTrail(manager, contact.orgId, contact.id);
    await this.audit.record(manager, {
      orgId: contact.orgId,
      action: 'contact.erased',
      targetType: 'contact',
      targetId: contact.id,
    });
    return this.contacts.in(manager).get(contact.orgId, contact.id);
  }

  /**
   * The contact's audit rows keep which fields changed, when and by whom, but not the values:
   * every value in `changes` becomes `[erased]` (nulls stay null).
   */
  private async scrubAuditTrail(manager: EntityManager, orgId: string, contactId: string): Promise<void> {
    await manager.query(
      `UPDATE audit_logs SET changes = (
         SELECT jsonb_object_agg(side.key, CASE WHEN jsonb_typeof(side.value) = 'object'
           THEN (SELECT coalesce(jsonb_object_agg(field.key,
                   CASE WHEN field.value = 'null'::jsonb THEN field.value ELSE to_jsonb($3::text) END), '{}'::jsonb)
                 FROM jsonb_each(side.value) field)
           ELSE to_jsonb($3::text) END)
         FROM jsonb_each(changes) side)
       WHERE org_id = $1 AND target_type = 'contact' AND target_id = $2 AND changes IS NOT NULL`,
      [orgId, contactId, ERASED],
    );
  }
}

function normalizePhone(phone: string, defaultCountry?: string): string {
  const e164 = toE164(phone, defaultCountry);
  if (!e164) throw invalidPhone();
  return e164;
}

/** Runs `work`, turning the (org, phone) unique violation into a 409 on `phone`. */
async function uniquePhone<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw contactExists();
    throw error;
  }
}

function editable(contact: Contact): Editable {
  return {
    phone: contact.phone,
    name: contact.name,
    tags: contact.tags,
    attributes: contact.attributes,
    optInStatus: contact.optInStatus,
  };
}

/** The changed fields as `{ before, after }`; for attributes only the keys that changed (null = absent). */
function changesBetween(before: Editable, after: Editable) {
  const changed: Record<string, [unknown, unknown]> = {};
  for (const key of ['phone', 'name', 'optInStatus'] as const) {
    if (before[key] !== after[key]) changed[key] = [before[key], after[key]];
  }
  if (JSON.stringify(before.tags) !== JSON.stringify(after.tags)) changed['tags'] = [before.tags, after.tags];
  const keys = [...new Set([...Object.keys(before.attributes), ...Object.keys(after.attributes)])].filter(
    (key) => before.attributes[key] !== after.attributes[key],
  );
  if (keys.length > 0) {
    changed['attributes'] = [
      Object.fromEntries(keys.map((key) => [key, before.attributes[key] ?? null])),
      Object.fromEntries(keys.map((key) => [key, after.attributes[key] ?? null])),
    ];
  }
  const entries = Object.entries(changed);
  if (entries.length === 0) return undefined;
  return {
    before: Object.fromEntries(entries.map(([key, [value]]) => [key, value])),
    after: Object.fromEntries(entries.map(([key, [, value]]) => [key, value])),
  };
}
