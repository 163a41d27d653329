import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import { Contact, ContactDto, ContactsService } from '@parley/api/contacts';
import { ContactDataService, ConversationDto, MessageDto, NoteDto } from '@parley/api/conversations';
import { MediaDto, MediaService } from '@parley/api/media';
import { DataSource } from 'typeorm';
import { ContactExportDto } from './dto/contact-export.dto';

/** GDPR requests about one contact: export everything held, or erase it. */
@Injectable()
export class PrivacyService {
  private readonly logger = new Logger(PrivacyService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
    private readonly contactData: ContactDataService,
    private readonly media: MediaService,
    private readonly audit: AuditService,
  ) {}

  /** One consistent snapshot of the contact and their conversations, messages, notes and files. Audited. */
  export(orgId: string, id: string): Promise<ContactExportDto> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const contact = await this.contacts.get(orgId, id, manager);
      const data = await this.contactData.exportFor(manager, orgId, contact.id);
      await this.audit.record(manager, {
        orgId,
        action: 'contact.exported',
        targetType: 'contact',
        targetId: contact.id,
      });
      const media = new Map(
        data.messages.flatMap((message) => (message.media ? [[message.media.id, message.media]] : [])),
      );
      return {
        exportedAt: new Date(),
        orgId,
        contact: ContactDto.from(contact),
        conversations: data.conversations.map(ConversationDto.from),
        messages: data.messages.map(MessageDto.from),
        notes: data.notes.map(NoteDto.from),
        media: [...media.values()].map(MediaDto.from),
      };
    });
  }

  /**
   * Deletes the contact with their conversations and messages, after removing what a cascade would
   * leave behind: their files (rows and bytes) and their part of the stored webhooks.
   */
  async delete(orgId: string, id: string): Promise<void> {
    const { contactId, storageKeys } = await this.dataSource.transaction(async (manager) => {
      const found = await this.contacts.getForUpdate(manager, orgId, id);
      const keys = await this.media.deleteRows(manager, orgId, await this.contactData.redact(manager, orgId, found));
      await this.contacts.delete(manager, found);
      return { contactId: found.id, storageKeys: keys };
    });
    await this.removeFiles(contactId, storageKeys);
  }

  /**
   * Erases the contact's personal data in one transaction (see `ContactsService.erase` and
   * `ContactDataService.redact`), then removes their files from storage. Erasing again answers
   * the same contact and changes nothing.
   */
  async erase(orgId: string, id: string): Promise<Contact> {
    const { contact, storageKeys } = await this.dataSource.transaction(async (manager) => {
      const found = await this.contacts.getForUpdate(manager, orgId, id);
      if (found.erasedAt) return { contact: found, storageKeys: [] };
      const mediaIds = await this.contactData.redact(manager, orgId, found);
      const keys = await this.media.deleteRows(manager, orgId, mediaIds);
      return { contact: await this.contacts.erase(manager, found), storageKeys: keys };
    });
    await this.removeFiles(contact.id, storageKeys);
    return contact;
  }

  /** The rows are gone; a file that could not be removed is logged (by key, no personal data) for an operator. */
  private async removeFiles(contactId: string, storageKeys: string[]): Promise<void> {
    await this.media
      .deleteFiles(storageKeys)
      .catch((error: unknown) =>
        this.logger.error(
          `contact ${contactId}: files remain in storage: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }
}
