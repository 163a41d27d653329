import { computed, DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  addConversationNote,
  Api,
  cancelScheduledMessage,
  createScheduledMessage,
  type ConversationDto,
  getConversation,
  listConversationMessages,
  listConversationNotes,
  listConversations,
  type ListConversations$Params,
  listScheduledMessages,
  markConversationRead,
  type MessageDto,
  type NoteDto,
  type ScheduledMessageDto,
  sendConversationMessage,
  type SendMessageDto,
  suggestReply,
  type SuggestedReplyDto,
  updateConversation,
  type UpdateConversationDto,
} from '@parley/console/api-client';
import { problemOf, Session, UnreadTitleStrategy } from '@parley/console/core';
import { Realtime, type TypingEvent } from '@parley/console/realtime';
import { keepAi, latestReading } from './insights';

export type InboxTab = 'mine' | 'unassigned' | 'all';
export interface InboxFilters {
  status: 'open' | 'pending' | 'resolved' | 'any';
  tag: string;
  unread: boolean;
  q: string;
}

const PAGE = 30;
const TYPING_TTL_MS = 6_000;

function byRecent(a: ConversationDto, b: ConversationDto): number {
  return b.lastMessageAt.localeCompare(a.lastMessageAt) || b.id.localeCompare(a.id);
}

function bySchedule(a: ScheduledMessageDto, b: ScheduledMessageDto): number {
  return a.scheduledAt.localeCompare(b.scheduledAt) || a.id.localeCompare(b.id);
}

function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const index = list.findIndex((existing) => existing.id === item.id);
  if (index === -1) return [...list, item];
  const next = [...list];
  next[index] = item;
  return next;
}

/** `upsert`, keeping the AI reading shown when the incoming copy has none yet (see `keepAi`). */
function upsertKeepingAi<T extends { id: string; ai: unknown }>(list: T[], item: T): T[] {
  const shown = list.find((existing) => existing.id === item.id);
  return upsert(list, keepAi(item, shown));
}

/**
 * The inbox's state: the filtered conversation list, the open conversation with its messages and
 * notes, and who is typing. Loads pages on demand and keeps everything current from realtime events,
 * so nothing on screen needs a reload.
 */
@Injectable()
export class InboxStore {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  private readonly realtime = inject(Realtime);
  private readonly title = inject(UnreadTitleStrategy);

  readonly tab = signal<InboxTab>('all');
  readonly filters = signal<InboxFilters>({ status: 'open', tag: '', unread: false, q: '' });

  readonly conversations = signal<ConversationDto[]>([]);
  readonly listCursor = signal<string | null>(null);
  readonly listLoading = signal(false);
  readonly listError = signal<string | null>(null);

  readonly current = signal<ConversationDto | null>(null);
  readonly messages = signal<MessageDto[]>([]);
  readonly olderCursor = signal<string | null>(null);
  readonly messagesLoading = signal(false);
  readonly notes = signal<NoteDto[]>([]);
  readonly openError = signal<string | null>(null);
  /** Other agents typing, by conversation. */
  readonly typing = signal<Record<string, TypingEvent[]>>({});
  /** Members with the console open (online or away), by user id. */
  readonly present = signal<ReadonlySet<string>>(new Set());
  /** The open conversation's contact's messages still waiting to go out, soonest first. */
  readonly scheduled = signal<ScheduledMessageDto[]>([]);
  private readonly contactId = computed(() => this.current()?.contact.id ?? null);
  /** What AI triage read in the customer's latest message: how they feel and what they want now. */
  readonly latestReading = computed(() => latestReading(this.messages()));

