import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Contact, ContactsService, toE164 } from '@parley/api/contacts';
import {
  addWithin,
  AppConfig,
  DomainError,
  ErrorCode,
  FieldError,
  isUniqueViolation,
  isUuid,
  QueueName,
  sha256Hex,
} from '@parley/api/core';
import { MediaService } from '@parley/api/media';
import { TemplatesService } from '@parley/api/templates';
import { PhoneNumber, WabaAccountsService } from '@parley/api/waba-accounts';
import {
  describeOutbound,
  isWindowOpen,
  mediaProblem,
  OutboundContent,
  outboundProblems,
  SENDABLE_TYPES,
  TemplateDefinition,
  templateParameterProblems,
} from '@parley/whatsapp/cloud-api';
import type { JobOptions, Queue } from 'bull';
import { DataSource, EntityManager, Not } from 'typeorm';
import { PartnerSendMessageDto, SendMessageDto } from './dto/send-message.dto';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { InboxEvents } from './inbox-events';
import { mediaRefsOf } from './media-refs';
import { openConversation } from './open-conversation';

export interface SendJob {
  orgId: string;
  messageId: string;
}

/** Queued messages of one org and number sent as a lot (a campaign's batch): `MessageSender.sendBatch`. */
export interface SendBatchJob {
  orgId: string;
  /** Our phone number row, which every message of the batch goes from. */
  phoneNumberId: string;
  messageIds: string[];
}

export interface SendOptions {
  /** The caller's `Idempotency-Key`: the same key with the same request gives the same message, sent once. */
  idempotencyKey?: string;
  /** The member sending; null for API keys and the platform's own replies. */
  senderId: string | null;
}

/** Send options with the hash of the request an idempotency key came with. */
type StampedOptions = SendOptions & { requestHash: string | null };

export const sendJobId = (messageId: string) => `send-${messageId}`;

/** How long the 202 waits for Redis before answering anyway (the sweeper queues the message later). */
const ENQUEUE_WAIT_MS = 250;

/** Where a message goes: the business number, the customer (unknown yet for a first partner send) and their open conversation. */
interface Target {
  number: PhoneNumber;
  contact: Contact | null;
  /** E.164 of the customer. */
  phone: string;
  conversation: Conversation | null;
}

/** A send that passed every check, ready to store. */
interface Checked {
  content: OutboundContent;
  body: string;
  mediaId: string | null;
  context: { waMessageId: string; messageId: string } | null;
  lastInboundAt: Date | null;
}

/**
 * The outbound path's first half (CLOUD-API.md §3, §5, §7): checks a message against Meta's rules
 * before anything is sent (shape and limits, the 24-hour window, approved templates with matching
 * parameters, opt-outs, media), stores it `queued` and hands it to the worker, which sends it at
 * the number's pace. Nothing is written when a check fails.
 */
