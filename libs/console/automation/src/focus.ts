import { afterNextRender, type Injector } from '@angular/core';

/**
 * After a row moved with its "move up" or "move down" button, puts focus back on that button in
 * the row's new place (or on the other one, when the row reached the end and its button is off),
 * so a keyboard user can keep moving it.
 */
export function focusMoveButton(injector: Injector, row: string, direction: 'up' | 'down'): void {
  afterNextRender(
    () => {
      const other = direction === 'up' ? 'down' : 'up';
      const button =
        document.querySelector<HTMLButtonElement>(`${row} button[data-move="${direction}"]:not([disabled])`) ??
        document.querySelector<HTMLButtonElement>(`${row} button[data-move="${other}"]:not([disabled])`);
      button?.focus();
    },
    { injector },
  );
}
