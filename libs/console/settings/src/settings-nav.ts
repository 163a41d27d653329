import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink, RouterLinkActive } from '@angular/router';

/** The tabs of the settings pages. */
@Component({
  selector: 'app-settings-nav',
  imports: [RouterLink, RouterLinkActive],
  template: `
    <nav class="tabs" aria-label="Settings">
      <a routerLink="/settings/whatsapp" routerLinkActive="active" ariaCurrentWhenActive="page">WhatsApp accounts</a>
      <a routerLink="/settings/team" routerLinkActive="active" ariaCurrentWhenActive="page">Team</a>
      <a routerLink="/settings/api-keys" routerLinkActive="active" ariaCurrentWhenActive="page">API keys</a>
      <a routerLink="/settings/webhooks" routerLinkActive="active" ariaCurrentWhenActive="page">Webhooks</a>
      <a routerLink="/settings/quick-replies" routerLinkActive="active" ariaCurrentWhenActive="page">Quick replies</a>
      <a routerLink="/settings/ai" routerLinkActive="active" ariaCurrentWhenActive="page">AI</a>
      <a routerLink="/settings/business-hours" routerLinkActive="active" ariaCurrentWhenActive="page">Business hours</a>
      <a routerLink="/settings/audit-log" routerLinkActive="active" ariaCurrentWhenActive="page">Audit log</a>
      <a routerLink="/settings/privacy" routerLinkActive="active" ariaCurrentWhenActive="page">Privacy</a>
    </nav>
  `,
  styles: `
    .tabs {
      display: flex;
      gap: 4px;
      margin-bottom: 16px;
      border-bottom: 1px solid var(--app-border);
    }
    a {
      padding: 8px 14px;
      color: var(--app-muted);
      text-decoration: none;
      border-bottom: 3px solid transparent;
      &.active {
        color: var(--app-accent);
        border-color: var(--app-accent);
        font-weight: 600;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsNav {}
