import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { MessageDto } from '@parley/console/api-client';
import { Icon, type IconName } from '@parley/console/ui';

interface Tick {
  icon: IconName;
  label: string;
  tone: 'muted' | 'read' | 'failed';
}

/** WhatsApp's ticks: queued ◷, sent ✓, delivered ✓✓, read ✓✓ in blue, failed ⚠ with Meta's reason. */
export function tickOf(message: Pick<MessageDto, 'status' | 'error'>): Tick | null {
  switch (message.status) {
    case 'queued':
      return { icon: 'clock', label: 'Sending', tone: 'muted' };
    case 'sent':
      return { icon: 'check', label: 'Sent', tone: 'muted' };
    case 'delivered':
      return { icon: 'checks', label: 'Delivered', tone: 'muted' };
    case 'read':
      return { icon: 'checks', label: 'Read', tone: 'read' };
    case 'failed': {
      const reason = message.error
        ? `${message.error.title}${message.error.code ? ` (${message.error.code})` : ''}`
        : '';
      return { icon: 'error', label: reason ? `Not delivered: ${reason}` : 'Not delivered', tone: 'failed' };
    }
    default:
      return null;
  }
}

@Component({
  selector: 'app-status-ticks',
  imports: [Icon],
  template: `
    @if (tick(); as tick) {
      <span class="tick" [class]="tick.tone" [attr.title]="tick.label" role="img" [attr.aria-label]="tick.label">
        <app-icon [name]="tick.icon" [size]="16" />
        @if (tick.tone === 'failed') {
          <span class="reason">{{ tick.label }}</span>
        }
      </span>
    }
  `,
  styles: `
    .tick {
      display: inline-flex;
      align-items: center;
      gap: 4px;
    }
    .muted {
      color: var(--app-muted);
    }
    .read {
      color: var(--app-read);
    }
    .failed {
      color: var(--app-danger);
    }
    .reason {
      font-size: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusTicks {
  readonly message = input.required<Pick<MessageDto, 'status' | 'error'>>();
  protected readonly tick = computed(() => tickOf(this.message()));
}
