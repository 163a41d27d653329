import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { DailyMessagesDto } from '@parley/console/api-client';
import { labelIndexes, linePoints, type Plot, shortDate, valueAxis, xAt, yAt } from './chart';

const WIDTH = 1000;
const HEIGHT = 260;
const PLOT: Plot = { left: 48, top: 12, width: WIDTH - 48 - 16, height: HEIGHT - 12 - 36 };
/** Dots on each day while they stay apart. */
const MAX_DOTS = 45;

const SERIES = [
  { key: 'inbound', label: 'Received', color: '#0a66c2' },
  { key: 'outbound', label: 'Sent', color: '#0b6e4f' },
] as const;

/**
 * Messages received and sent per day, as two lines over a value axis; the same numbers are in a
 * table for screen readers.
 */
@Component({
  selector: 'app-messages-chart',
  imports: [DecimalPipe],
  template: `
    <ul class="legend" aria-hidden="true">
      @for (series of series; track series.key) {
        <li><span class="swatch" [style.background]="series.color"></span>{{ series.label }}</li>
      }
    </ul>
    <svg
      [attr.viewBox]="'0 0 ' + width + ' ' + height"
      role="img"
      aria-labelledby="messages-chart-title"
      data-testid="messages-chart"
    >
      <title id="messages-chart-title">{{ summary() }}</title>
      @for (tick of axis().ticks; track tick) {
        <line
          class="grid"
          [attr.x1]="plot.left"
          [attr.x2]="plot.left + plot.width"
          [attr.y1]="y(tick)"
          [attr.y2]="y(tick)"
        />
        <text class="tick" [attr.x]="plot.left - 8" [attr.y]="y(tick) + 4" text-anchor="end">{{ tick | number }}</text>
      }
      @for (label of labels(); track label.index) {
        <text class="tick" [attr.x]="label.x" [attr.y]="plot.top + plot.height + 22" text-anchor="middle">
          {{ label.text }}
        </text>
      }
      @for (line of lines(); track line.key) {
        <polyline
          [attr.points]="line.points"
          fill="none"
          [attr.stroke]="line.color"
          stroke-width="2.5"
          stroke-linejoin="round"
        />
        @if (days().length <= maxDots) {
          @for (dot of line.dots; track $index) {
            <circle [attr.cx]="dot.x" [attr.cy]="dot.y" r="3" [attr.fill]="line.color" />
          }
        }
      }
    </svg>
    <table class="visually-hidden">
      <caption>
        Messages per day
      </caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col">Received</th>
          <th scope="col">Sent</th>
        </tr>
      </thead>
      <tbody>
        @for (day of days(); track day.date) {
          <tr>
            <th scope="row">{{ day.date }}</th>
            <td>{{ day.inbound }}</td>
            <td>{{ day.outbound }}</td>
          </tr>
        }
      </tbody>
    </table>
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
    .grid {
      stroke: #e3e8eb;
      stroke-width: 1;
    }
    .tick {
      font-size: 12px;
      fill: var(--app-muted);
    }
    .legend {
      display: flex;
      gap: 16px;
      list-style: none;
      margin: 0 0 8px;
      padding: 0;
      font-size: 13px;
    }
    .legend li {
      display: flex;
      align-items: center;
      gap: 6px;
    }
    .swatch {
      width: 14px;
      height: 3px;
      border-radius: 2px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessagesChart {
  readonly days = input.required<DailyMessagesDto[]>();

  protected readonly width = WIDTH;
  protected readonly height = HEIGHT;
  protected readonly plot = PLOT;
  protected readonly maxDots = MAX_DOTS;
  protected readonly series = SERIES;

  protected readonly axis = computed(() =>
    valueAxis(Math.max(0, ...this.days().flatMap((day) => [day.inbound, day.outbound]))),
  );
  protected readonly lines = computed(() => {
    const days = this.days();
    const max = this.axis().max;
    return SERIES.map((series) => {
      const values = days.map((day) => day[series.key]);
      return {
        ...series,
        points: linePoints(values, max, PLOT),
        dots: values.map((value, i) => ({ x: xAt(i, values.length, PLOT), y: yAt(value, max, PLOT) })),
      };
    });
  });
  protected readonly labels = computed(() => {
    const days = this.days();
    return labelIndexes(days.length).map((index) => ({
      index,
      x: xAt(index, days.length, PLOT),
      text: shortDate(days[index]?.date ?? ''),
    }));
  });
  protected readonly summary = computed(() => {
    const days = this.days();
    const total = (key: 'inbound' | 'outbound') => days.reduce((sum, day) => sum + day[key], 0);
    const first = days[0]?.date ?? '';
    const last = days.at(-1)?.date ?? '';
    return `Messages per day from ${first} to ${last}: ${total('inbound')} received, ${total('outbound')} sent`;
  });

  protected y(value: number): number {
    return yAt(value, this.axis().max, PLOT);
  }
}
