import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  input,
  model,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import {
  Api,
  listQuickReplies,
  type MediaDto,
  type MessageDto,
  type QuickReplyDto,
  type SendMessageDto,
  type SuggestedReplyDto,
  uploadMedia,
} from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { Realtime } from '@parley/console/realtime';
import { Icon } from '@parley/console/ui';
import { EMOJI } from './emoji';
import { InboxStore } from './inbox.store';
import { intentLabel, percent, PROVIDER_LABELS } from './insights';

const TYPING_IDLE_MS = 4_000;
/** WhatsApp's limit on a text message, and on a media caption. */
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

/** A media message's body for an uploaded file; its caption is what the agent typed. */
export function mediaMessage(media: MediaDto, caption: string): SendMessageDto {
  const withCaption = caption.trim() && media.kind !== 'audio' && media.kind !== 'sticker' ? { caption } : {};
  const filename = media.kind === 'document' && media.filename ? { filename: media.filename } : {};
  return { type: media.kind, [media.kind]: { id: media.id, ...withCaption, ...filename } };
}

/**
 * Where the agent writes: text (Enter sends, Shift+Enter breaks the line), emoji, attachments,
 * quick replies (type `/`), replies to a quoted message, AI-suggested drafts, and the template picker.
 */
@Component({
  selector: 'app-composer',
  imports: [FormsModule, MatButtonModule, MatMenuModule, MatTooltipModule, Icon],
  templateUrl: './composer.html',
  styleUrl: './composer.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Composer {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  private readonly realtime = inject(Realtime);
  private readonly store = inject(InboxStore);
  readonly conversationId = input.required<string>();
  readonly replyTo = model<MessageDto | null>(null);
  readonly pickTemplate = output<void>();

  private readonly textarea = viewChild.required<ElementRef<HTMLTextAreaElement>>('textarea');
  protected readonly text = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly emoji = EMOJI;
  protected readonly quickReplies = signal<QuickReplyDto[]>([]);
  /** Quick replies matching what follows a leading `/`. */
  protected readonly suggestions = computed(() => {
    const match = /^\/(\S*)$/.exec(this.text());
    if (!match) return [];
    const prefix = (match[1] ?? '').toLowerCase();
    return this.quickReplies()
      .filter((reply) => reply.shortcut.startsWith(prefix))
      .slice(0, 6);
  });
  protected readonly tooLong = computed(() => this.text().length > MAX_TEXT);
  /** A reply AI triage suggested, until the agent uses or dismisses it. */
  protected readonly suggestion = signal<SuggestedReplyDto | null>(null);
  protected readonly suggesting = signal(false);
  protected readonly intentLabel = intentLabel;
  protected readonly percent = percent;
  protected readonly providerLabels = PROVIDER_LABELS;
  private typingSince = 0;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const orgId = this.session.orgId();
    if (orgId)
      this.api.invoke(listQuickReplies, { orgId, limit: 100 }).then(
        (page) => this.quickReplies.set(page.data),
        () => this.quickReplies.set([]),
      );
    inject(DestroyRef).onDestroy(() => this.stopTyping());
    // A suggestion belongs to the conversation it was made for.
    effect(() => {
      this.conversationId();
      this.suggestion.set(null);
    });
  }

  protected async suggest(): Promise<void> {
    if (this.suggesting()) return;
    this.suggesting.set(true);
    this.error.set(null);
    const conversationId = this.conversationId();
    try {
      const suggestion = await this.store.suggestReply();
      if (conversationId === this.conversationId()) this.suggestion.set(suggestion);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.suggesting.set(false);
    }
  }

  /** Puts the suggestion in the composer, to edit and send. */
  protected useDraft(): void {
    const suggestion = this.suggestion();
    if (!suggestion) return;
    this.onInput(suggestion.text);
    this.suggestion.set(null);
    const element = this.textarea().nativeElement;
    queueMicrotask(() => {
      element.focus();
      element.setSelectionRange(suggestion.text.length, suggestion.text.length);
    });
  }

  protected onInput(value: string): void {
    this.text.set(value);
    this.error.set(null);
    // Tell the team at most every few seconds, and that it stopped once the agent pauses.
    if (Date.now() - this.typingSince > TYPING_IDLE_MS / 2) {
      this.typingSince = Date.now();
      this.realtime.typing(this.conversationId(), true);
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    const [first] = this.suggestions();
    if (first) this.useQuickReply(first);
    else void this.sendText();
  }

  protected useQuickReply(reply: QuickReplyDto): void {
    this.text.set(reply.text);
    this.textarea().nativeElement.focus();
  }

  protected insertEmoji(emoji: string): void {
    const element = this.textarea().nativeElement;
    const start = element.selectionStart ?? this.text().length;
    const end = element.selectionEnd ?? start;
    this.text.set(this.text().slice(0, start) + emoji + this.text().slice(end));
    queueMicrotask(() => {
      element.focus();
      element.setSelectionRange(start + emoji.length, start + emoji.length);
    });
  }

  async sendText(): Promise<void> {
    const body = this.text().trim();
    if (!body || this.busy()) return;
    if (this.tooLong()) {
      this.error.set(`A message has at most ${MAX_TEXT} characters.`);
      return;
    }
    await this.send({ type: 'text', text: { body, preview_url: /https?:\/\//.test(body) } });
  }

  /** Uploads the file, then sends it with the typed text as its caption. */
  protected async attach(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    const orgId = this.session.orgId();
    if (!file || !orgId) return;
    if (this.text().length > MAX_CAPTION) {
      this.error.set(`A caption has at most ${MAX_CAPTION} characters.`);
      return;
    }
    this.busy.set(true);
    try {
      const media = await this.api.invoke(uploadMedia, { orgId, body: { file } });
      this.busy.set(false);
      await this.send(mediaMessage(media, this.text().trim()));
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.busy.set(false);
    }
  }

  private async send(body: SendMessageDto): Promise<void> {
    const replyTo = this.replyTo();
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.store.send(replyTo?.waMessageId ? { ...body, context: { message_id: replyTo.id } } : body);
      this.text.set('');
      this.replyTo.set(null);
      this.stopTyping();
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.busy.set(false);
      this.textarea().nativeElement.focus();
    }
  }

  private stopTyping(): void {
    clearTimeout(this.typingTimer);
    if (this.typingSince) this.realtime.typing(this.conversationId(), false);
    this.typingSince = 0;
  }
}