  private listGeneration = 0;
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor() {
    const destroyRef = inject(DestroyRef);
    effect(() => {
      this.session.orgId();
      this.tab();
      this.filters();
      untracked(() => void this.reload());
    });
    effect(() => {
      const unread = this.conversations().filter((conversation) => conversation.unreadCount > 0).length;
      untracked(() => this.title.unread.set(unread));
    });
    destroyRef.onDestroy(() => {
      this.title.unread.set(0);
      this.typingTimers.forEach(clearTimeout);
    });

    this.realtime
      .on('conversation.updated')
      .pipe(takeUntilDestroyed())
      .subscribe((conversation) => this.conversationChanged(conversation));
    this.realtime
      .on('message.created')
      .pipe(takeUntilDestroyed())
      .subscribe((message) => this.messageArrived(message));
    // Another contact, or the same one again: their scheduled messages.
    effect(() => {
      const contactId = this.contactId();
      untracked(() => void this.loadScheduled(contactId));
    });
    // A scheduled message that went out arrives as a message: it leaves the waiting list.
    this.realtime
      .on('message.created')
      .pipe(takeUntilDestroyed())
      .subscribe((message) => {
        const due = this.scheduled().some((item) => Date.parse(item.scheduledAt) <= Date.now());
        if (due && message.contactId === this.contactId()) void this.loadScheduled(message.contactId);
      });
    this.realtime
      .on('message.updated')
      .pipe(takeUntilDestroyed())
      .subscribe((message) => {
        // Triage's reading arrives this way too.
        if (message.conversationId === this.current()?.id)
          this.messages.update((list) => upsertKeepingAi(list, message));
      });
    this.realtime
      .on('note.created')
      .pipe(takeUntilDestroyed())
      .subscribe((note) => {
        if (note.conversationId === this.current()?.id) this.notes.update((list) => upsert(list, note));
      });
    this.realtime
      .on('typing')
      .pipe(takeUntilDestroyed())
      .subscribe((event) => this.typingChanged(event));
    this.realtime
      .on('presence')
      .pipe(takeUntilDestroyed())
      .subscribe(({ userId, status }) =>
        this.present.update((present) => {
          const next = new Set(present);
          if (status === 'offline') next.delete(userId);
          else next.add(userId);
          return next;
        }),
      );
    // Who is here already, whenever the socket (re)connects or the org changes.
    effect(() => {
      const orgId = this.session.orgId();
      if (!this.realtime.connected() || !orgId) return;
      void this.realtime
        .presence(orgId)
        .then((entries) =>
          this.present.set(new Set(entries.filter((entry) => entry.status !== 'offline').map((entry) => entry.userId))),
        );
    });
  }

  private get orgId(): string {
    const orgId = this.session.orgId();
    if (!orgId) throw new Error('No organization selected');
    return orgId;
  }

  /** The list query of the current tab and filters. */
  private query(): Omit<ListConversations$Params, 'orgId'> {
    const { status, tag, unread, q } = this.filters();
    const tab = this.tab();
    return {
      limit: PAGE,
      ...(status !== 'any' && { status }),
      ...(tag.trim() && { tag: tag.trim() }),
      ...(unread && { unread: true }),
      ...(q.trim() && { q: q.trim() }),
      ...(tab === 'mine' && { assigneeId: 'me' }),
      ...(tab === 'unassigned' && { assigneeId: 'none' }),
    };
  }

  async reload(): Promise<void> {
    this.conversations.set([]);
    this.listCursor.set(null);
    await this.loadPage(null);
  }

  async loadMore(): Promise<void> {
    const cursor = this.listCursor();
    if (cursor && !this.listLoading()) await this.loadPage(cursor);
  }

  private async loadPage(cursor: string | null): Promise<void> {
    if (!this.session.orgId()) return;
    const generation = ++this.listGeneration;
    this.listLoading.set(true);
    this.listError.set(null);
    try {
      const page = await this.api.invoke(listConversations, {
        orgId: this.orgId,
        ...this.query(),
        ...(cursor && { cursor }),
      });
      // A newer query started while this one ran: its answer wins.
      if (generation !== this.listGeneration) return;
      this.conversations.update((list) => page.data.reduce(upsert, list).sort(byRecent));
      this.listCursor.set(page.nextCursor);
    } catch (error) {
      if (generation === this.listGeneration) this.listError.set(problemOf(error).summary);
    } finally {
      if (generation === this.listGeneration) this.listLoading.set(false);
    }
  }

