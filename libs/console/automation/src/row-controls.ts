import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { Icon } from '@parley/console/ui';

/**
 * A row's buttons to move it up or down and to remove it, named after the row ("Move action 2 up",
 * "Remove condition 1", "Move Pricing down"). The move buttons carry `data-move` so that
 * `focusMoveButton` can put focus back on them once the row has moved. The host takes no box: the
 * buttons sit in the row's own flex line.
 */
@Component({
  selector: 'app-row-controls',
  imports: [MatButtonModule, Icon],
  template: `
    @if (movable()) {
      <button
        mat-icon-button
        type="button"
        data-move="up"
        (click)="move.emit(-1)"
        [disabled]="disabled() || index() === 0"
        [attr.aria-label]="'Move ' + label() + ' up'"
      >
        <app-icon name="arrowUp" />
      </button>
      <button
        mat-icon-button
        type="button"
        data-move="down"
        (click)="move.emit(1)"
        [disabled]="disabled() || index() === count() - 1"
        [attr.aria-label]="'Move ' + label() + ' down'"
      >
        <app-icon name="arrowDown" />
      </button>
    }
    @if (removable()) {
      <button
        mat-icon-button
        type="button"
        (click)="remove.emit()"
        [disabled]="disabled() || count() === minimum()"
        [attr.aria-label]="'Remove ' + label()"
      >
        <app-icon name="delete" />
      </button>
    }
  `,
  styles: `
    :host {
      display: contents;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RowControls {
  /** What the row is called in the buttons' names: "action 2", or a rule's name. */
  readonly label = input.required<string>();
  readonly index = input(0);
  readonly count = input(1);
  readonly movable = input(true);
  readonly removable = input(true);
  /** The fewest rows there may be: at that count the remove button is off (0: always on). */
  readonly minimum = input(0);
  /** All the buttons off, while a move is saved. */
  readonly disabled = input(false);
  readonly move = output<-1 | 1>();
  readonly remove = output<void>();
}