@Injectable()
export class OutboundService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.OutboundMessages) private readonly queue: Queue<SendJob>,
    private readonly contacts: ContactsService,
    private readonly accounts: WabaAccountsService,
    private readonly templates: TemplatesService,
    private readonly media: MediaService,
    private readonly events: InboxEvents,
    private readonly config: AppConfig,
  ) {}

  /** An agent's (or partner's) message in a conversation; a resolved conversation opens again. */
  sendInConversation(
    orgId: string,
    conversationId: string,
    dto: SendMessageDto,
    options: SendOptions,
  ): Promise<Message> {
    return this.idempotently(orgId, `conversation:${conversationId}`, dto, options, async (stamped) => {
      const conversation = isUuid(conversationId)
        ? await this.dataSource
            .getRepository(Conversation)
            .findOne({ where: { orgId, id: conversationId }, relations: { contact: true, phoneNumber: true } })
        : null;
      if (!conversation?.contact || !conversation.phoneNumber) throw DomainError.notFound('Conversation');
      const target = {
        number: conversation.phoneNumber,
        contact: conversation.contact,
        phone: conversation.contact.phone,
        conversation,
      };
      return this.send(orgId, target, dto, stamped);
    });
  }

  /** A partner's send to a phone number: the contact and conversation are made when needed. */
  sendToPhone(orgId: string, dto: PartnerSendMessageDto, options: SendOptions): Promise<Message> {
    return this.idempotently(orgId, 'partner', dto, options, async (stamped) => {
      const phone = toE164(dto.to);
      if (!phone) throw DomainError.invalidField(ErrorCode.ValidationFailed, 'to', 'to must be a valid phone number');
      const contact = await this.dataSource.getRepository(Contact).findOneBy({ orgId, phone });
      const number = await this.senderNumber(orgId, contact, dto.phoneNumberId);
      const conversation = contact
        ? await this.dataSource.getRepository(Conversation).findOneBy({
            orgId,
            contactId: contact.id,
            phoneNumberId: number.id,
            status: Not('resolved' as const),
          })
        : null;
      return this.send(orgId, { number, contact, phone, conversation }, dto, stamped);
    });
  }

  /**
   * The platform's own send to a known contact from one of our numbers (a drip flow's step),
   * checked like any other; the contact's phone is used as stored, never re-parsed.
   */
  sendToContact(
    orgId: string,
    to: { contactId: string; phoneNumberId: string },
    dto: SendMessageDto,
    options: SendOptions,
  ): Promise<Message> {
    return this.idempotently(orgId, `contact:${to.contactId}`, dto, options, async (stamped) => {
      const contact = await this.dataSource.getRepository(Contact).findOneBy({ orgId, id: to.contactId });
      if (!contact) throw DomainError.notFound('Contact');
      const number = await this.accounts.phoneNumber(orgId, to.phoneNumberId);
      const conversation = await this.dataSource.getRepository(Conversation).findOneBy({
        orgId,
        contactId: contact.id,
        phoneNumberId: number.id,
        status: Not('resolved' as const),
      });
      return this.send(orgId, { number, contact, phone: contact.phone, conversation }, dto, stamped);
    });
  }

  /** The business number a partner's send goes from: the one named, else the one the customer last talked to, else the org's first. */
  private async senderNumber(orgId: string, contact: Contact | null, metaId: string | undefined): Promise<PhoneNumber> {
    if (metaId) {
      const named = await this.accounts.phoneNumberByMetaId(orgId, metaId);
      if (!named)
        throw DomainError.invalidField(
          ErrorCode.ValidationFailed,
          'phoneNumberId',
          `phoneNumberId ${metaId} is not a number of this organization`,
        );
      return named;
    }
    return this.defaultSenderNumber(orgId, contact);
  }

  /** The number the customer last talked to, else the org's first. */
  private async defaultSenderNumber(orgId: string, contact: Contact | null): Promise<PhoneNumber> {
    const latest = contact
      ? await this.dataSource.getRepository(Conversation).findOne({
          where: { orgId, contactId: contact.id },
          relations: { phoneNumber: true },
          order: { lastMessageAt: 'DESC' },
        })
      : null;
    const number = latest?.phoneNumber ?? (await this.accounts.firstPhoneNumber(orgId));
    if (!number)
      throw DomainError.invalidField(
        ErrorCode.ValidationFailed,
        'phoneNumberId',
        'This organization has no WhatsApp number yet: register one under a WABA account',
      );
    return number;
  }

  /**
   * Checks a template send to a contact exactly as a send would (approved template on the number's
   * WABA, matching parameters, opt-out, erasure), without storing or sending anything: for sends
   * scheduled for later. `phoneNumberId` is our number's id; without it, the number the contact
   * last talked to, else the org's first. Answers the number the message would go from.
   */
  async checkTemplateSend(
    orgId: string,
    contact: Contact,
    phoneNumberId: string | undefined,
    template: Record<string, unknown>,
  ): Promise<PhoneNumber> {
    const number = phoneNumberId
      ? await this.accounts.phoneNumber(orgId, phoneNumberId).catch((error: unknown) => {
          if (error instanceof DomainError && error.code === ErrorCode.NotFound)
            throw DomainError.invalidField(
              ErrorCode.ValidationFailed,
              'phoneNumberId',
              `phoneNumberId ${phoneNumberId} is not a number of this organization`,
            );
          throw error;
        })
      : await this.defaultSenderNumber(orgId, contact);
    const target = { number, contact, phone: contact.phone, conversation: null };
    await this.check(orgId, target, { type: 'template', template }, 'contactId');
    return number;
  }

  /**
   * Stores the platform's own reply (an opt-out confirmation, an automation's answer) in the
   * caller's transaction, `queued` like any other: the caller queues it once that commits, or the
   * sweeper does. Only for answers to a customer who wrote within the window: the caller checks it.
   * Text, or content in Meta's send shape already checked against Meta's limits.
   */
  async storeReply(
    manager: EntityManager,
    to: Pick<Message, 'orgId' | 'conversationId' | 'contactId' | 'phoneNumberId'>,
    reply: string | OutboundContent,
  ): Promise<string> {
    const now = new Date();
    const content: OutboundContent = typeof reply === 'string' ? { type: 'text', text: { body: reply } } : reply;
    const body = describeOutbound(content);
    const message = await manager.save(
      manager.create(Message, {
        ...to,
        direction: 'outbound',
        type: content.type,
        status: 'queued',
        waMessageId: null,
        body,
        payload: content as unknown as Message['payload'],
        senderId: null,
        occurredAt: now,
      }),
    );
    await touchConversation(manager, to.conversationId, now, body);
    return message.id;
  }

  private async send(orgId: string, target: Target, dto: SendMessageDto, options: StampedOptions): Promise<Message> {
    const checked = await this.check(orgId, target, dto);
    const stored = await this.dataSource.transaction((manager) => this.store(manager, orgId, target, checked, options));
    // Read and announced before the worker can take it: the 202 always shows the message as
    // accepted (`queued`), and inboxes get `message.created` before any `message.updated`.
    const message = await this.withMedia(orgId, stored.id);
    this.events.message('message.created', message);
    await this.enqueue(stored);
    await this.events.conversations(orgId, [message.conversationId]);
    return message;
  }

  /** Queues the send; when Redis doesn't answer in time the message stays `queued` and the sweeper queues it. */
  async enqueue(message: Pick<Message, 'id' | 'orgId'>): Promise<boolean> {
    return addWithin(
      this.queue,
      'send',
      { orgId: message.orgId, messageId: message.id },
      this.sendJobOptions(message.id),
      ENQUEUE_WAIT_MS,
    );
  }

  sendJobOptions(messageId: string): JobOptions & { jobId: string } {
    return {
      jobId: sendJobId(messageId),
      attempts: this.config.SEND_MAX_ATTEMPTS,
      backoff: {
        type: 'jitter',
        options: { baseMs: this.config.SEND_RETRY_BASE_MS },
      } as unknown as JobOptions['backoff'],
    };
  }

  /** `recipientField` is the request field that named the customer, which erasure and opt-out errors point at. */
  private async check(orgId: string, target: Target, dto: SendMessageDto, recipientField = 'to'): Promise<Checked> {
    const stray = SENDABLE_TYPES.filter((key) => key !== dto.type && dto[key] !== undefined);
    if (stray.length > 0) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `A ${dto.type} message carries only its ${dto.type} object`,
        stray.map((field) => ({ field, message: `${field} is not allowed with type ${dto.type}` })),
      );
    }
    if (target.contact?.erasedAt)
      throw DomainError.invalidField(ErrorCode.ContactErased, recipientField, "The contact's personal data was erased");
    const content = SendMessageDto.content(dto);
    const problems = outboundProblems(content);
    if (problems.length > 0) throw invalid(ErrorCode.ValidationFailed, problems);

    const lastInboundAt = target.contact ? await this.lastInboundAt(target.contact.id, target.number.id) : null;
    if (content.type !== 'template' && !isWindowOpen(lastInboundAt)) {
      throw DomainError.invalidField(
        ErrorCode.OutsideCustomerServiceWindow,
        'type',
        lastInboundAt
          ? `The customer last wrote more than 24 hours ago (${lastInboundAt.toISOString()}): only an approved template can be sent now`
          : 'The customer has not written to this number: only an approved template can start the conversation',
      );
    }

    let definition: TemplateDefinition | null = null;
    if (content.type === 'template') {
      const { name, language } = content.template;
      const template = await this.templates.findForSend(orgId, target.number.wabaAccountId, name, language.code);
      if (!template)
        throw DomainError.invalidField(
          ErrorCode.TemplateNotFound,
          'template.name',
          `No template ${name} in ${language.code} on this WhatsApp account`,
        );
      if (template.status !== 'APPROVED')
        throw DomainError.invalidField(
          ErrorCode.TemplateNotApproved,
          'template.name',
          `Template ${name} (${language.code}) is ${template.status}; only APPROVED templates can be sent`,
        );
      definition = { parameter_format: template.parameterFormat, components: template.components };
      const mismatches = templateParameterProblems(definition, content.template);
      if (mismatches.length > 0) throw invalid(ErrorCode.TemplateParameterMismatch, mismatches);
      if (template.category === 'MARKETING' && target.contact?.optInStatus === 'opted_out')
        throw DomainError.invalidField(
          ErrorCode.ContactOptedOut,
          recipientField,
          'The contact opted out of marketing messages; send a utility template or wait for them to opt in',
        );
    }

    let mediaId: string | null = null;
    for (const { field, ref, kind } of mediaRefsOf(content)) {
      if (!isUuid(ref.id)) continue; // a link, or Meta's own media id: Meta checks it
      const media = await this.media.get(orgId, ref.id).catch(() => null);
      const problem = !media
        ? `${field}.id is not a media id of this organization`
        : media.status !== 'stored'
          ? `${field}.id is not stored yet (${media.status})`
          : mediaProblem(kind, media.mimeType, media.sizeBytes ?? 0);
      if (problem) throw DomainError.invalidField(ErrorCode.MediaNotAccepted, `${field}.id`, problem);
      if (field === content.type) mediaId = ref.id;
    }

    const context = dto.context ? await this.quoted(orgId, target, dto.context.message_id, 'context.message_id') : null;
    if (content.type === 'reaction') {
      if (context)
        throw DomainError.invalidField(ErrorCode.ValidationFailed, 'context', 'A reaction cannot be a reply');
      const reacted = await this.quoted(orgId, target, content.reaction.message_id, 'reaction.message_id');
      content.reaction.message_id = reacted.waMessageId;
    }
    return { content, body: describeOutbound(content, definition), mediaId, context, lastInboundAt };
  }

  /** A message of the target's conversation with this customer, by our id or Meta's. */
  private async quoted(
    orgId: string,
    target: Target,
    ref: string,
    field: string,
  ): Promise<{ waMessageId: string; messageId: string }> {
    const found = target.contact
      ? await this.dataSource.getRepository(Message).findOne({
          select: { id: true, waMessageId: true },
          where: {
            orgId,
            contactId: target.contact.id,
            phoneNumberId: target.number.id,
            ...(isUuid(ref) ? { id: ref } : { waMessageId: ref }),
          },
        })
      : null;
    if (!found?.waMessageId)
      throw DomainError.invalidField(
        ErrorCode.ValidationFailed,
        field,
        `${field} is not a sent or received message of this conversation`,
      );
    return { waMessageId: found.waMessageId, messageId: found.id };
  }

  private async store(
    manager: EntityManager,
    orgId: string,
    target: Target,
    checked: Checked,
    options: StampedOptions,
  ): Promise<Message> {
    const now = new Date();
    const contactId =
      target.contact?.id ??
      (await this.contacts.upsertFromWhatsApp(manager, orgId, {
        waId: target.phone.slice(1),
        profileName: null,
        inboundAt: null,
      }));
    let conversationId: string;
    if (target.conversation?.status === 'resolved') {
      conversationId = target.conversation.id;
      await manager
        .update(Conversation, { id: conversationId }, { status: 'open', resolvedAt: null })
        .catch((error) => {
          if (!isUniqueViolation(error)) throw error;
          throw DomainError.invalidField(
            ErrorCode.ConversationAlreadyOpen,
            'conversationId',
            'A newer conversation with this contact on this number is open: reply there',
          );
        });
    } else {
      conversationId =
        target.conversation?.id ??
        (await openConversation(manager, {
          orgId,
          phoneNumberId: target.number.id,
          contactId,
          at: now,
          lastInboundAt: checked.lastInboundAt,
        }));
    }
    const message = await manager.save(
      manager.create(Message, {
        orgId,
        conversationId,
        contactId,
        phoneNumberId: target.number.id,
        direction: 'outbound',
        type: checked.content.type,
        status: 'queued',
        waMessageId: null,
        body: checked.body,
        payload: {
          ...(checked.content as unknown as Record<string, never>),
          ...(checked.context && { context: { message_id: checked.context.waMessageId } }),
        },
        contextWaMessageId: checked.context?.waMessageId ?? null,
        contextMessageId: checked.context?.messageId ?? null,
        mediaId: checked.mediaId,
        senderId: options.senderId,
        idempotencyKey: options.idempotencyKey ?? null,
        requestHash: options.requestHash,
        occurredAt: now,
      }),
    );
    if (checked.content.type !== 'reaction') await touchConversation(manager, conversationId, now, checked.body);
    return message;
  }

  /**
   * Runs a send once per `Idempotency-Key`: a repeat with the same request answers the message
   * of the first; the same key with a different request is a 422. Concurrent repeats race on the
   * unique index, and the loser answers the winner's message.
   */
  private async idempotently(
    orgId: string,
    scope: string,
    dto: SendMessageDto,
    options: SendOptions,
    send: (options: StampedOptions) => Promise<Message>,
  ): Promise<Message> {
    const key = options.idempotencyKey;
    if (key === undefined) return send({ ...options, requestHash: null });
    const requestHash = sha256Hex(JSON.stringify({ scope, dto }));
    const previous = () =>
      this.dataSource
        .getRepository(Message)
        .findOne({ where: { orgId, idempotencyKey: key }, relations: { media: true } });
    const answer = (message: Message) => {
      if (message.requestHash !== requestHash) {
        throw DomainError.invalidField(
          ErrorCode.IdempotencyKeyReused,
          'Idempotency-Key',
          'This Idempotency-Key was used with a different request',
        );
      }
      return message;
    };
    const earlier = await previous();
    if (earlier) return answer(earlier);
    try {
      return await send({ ...options, requestHash });
    } catch (error) {
      const winner = isUniqueViolation(error) ? await previous() : null;
      if (winner) return answer(winner);
      throw error;
    }
  }

  /** A message as the API shows it: with its file. */
  private withMedia(orgId: string, id: string): Promise<Message> {
    return this.dataSource.getRepository(Message).findOneOrFail({ where: { orgId, id }, relations: { media: true } });
  }

  /** When the customer last wrote to this number, in any of their conversations: the 24-hour window runs from it. */
  private async lastInboundAt(contactId: string, phoneNumberId: string): Promise<Date | null> {
    const [row]: { at: Date | null }[] = await this.dataSource.query(
      'SELECT max(last_inbound_at) AS at FROM conversations WHERE contact_id = $1 AND phone_number_id = $2',
      [contactId, phoneNumberId],
    );
    return row?.at ?? null;
  }
}

/** A message went out in the conversation: it moves up the inbox with this preview. */
function touchConversation(
  manager: EntityManager,
  conversationId: string,
  at: Date,
  preview: string,
): Promise<unknown> {
  return manager.query(
    `UPDATE conversations SET last_message_at = GREATEST(last_message_at, $2), last_message_preview = $3, updated_at = now()
     WHERE id = $1`,
    [conversationId, at, preview.slice(0, 200)],
  );
}

/** A 4xx listing every problem found, each naming its field as in Meta's body. */
function invalid(code: ErrorCode, problems: FieldError[]): DomainError {
  return new DomainError(code, problems.map((problem) => problem.message).join('; '), problems);
}
