import { ChangeDetectionStrategy, Component, computed, input, model } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { CONTACT_FIELDS, type MappingRow, parametersOf, rowProblem } from './parameters';

/**
 * One row per template parameter: where each recipient's value comes from (a contact field, a
 * contact attribute or fixed text), with a fallback for recipients who have no value.
 */
@Component({
  selector: 'app-parameter-mapping',
  imports: [MatFormFieldModule, MatInputModule],
  template: `
    @for (row of rows(); track row.key) {
      <fieldset class="mapping-row" [attr.data-key]="row.key">
        <legend>
          {{ row.label }}
          @if (row.example) {
            <span class="muted example">e.g. {{ row.example }}</span>
          }
        </legend>
        <mat-form-field class="source" subscriptSizing="dynamic">
          <mat-label>Source</mat-label>
          <select
            #source
            matNativeControl
            name="source"
            [value]="row.source"
            (change)="set(row.key, 'source', source.value)"
          >
            <option value="contact">Contact field</option>
            <option value="attribute">Contact attribute</option>
            <option value="text">Fixed text</option>
          </select>
        </mat-form-field>
        @switch (row.source) {
          @case ('contact') {
            <mat-form-field class="value" subscriptSizing="dynamic">
              <mat-label>Contact field</mat-label>
              <select
                #field
                matNativeControl
                name="field"
                [value]="row.field"
                (change)="set(row.key, 'field', field.value)"
              >
                @for (option of contactFields; track option.field) {
                  <option [value]="option.field">{{ option.label }}</option>
                }
              </select>
            </mat-form-field>
          }
          @case ('attribute') {
            <mat-form-field class="value" subscriptSizing="dynamic">
              <mat-label>Attribute</mat-label>
              <input
                #attribute
                matInput
                name="attribute"
                placeholder="city"
                [value]="row.attribute"
                (input)="set(row.key, 'attribute', attribute.value)"
              />
            </mat-form-field>
          }
          @case ('text') {
            <mat-form-field class="value" subscriptSizing="dynamic">
              <mat-label>Text</mat-label>
              <input #text matInput name="value" [value]="row.value" (input)="set(row.key, 'value', text.value)" />
            </mat-form-field>
          }
        }
        @if (row.source !== 'text') {
          <mat-form-field class="fallback" subscriptSizing="dynamic">
            <mat-label>Fallback</mat-label>
            <input
              #fallback
              matInput
              name="fallback"
              placeholder="When the contact has none"
              [value]="row.fallback"
              (input)="set(row.key, 'fallback', fallback.value)"
            />
          </mat-form-field>
        }
        @if (problemOf(row); as problem) {
          <p class="problem error-text" role="alert">{{ problem }}</p>
        }
      </fieldset>
    } @empty {
      <p class="muted">This template has no parameters: every recipient gets the same message.</p>
    }
  `,
  styles: `
    :host {
      display: grid;
      gap: 8px;
    }
    .mapping-row {
      display: grid;
      grid-template-columns: 200px 1fr 1fr;
      gap: 8px;
      align-items: start;
      margin: 0;
      padding: 8px 12px 12px;
      border: 1px solid var(--app-border);
      border-radius: 8px;
    }
    legend {
      padding: 0 4px;
      font-weight: 500;
    }
    .example {
      font-weight: 400;
      margin-left: 8px;
    }
    .problem {
      grid-column: 1 / -1;
      margin: 0;
      font-size: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ParameterMapping {
  readonly rows = model.required<MappingRow[]>();
  /** The API's messages by field (`parameters.body.2`), shown under their row. */
  readonly errors = input<Record<string, string>>({});
  /** Show what is missing (after a save was tried). */
  readonly showProblems = input(false);

  protected readonly contactFields = CONTACT_FIELDS;
  /** The campaign's `parameters` as the rows say. */
  readonly parameters = computed(() => parametersOf(this.rows()));

  protected problemOf(row: MappingRow): string | null {
    const server = this.errors()[`parameters.${row.key}`];
    if (server) return server;
    return this.showProblems() ? rowProblem(row) : null;
  }

  /** One input of one row changed (select values are the options above, so they fit the row's type). */
  protected set<K extends 'source' | 'field' | 'attribute' | 'value' | 'fallback'>(
    key: string,
    prop: K,
    value: string,
  ): void {
    const next = value as MappingRow[K];
    this.rows.update((rows) => rows.map((row) => (row.key === key ? { ...row, [prop]: next } : row)));
  }
}
