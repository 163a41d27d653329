import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { Icon } from '@parley/console/ui';
import { formatDuration, windowState } from './window';

/**
 * Tells the agent where the 24-hour customer service window stands: closing soon, or closed with
 * the one way forward (an approved template). Silent while the window is comfortably open.
 */
@Component({
  selector: 'app-window-banner',
  imports: [MatButtonModule, Icon],
  template: `
    @let state = current();
    @if (!state.open) {
      <div class="banner closed" role="status">
        <app-icon name="lock" />
        <p>
          @if (state.closedForMs === null) {
            This customer has not written yet, so the conversation can only start with an approved template.
          } @else {
            The 24-hour window closed {{ duration(state.closedForMs) }} ago. WhatsApp only allows approved templates
            until the customer writes again.
          }
        </p>
        @if (canSend()) {
          <button mat-flat-button type="button" (click)="pickTemplate.emit()">Choose a template</button>
        }
      </div>
    } @else if (state.closingSoon) {
      <div class="banner soon" role="status">
        <app-icon name="clock" />
        <p>The 24-hour window closes in {{ duration(state.remainingMs) }}.</p>
      </div>
    }
  `,
  styles: `
    .banner {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 8px 16px;
      p {
        margin: 0;
        flex: 1;
      }
    }
    .closed {
      background: #fff4e5;
      color: #5f3a00;
    }
    .soon {
      background: #fffbe6;
      color: #5c4a00;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WindowBanner {
  readonly expiresAt = input<string | null | undefined>(null);
  readonly canSend = input(true);
  readonly pickTemplate = output<void>();

  private readonly now = signal(Date.now());
  protected readonly current = computed(() => windowState(this.expiresAt(), this.now()));
  protected readonly duration = formatDuration;

  constructor() {
    const timer = setInterval(() => this.now.set(Date.now()), 30_000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }
}