  /** Opens a conversation: its newest messages, its notes, and marks it read. */
  async open(conversationId: string | null): Promise<void> {
    if (conversationId === this.current()?.id) return;
    this.messages.set([]);
    this.notes.set([]);
    this.olderCursor.set(null);
    if (!conversationId) {
      this.current.set(null);
      return;
    }
    this.current.set(this.conversations().find((c) => c.id === conversationId) ?? null);
    this.messagesLoading.set(true);
    this.openError.set(null);
    try {
      const orgId = this.orgId;
      const [conversation, page, notes] = await Promise.all([
        this.api.invoke(getConversation, { orgId, id: conversationId }),
        this.api.invoke(listConversationMessages, { orgId, id: conversationId, limit: 50 }),
        this.api.invoke(listConversationNotes, { orgId, id: conversationId, limit: 100 }),
      ]);
      if (this.current() && this.current()?.id !== conversationId) return;
      this.current.set(conversation);
      // Newest first from the API; oldest first on screen. Realtime may have added some already.
      this.messages.update((live) => [...page.data].reverse().reduce(upsert, live).sort(byTime));
      this.olderCursor.set(page.nextCursor);
      this.notes.set([...notes.data].reverse());
      await this.markRead();
    } catch (error) {
      this.openError.set(problemOf(error).summary);
    } finally {
      this.messagesLoading.set(false);
    }
  }

  async loadOlder(): Promise<void> {
    const conversation = this.current();
    const cursor = this.olderCursor();
    if (!conversation || !cursor || this.messagesLoading()) return;
    this.messagesLoading.set(true);
    try {
      const page = await this.api.invoke(listConversationMessages, {
        orgId: this.orgId,
        id: conversation.id,
        limit: 50,
        cursor,
      });
      this.messages.update((list) => [...page.data].reduce(upsert, list).sort(byTime));
      this.olderCursor.set(page.nextCursor);
    } finally {
      this.messagesLoading.set(false);
    }
  }

  async markRead(): Promise<void> {
    const conversation = this.current();
    if (!conversation || conversation.unreadCount === 0 || !this.session.can('agent')) return;
    const updated = await this.api.invoke(markConversationRead, { orgId: this.orgId, id: conversation.id });
    this.conversationChanged(updated);
  }

  async send(body: SendMessageDto): Promise<MessageDto> {
    const conversation = this.current();
    if (!conversation) throw new Error('No conversation open');
    const message = await this.api.invoke(sendConversationMessage, {
      orgId: this.orgId,
      id: conversation.id,
      'Idempotency-Key': crypto.randomUUID(),
      body,
    });
    if (message.conversationId === this.current()?.id)
      this.messages.update((list) => upsert(list, message).sort(byTime));
    return message;
  }

  /** A draft reply to the open conversation from AI triage (nothing is sent). */
  async suggestReply(): Promise<SuggestedReplyDto> {
    const conversation = this.current();
    if (!conversation) throw new Error('No conversation open');
    return this.api.invoke(suggestReply, { orgId: this.orgId, id: conversation.id });
  }

  async update(change: UpdateConversationDto): Promise<void> {
    const conversation = this.current();
    if (!conversation) return;
    this.conversationChanged(
      await this.api.invoke(updateConversation, { orgId: this.orgId, id: conversation.id, body: change }),
    );
  }

  async addNote(body: string): Promise<void> {
    const conversation = this.current();
    if (!conversation) return;
    const note = await this.api.invoke(addConversationNote, { orgId: this.orgId, id: conversation.id, body: { body } });
    this.notes.update((list) => upsert(list, note));
  }

