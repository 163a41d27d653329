import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import type { MessageDto } from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { Composer } from './composer';
import { InboxStore } from './inbox.store';
import { MessageBubble } from './message-bubble';
import { TemplatePicker, type TemplatePick, type TemplatePickerData } from './template-picker';
import { dayLabel } from './time';
import { WindowBanner } from './window-banner';
import { windowState } from './window';

type ChatItem = { kind: 'day'; key: string; label: string } | { kind: 'message'; key: string; message: MessageDto };

/** The messages of one day follow its separator, as on the phone. */
export function chatItems(messages: MessageDto[], now = new Date()): ChatItem[] {
  const items: ChatItem[] = [];
  let day = '';
  for (const message of messages) {
    const label = dayLabel(message.createdAt, now);
    if (label !== day) {
      day = label;
      items.push({ kind: 'day', key: `day:${message.createdAt}`, label });
    }
    items.push({ kind: 'message', key: message.id, message });
  }
  return items;
}

/** The middle pane: the conversation's messages, the window banner and the composer. */
@Component({
  selector: 'app-chat',
  imports: [MatButtonModule, MessageBubble, WindowBanner, Composer],
  templateUrl: './chat.html',
  styleUrl: './chat.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Chat {
  protected readonly store = inject(InboxStore);
  protected readonly session = inject(Session);
  private readonly dialog = inject(MatDialog);
  private readonly scroller = viewChild<ElementRef<HTMLElement>>('scroller');

  private readonly currentId = computed(() => this.store.current()?.id ?? null);
  protected readonly items = computed(() => chatItems(this.store.messages()));
  protected readonly byId = computed(() => new Map(this.store.messages().map((message) => [message.id, message])));
  protected readonly windowOpen = computed(() => windowState(this.store.current()?.windowExpiresAt, Date.now()).open);
  protected readonly typing = computed(() => {
    const conversation = this.store.current();
    return conversation ? this.store.typingIn(conversation.id) : [];
  });
  protected readonly replyTo = signal<MessageDto | null>(null);
  protected readonly error = signal<string | null>(null);
  private stickToBottom = true;

  constructor() {
    // New messages scroll into view when the agent was already at the bottom.
    effect(() => {
      this.items();
      untracked(() => {
        const element = this.scroller()?.nativeElement;
        if (element && this.stickToBottom) requestAnimationFrame(() => (element.scrollTop = element.scrollHeight));
      });
    });
    effect(() => {
      this.currentId();
      untracked(() => {
        this.stickToBottom = true;
        this.replyTo.set(null);
        this.error.set(null);
      });
    });
  }

  protected quoted(message: MessageDto): MessageDto | null {
    const context = message.context;
    if (!context) return null;
    if (context.messageId) return this.byId().get(context.messageId) ?? null;
    return this.store.messages().find((m) => m.waMessageId === context.waMessageId) ?? null;
  }

  protected onScroll(element: HTMLElement): void {
    this.stickToBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
    if (element.scrollTop < 120) {
      const before = element.scrollHeight;
      void this.store
        .loadOlder()
        .then(() => requestAnimationFrame(() => (element.scrollTop += element.scrollHeight - before)));
    }
  }

  protected async pickTemplate(): Promise<void> {
    const conversation = this.store.current();
    const orgId = this.session.orgId();
    if (!conversation || !orgId) return;
    const data: TemplatePickerData = { orgId, contactName: conversation.contact.name };
    const pick = await new Promise<TemplatePick | undefined>((resolve) =>
      this.dialog
        .open<TemplatePicker, TemplatePickerData, TemplatePick>(TemplatePicker, { data, width: '820px' })
        .afterClosed()
        .subscribe(resolve),
    );
    if (!pick) return;
    this.error.set(null);
    const template = pick.template as unknown as Record<string, unknown>;
    try {
      if (pick.scheduledAt) {
        await this.store.schedule(template, pick.scheduledAt);
        return;
      }
      this.stickToBottom = true;
      await this.store.send({ type: 'template', template });
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }
}
