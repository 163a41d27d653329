import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { barPercent } from './chart';

export interface Bar {
  label: string;
  value: number;
}

const WIDTH = 480;
const ROW = 40;
const LABEL_CHARS = 58;

/**
 * Horizontal bars, longest first as given, each labelled above with its value at its end: failures
 * by error code, intents, sentiments. A list carries the same for screen readers.
 */
@Component({
  selector: 'app-bar-chart',
  imports: [DecimalPipe],
  template: `
    @if (bars().length === 0) {
      <p class="muted empty">{{ empty() }}</p>
    } @else {
      <svg [attr.viewBox]="'0 0 ' + width + ' ' + height()" role="img" [attr.aria-label]="summary()">
        @for (bar of rows(); track bar.label; let i = $index) {
          <g [attr.transform]="'translate(0,' + i * row + ')'">
            <text class="label" x="0" y="13">
              {{ bar.short }}
              @if (bar.short !== bar.label) {
                <title>{{ bar.label }}</title>
              }
            </text>
            <rect class="track" x="0" y="19" [attr.width]="track" height="12" rx="3" />
            <rect x="0" y="19" [attr.width]="bar.length" height="12" rx="3" [attr.fill]="color()" />
            <text class="value" [attr.x]="width" y="30" text-anchor="end">{{ bar.value | number }}</text>
          </g>
        }
      </svg>
      <ul class="visually-hidden">
        @for (bar of bars(); track bar.label) {
          <li>{{ bar.label }}: {{ bar.value }}</li>
        }
      </ul>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    svg {
      display: block;
      width: 100%;
      height: auto;
    }
    .label {
      font-size: 13px;
      fill: var(--mat-sys-on-surface);
    }
    .value {
      font-size: 13px;
      font-weight: 600;
      fill: var(--mat-sys-on-surface);
    }
    .track {
      fill: #eef1f3;
    }
    .empty {
      margin: 8px 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BarChart {
  readonly bars = input.required<Bar[]>();
  /** What the chart shows, for screen readers: "Failures by error code". */
  readonly caption = input.required<string>();
  readonly empty = input('Nothing in this period.');
  readonly color = input('#0b6e4f');

  protected readonly width = WIDTH;
  protected readonly row = ROW;
  /** Room for the value at the end of the longest bar. */
  protected readonly track = WIDTH - 64;

  protected readonly height = computed(() => Math.max(ROW, this.bars().length * ROW));
  protected readonly rows = computed(() => {
    const bars = this.bars();
    const max = Math.max(0, ...bars.map((bar) => bar.value));
    return bars.map((bar) => ({
      ...bar,
      short: bar.label.length > LABEL_CHARS ? `${bar.label.slice(0, LABEL_CHARS - 1)}…` : bar.label,
      length: (barPercent(bar.value, max) / 100) * this.track,
    }));
  });
  protected readonly summary = computed(
    () =>
      `${this.caption()}: ${this.bars()
        .map((bar) => `${bar.label} ${bar.value}`)
        .join(', ')}`,
  );
}