  /** Sends `template` to the open conversation's contact, from its number, at `scheduledAt`. */
  async schedule(template: Record<string, unknown>, scheduledAt: string): Promise<ScheduledMessageDto> {
    const conversation = this.current();
    if (!conversation) throw new Error('No conversation open');
    const scheduled = await this.api.invoke(createScheduledMessage, {
      orgId: this.orgId,
      body: { contactId: conversation.contact.id, phoneNumberId: conversation.phoneNumberId, template, scheduledAt },
    });
    if (scheduled.contactId === this.contactId())
      this.scheduled.update((list) => upsert(list, scheduled).sort(bySchedule));
    return scheduled;
  }

  async cancelScheduled(id: string): Promise<void> {
    await this.api.invoke(cancelScheduledMessage, { orgId: this.orgId, id });
    this.scheduled.update((list) => list.filter((item) => item.id !== id));
  }

  private async loadScheduled(contactId: string | null): Promise<void> {
    const orgId = this.session.orgId();
    if (!contactId || !orgId) {
      this.scheduled.set([]);
      return;
    }
    try {
      const page = await this.api.invoke(listScheduledMessages, { orgId, contactId, status: 'scheduled', limit: 20 });
      if (this.contactId() === contactId) this.scheduled.set(page.data);
    } catch {
      // The list is a convenience beside the chat: without it the panel shows none.
      if (this.contactId() === contactId) this.scheduled.set([]);
    }
  }

  typingIn(conversationId: string): TypingEvent[] {
    return this.typing()[conversationId] ?? [];
  }

  /** Keeps the list in the order and the filter it shows; a conversation that left the filter leaves the list. */
  private conversationChanged(changed: ConversationDto): void {
    const conversation = keepAi(changed, this.conversations().find((c) => c.id === changed.id) ?? this.current());
    if (conversation.id === this.current()?.id) {
      this.current.set(conversation);
      // The agent is looking at it: it is read (the server then tells every tab).
      if (conversation.unreadCount > 0 && document.visibilityState === 'visible')
        void this.markRead().catch(() => undefined);
    }
    const listed = this.conversations().some((c) => c.id === conversation.id);
    if (this.matches(conversation, listed))
      this.conversations.update((list) => upsertKeepingAi(list, conversation).sort(byRecent));
    else if (listed) this.conversations.update((list) => list.filter((c) => c.id !== conversation.id));
  }

  /** Whether the list should show it. Tag and search can't be judged here: only listed ones stay. */
  private matches(conversation: ConversationDto, listed: boolean): boolean {
    const { status, unread, tag, q } = this.filters();
    const me = this.session.me()?.id;
    if (status !== 'any' && conversation.status !== status) return false;
    if (unread && conversation.unreadCount === 0 && conversation.id !== this.current()?.id) return false;
    if (this.tab() === 'mine' && conversation.assigneeId !== me) return false;
    if (this.tab() === 'unassigned' && conversation.assigneeId) return false;
    return listed || (!tag.trim() && !q.trim());
  }

  private messageArrived(message: MessageDto): void {
    if (message.conversationId !== this.current()?.id) return;
    this.messages.update((list) => upsertKeepingAi(list, message).sort(byTime));
  }

  private typingChanged(event: TypingEvent): void {
    const key = `${event.conversationId}:${event.userId}`;
    clearTimeout(this.typingTimers.get(key));
    this.typing.update((all) => {
      const others = (all[event.conversationId] ?? []).filter((t) => t.userId !== event.userId);
      return { ...all, [event.conversationId]: event.typing ? [...others, event] : others };
    });
    // A "stopped typing" that never arrives (closed tab) must not leave the hint forever.
    if (event.typing)
      this.typingTimers.set(
        key,
        setTimeout(() => this.typingChanged({ ...event, typing: false }), TYPING_TTL_MS),
      );
  }
}

function byTime(a: MessageDto, b: MessageDto): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}
