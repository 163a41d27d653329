import { ChangeDetectionStrategy, Component, effect, inject, input, untracked } from '@angular/core';
import { Chat } from './chat';
import { ConversationList } from './conversation-list';
import { InboxStore } from './inbox.store';
import { SidePanel } from './side-panel';

/** The team inbox: conversations, the open chat, and the customer beside it. */
@Component({
  selector: 'app-inbox',
  imports: [ConversationList, Chat, SidePanel],
  providers: [InboxStore],
  template: `
    <h1 class="visually-hidden">Inbox</h1>
    <app-conversation-list [selectedId]="conversationId() ?? null" />
    <app-chat />
    @if (store.current()) {
      <app-side-panel />
    }
  `,
  styles: `
    :host {
      display: grid;
      grid-template-columns: minmax(280px, 340px) minmax(0, 1fr) minmax(240px, 300px);
      height: 100%;
      min-height: 0;
    }
    @media (max-width: 1100px) {
      :host {
        grid-template-columns: 300px minmax(0, 1fr);
      }
      app-side-panel {
        display: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InboxPage {
  protected readonly store = inject(InboxStore);
  readonly conversationId = input<string>();

  constructor() {
    effect(() => {
      const id = this.conversationId() ?? null;
      untracked(() => void this.store.open(id));
    });
  }
}
