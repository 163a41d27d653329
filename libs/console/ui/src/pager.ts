import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { Icon } from './icon';

/** "Page n" with previous and next buttons, under a paged table. */
@Component({
  selector: 'app-pager',
  imports: [MatButtonModule, Icon],
  template: `<nav class="row pager" aria-label="Pages">
    <span class="muted">Page {{ page() }}</span>
    <button
      mat-icon-button
      type="button"
      (click)="previous.emit()"
      [disabled]="!hasPrevious() || busy()"
      aria-label="Previous page"
    >
      <app-icon name="chevronLeft" />
    </button>
    <button
      mat-icon-button
      type="button"
      (click)="next.emit()"
      [disabled]="!hasNext() || busy()"
      aria-label="Next page"
    >
      <app-icon name="chevronRight" />
    </button>
  </nav>`,
  styles: '.pager { justify-content: flex-end; margin-top: 8px; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Pager {
  readonly page = input.required<number>();
  readonly hasPrevious = input(false);
  readonly hasNext = input(false);
  /** While a page loads, both buttons wait. */
  readonly busy = input(false);
  readonly previous = output<void>();
  readonly next = output<void>();
}
