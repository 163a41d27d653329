import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { CampaignStatsDto } from '@parley/console/api-client';

type Step = 'targeted' | 'sent' | 'delivered' | 'read' | 'replied';

const STEPS: { step: Step; label: string }[] = [
  { step: 'targeted', label: 'Targeted' },
  { step: 'sent', label: 'Sent' },
  { step: 'delivered', label: 'Delivered' },
  { step: 'read', label: 'Read' },
  { step: 'replied', label: 'Replied' },
];

/** Whole percent of `part` in `whole` (0 for an empty whole). */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((100 * part) / whole) : 0;
}

/**
 * The campaign's funnel as bars, each a share of the audience: targeted → sent → delivered →
 * read → replied; failed, skipped and cancelled beside it.
 */
@Component({
  selector: 'app-campaign-funnel',
  imports: [DecimalPipe],
  template: `
    <ol class="funnel" aria-label="Funnel">
      @for (bar of bars(); track bar.step) {
        <li [attr.data-testid]="'funnel-' + bar.step">
          <span class="label">{{ bar.label }}</span>
          <span class="track" aria-hidden="true"><span class="fill" [style.width.%]="bar.width"></span></span>
          <span class="count">{{ bar.count | number }}</span>
          <span class="share muted">{{ bar.share }}%</span>
        </li>
      }
    </ol>
    <ul class="others">
      <li data-testid="funnel-failed" [class.bad]="stats().failed > 0">
        <span class="label">Failed</span> <span class="count">{{ stats().failed | number }}</span>
      </li>
      <li data-testid="funnel-skipped">
        <span class="label">Skipped</span> <span class="count">{{ stats().skipped | number }}</span>
      </li>
      @if (stats().queued > 0) {
        <li data-testid="funnel-queued">
          <span class="label">Queued</span> <span class="count">{{ stats().queued | number }}</span>
        </li>
      }
      @if (stats().cancelled > 0) {
        <li data-testid="funnel-cancelled">
          <span class="label">Cancelled</span> <span class="count">{{ stats().cancelled | number }}</span>
        </li>
      }
    </ul>
  `,
  styles: `
    .funnel {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 8px;
    }
    .funnel li {
      display: grid;
      grid-template-columns: 88px 1fr 64px 44px;
      align-items: center;
      gap: 12px;
    }
    .track {
      height: 20px;
      border-radius: 4px;
      background: #eef1f3;
      overflow: hidden;
    }
    .fill {
      display: block;
      height: 100%;
      background: var(--app-accent);
      transition: width 0.4s ease-out;
    }
    .count {
      font-weight: 600;
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    .share {
      font-size: 12px;
      text-align: right;
    }
    .others {
      list-style: none;
      display: flex;
      gap: 24px;
      margin: 12px 0 0;
      padding: 0;
    }
    .others li {
      display: flex;
      gap: 6px;
    }
    .others .label {
      color: var(--app-muted);
    }
    .bad .count {
      color: var(--app-danger);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CampaignFunnel {
  readonly stats = input.required<CampaignStatsDto>();

  protected readonly bars = computed(() => {
    const stats = this.stats();
    return STEPS.map(({ step, label }) => {
      const count = stats[step];
      const share = percent(count, stats.targeted);
      return {
        step,
        label,
        count,
        share,
        width: stats.targeted > 0 ? Math.min(100, (100 * count) / stats.targeted) : 0,
      };
    });
  });
}
