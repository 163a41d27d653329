import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { CampaignSummaryDto } from '@parley/console/api-client';
import { barPercent, percentOf } from './chart';

const STEPS = [
  { key: 'targeted', label: 'Targeted' },
  { key: 'sent', label: 'Sent' },
  { key: 'delivered', label: 'Delivered' },
  { key: 'read', label: 'Read' },
  { key: 'replied', label: 'Replied' },
] as const;

const WIDTH = 220;
/** Room for each step's label and share, right of the bars. */
const LABELS = 150;
const STEP = 30;
const BAR = 22;

/**
 * One campaign's funnel drawn as a funnel: each step a band centred under the one before, as wide
 * as its share of the audience, with its count and share beside it.
 */
@Component({
  selector: 'app-campaign-funnel-chart',
  imports: [DecimalPipe],
  template: `
    <svg
      [attr.viewBox]="'0 0 ' + (width + labels) + ' ' + height"
      role="img"
      [attr.aria-label]="summary()"
      [attr.data-testid]="'funnel-' + campaign().id"
    >
      @for (step of steps(); track step.key; let i = $index) {
        <g [attr.transform]="'translate(0,' + i * stepHeight + ')'">
          <rect class="track" x="0" y="0" [attr.width]="width" [attr.height]="bar" rx="3" />
          <rect [attr.x]="(width - step.length) / 2" y="0" [attr.width]="step.length" [attr.height]="bar" rx="3" />
          <text class="step" [attr.x]="width + 10" y="15">{{ step.label }} {{ step.count | number }}</text>
          @if (step.share !== null && i > 0) {
            <text class="share" [attr.x]="width + labels" y="15" text-anchor="end">{{ step.share }}%</text>
          }
        </g>
      }
    </svg>
    <p class="failed" [class.bad]="campaign().failed > 0">Failed {{ campaign().failed | number }}</p>
  `,
  styles: `
    :host {
      display: block;
    }
    svg {
      display: block;
      width: 100%;
      max-width: 370px;
      height: auto;
    }
    rect {
      fill: var(--app-accent);
    }
    .track {
      fill: #eef1f3;
    }
    .step {
      font-size: 13px;
      fill: var(--mat-sys-on-surface);
    }
    .share {
      font-size: 12px;
      fill: var(--app-muted);
    }
    .failed {
      margin: 4px 0 0;
      font-size: 13px;
      color: var(--app-muted);
    }
    .failed.bad {
      color: var(--app-danger);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CampaignFunnelChart {
  readonly campaign = input.required<CampaignSummaryDto>();

  protected readonly width = WIDTH;
  protected readonly labels = LABELS;
  protected readonly stepHeight = STEP;
  protected readonly bar = BAR;
  protected readonly height = STEPS.length * STEP - (STEP - BAR);

  protected readonly steps = computed(() => {
    const campaign = this.campaign();
    return STEPS.map(({ key, label }) => ({
      key,
      label,
      count: campaign[key],
      share: percentOf(campaign[key], campaign.targeted),
      length: (barPercent(campaign[key], campaign.targeted) / 100) * WIDTH,
    }));
  });
  protected readonly summary = computed(
    () =>
      `Funnel of ${this.campaign().name}: ` +
      this.steps()
        .map((step) => `${step.label} ${step.count}`)
        .join(', ') +
      `, failed ${this.campaign().failed}`,
  );
}
