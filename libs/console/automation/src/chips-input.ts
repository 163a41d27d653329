import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Icon } from '@parley/console/ui';

let nextId = 0;

/**
 * A list of words as chips: typed values (comma separated) join the list on Enter or when the
 * field is left; each chip has a labelled remove button. Keywords, reply ids and tags use it.
 */
@Component({
  selector: 'app-chips-input',
  imports: [MatChipsModule, MatFormFieldModule, MatInputModule, Icon],
  template: `
    <mat-form-field class="full">
      <mat-label>{{ label() }}</mat-label>
      <input
        #entry
        matInput
        [attr.name]="name()"
        [disabled]="disabled()"
        [attr.aria-describedby]="error() ? errorId : null"
        [attr.aria-invalid]="error() ? true : null"
        (keydown.enter)="add(entry, $event)"
        (blur)="add(entry)"
      />
      @if (hint()) {
        <mat-hint>{{ hint() }}</mat-hint>
      }
    </mat-form-field>
    @if (values().length) {
      <mat-chip-set [attr.aria-label]="label()">
        @for (value of values(); track value) {
          <mat-chip (removed)="remove(value)" [disabled]="disabled()">
            {{ value }}
            <button matChipRemove type="button" [attr.aria-label]="'Remove ' + value">
              <app-icon name="close" [size]="16" />
            </button>
          </mat-chip>
        }
      </mat-chip-set>
    }
    @if (error()) {
      <p class="field-error error-text" [id]="errorId">{{ error() }}</p>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .full {
      width: 100%;
    }
    mat-chip-set {
      display: block;
      margin: 4px 0 8px;
    }
    .field-error {
      margin: 2px 0 8px;
      font-size: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChipsInput {
  readonly label = input.required<string>();
  readonly values = input<string[]>([]);
  readonly name = input<string | null>(null);
  readonly hint = input<string | null>(null);
  readonly error = input<string | null>(null);
  readonly disabled = input(false);
  readonly valuesChange = output<string[]>();

  protected readonly errorId = `chips-error-${nextId++}`;

  /** Adds what was typed (comma separated); Enter adds without submitting anything. */
  protected add(entry: HTMLInputElement, event?: Event): void {
    event?.preventDefault();
    const typed = entry.value
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean);
    entry.value = '';
    if (typed.length === 0) return;
    this.valuesChange.emit([...new Set([...this.values(), ...typed])]);
  }

  protected remove(value: string): void {
    this.valuesChange.emit(this.values().filter((v) => v !== value));
  }
}
