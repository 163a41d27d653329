import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  inject,
  input,
  viewChild,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { RouterLink } from '@angular/router';
import type { ConversationDto } from '@parley/console/api-client';
import { Icon, initials } from '@parley/console/ui';
import { type InboxFilters, InboxStore, type InboxTab } from './inbox.store';
import { shortTime } from './time';

/** The left pane: tabs, filters, search, and the conversations, loading more as you scroll. */
@Component({
  selector: 'app-conversation-list',
  imports: [
    FormsModule,
    RouterLink,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    Icon,
  ],
  templateUrl: './conversation-list.html',
  styleUrl: './conversation-list.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConversationList {
  protected readonly store = inject(InboxStore);
  readonly selectedId = input<string | null>(null);
  private readonly sentinel = viewChild.required<ElementRef<HTMLElement>>('sentinel');
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  protected readonly time = shortTime;

  constructor() {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      const observer = new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void this.store.loadMore();
      });
      observer.observe(this.sentinel().nativeElement);
      destroyRef.onDestroy(() => observer.disconnect());
    });
    destroyRef.onDestroy(() => clearTimeout(this.searchTimer));
  }

  protected setTab(tab: InboxTab): void {
    this.store.tab.set(tab);
  }

  protected setFilter<K extends keyof InboxFilters>(key: K, value: InboxFilters[K]): void {
    this.store.filters.update((filters) => ({ ...filters, [key]: value }));
  }

  /** Search as you type, once typing pauses. */
  protected search(q: string): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.setFilter('q', q), 250);
  }

  protected nameOf(conversation: ConversationDto): string {
    return conversation.contact.name || conversation.contact.phone;
  }

  protected initialsOf(conversation: ConversationDto): string {
    return initials(conversation.contact.name, '#');
  }
}
