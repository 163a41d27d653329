import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Session, TokenHealth } from '@parley/console/core';
import { Icon } from '@parley/console/ui';

/**
 * A banner over every page while a WhatsApp account's access token is invalid or about to expire,
 * so the team replaces it before sends fail with Meta's 190. Admins get a link to do it.
 */
@Component({
  selector: 'app-token-banner',
  imports: [DatePipe, RouterLink, Icon],
  template: `
    @for (account of health.unhealthy(); track account.id) {
      <div class="banner" role="alert" [attr.data-status]="account.tokenHealth.status">
        <app-icon name="error" />
        <span>
          @if (account.tokenHealth.status === 'invalid') {
            The WhatsApp access token of <strong>{{ account.name }}</strong> no longer works: sends will fail until it
            is replaced.
            <span class="problem">{{ account.tokenHealth.problem }}</span>
          } @else {
            The WhatsApp access token of <strong>{{ account.name }}</strong> expires soon: replace it before sends fail.
            <span class="problem">It expires {{ account.tokenHealth.expiresAt | date: 'medium' }}.</span>
          }
        </span>
        @if (session.can('admin')) {
          <a routerLink="/settings/whatsapp">Replace the token</a>
        } @else {
          <span class="ask">Ask an admin to replace it.</span>
        }
      </div>
    }
  `,
  styles: `
    .banner {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 8px 16px;
      background: #fff4d6;
      color: #4d3800;
      border-bottom: 1px solid #f0d58a;
      &[data-status='invalid'] {
        background: #fde2e1;
        color: #6e1410;
        border-color: #f3b7b3;
      }
      > span:not(.ask) {
        flex: 1;
      }
      .problem {
        display: block;
        font-size: 12px;
      }
      a {
        font-weight: 600;
        color: inherit;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TokenBanner {
  protected readonly health = inject(TokenHealth);
  protected readonly session = inject(Session);
}
