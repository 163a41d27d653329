import { effect, inject, Injectable, signal } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { RouterStateSnapshot, TitleStrategy } from '@angular/router';

/** "(3) Inbox · Parley": the page's title, led by the unread count the inbox reports. */
@Injectable({ providedIn: 'root' })
export class UnreadTitleStrategy extends TitleStrategy {
  private readonly title = inject(Title);
  private readonly page = signal('Parley');
  /** Unread conversations, set by the inbox while it is open. */
  readonly unread = signal(0);

  constructor() {
    super();
    effect(() => {
      const unread = this.unread();
      const page = this.page();
      this.title.setTitle(`${unread > 0 ? `(${unread}) ` : ''}${page === 'Parley' ? page : `${page} · Parley`}`);
    });
  }

  override updateTitle(snapshot: RouterStateSnapshot): void {
    this.page.set(this.buildTitle(snapshot) ?? 'Parley');
  }
}
