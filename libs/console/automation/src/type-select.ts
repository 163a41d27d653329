import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

/**
 * The native select that picks what a row is (an action's, a step's or a condition's type). The
 * host takes its width from the row's styles.
 */
@Component({
  selector: 'app-type-select',
  imports: [MatFormFieldModule, MatInputModule],
  template: `
    <mat-form-field>
      <mat-label>{{ label() }}</mat-label>
      <select
        #select
        matNativeControl
        [name]="name()"
        [disabled]="disabled()"
        [value]="value()"
        (change)="valueChange.emit(select.value)"
      >
        @for (option of options(); track option.type) {
          <option [value]="option.type" [selected]="option.type === value()">{{ option.label }}</option>
        }
      </select>
    </mat-form-field>
  `,
  styles: `
    :host {
      display: block;
    }
    mat-form-field {
      width: 100%;
      margin-bottom: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TypeSelect {
  readonly label = input.required<string>();
  readonly name = input.required<string>();
  readonly options = input.required<readonly { type: string; label: string }[]>();
  readonly value = input.required<string>();
  readonly disabled = input(false);
  readonly valueChange = output<string>();
}
