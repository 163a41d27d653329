import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Icon } from '@parley/console/ui';
import { errorAt, type FieldErrors, unclaimed } from './field-errors';
import {
  type ListRow,
  MAX_BUTTONS,
  MAX_ROWS,
  MESSAGE_KINDS,
  type MessageForm,
  type MessageKind,
  nextOptionId,
  type ReplyButton,
  shownMessageFields,
  withKind,
} from './message';

let nextId = 0;

/** An approved template the org can send, offered by name. */
export interface TemplateOption {
  name: string;
  language: string;
}

/**
 * Edits one message: text, text with up to three reply buttons (id and title each), text with a
 * list, or an approved template by name and language. `errors` are the API's, relative to the
 * message (`text.body`, `interactive.action.buttons[0].reply.title`).
 */
@Component({
  selector: 'app-message-editor',
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule, Icon],
  template: `
    @if (message().kind === 'other') {
      <p class="muted">
        A {{ otherType() }} message, set through the API: it is kept as it is.
        @if (!disabled()) {
          <button mat-button type="button" (click)="setKind('text')">Replace it with text</button>
        }
      </p>
    } @else {
      <mat-form-field class="kind">
        <mat-label>Message type</mat-label>
        <select
          #kindSelect
          matNativeControl
          name="messageKind"
          [disabled]="disabled()"
          [value]="message().kind"
          (change)="setKind(kindSelect.value)"
        >
          @for (option of kinds; track option.kind) {
            <option [value]="option.kind" [selected]="option.kind === message().kind">{{ option.label }}</option>
          }
        </select>
      </mat-form-field>
      @if (message().kind === 'template') {
        <div class="row">
          <mat-form-field class="grow">
            <mat-label>Template name</mat-label>
            <input
              #templateName
              matInput
              name="templateName"
              [attr.list]="listId"
              [disabled]="disabled()"
              [value]="message().templateName"
              [attr.aria-invalid]="err('template.name') ? true : null"
              [attr.aria-describedby]="err('template.name') ? uid + '-template-name' : null"
              (input)="patch({ templateName: templateName.value })"
            />
            <mat-hint>An approved template without parameters</mat-hint>
          </mat-form-field>
          <datalist [id]="listId">
            @for (template of templates(); track template.name + template.language) {
              <option [value]="template.name">{{ template.name }} ({{ template.language }})</option>
            }
          </datalist>
          <mat-form-field class="language">
            <mat-label>Language</mat-label>
            <input
              #language
              matInput
              name="templateLanguage"
              [disabled]="disabled()"
              [value]="message().templateLanguage"
              [attr.aria-invalid]="err('template.language.code') ? true : null"
              [attr.aria-describedby]="err('template.language.code') ? uid + '-template-language' : null"
              (input)="patch({ templateLanguage: language.value })"
            />
          </mat-form-field>
        </div>
        @if (err('template.name'); as message) {
          <p class="field-error error-text" [id]="uid + '-template-name'">{{ message }}</p>
        }
        @if (err('template.language.code'); as message) {
          <p class="field-error error-text" [id]="uid + '-template-language'">{{ message }}</p>
        }
      } @else {
        <mat-form-field class="full">
          <mat-label>Message text</mat-label>
          <textarea
            #body
            matInput
            name="messageText"
            rows="3"
            [disabled]="disabled()"
            [value]="message().body"
            [attr.aria-invalid]="bodyError() ? true : null"
            [attr.aria-describedby]="bodyError() ? uid + '-body' : null"
            (input)="patch({ body: body.value })"
          ></textarea>
        </mat-form-field>
        @if (bodyError(); as message) {
          <p class="field-error error-text" [id]="uid + '-body'">{{ message }}</p>
        }
      }
      @if (message().kind === 'buttons') {
        @for (button of message().buttons; track $index; let i = $index) {
          <div class="row option" role="group" [attr.aria-label]="'Button ' + (i + 1)">
            <mat-form-field class="id">
              <mat-label>Button {{ i + 1 }} id</mat-label>
              <input
                #buttonId
                matInput
                [disabled]="disabled()"
                [value]="button.id"
                (input)="setButton(i, { id: buttonId.value })"
              />
            </mat-form-field>
            <mat-form-field class="grow">
              <mat-label>Button {{ i + 1 }} title</mat-label>
              <input
                #buttonTitle
                matInput
                maxlength="20"
                [disabled]="disabled()"
                [value]="button.title"
                (input)="setButton(i, { title: buttonTitle.value })"
              />
            </mat-form-field>
            @if (!disabled()) {
              <button
                mat-icon-button
                type="button"
                (click)="removeButton(i)"
                [disabled]="message().buttons.length === 1"
                [attr.aria-label]="'Remove button ' + (i + 1)"
              >
                <app-icon name="delete" />
              </button>
            }
            @for (part of ['id', 'title']; track part) {
              @if (err('interactive.action.buttons[' + i + '].reply.' + part); as message) {
                <p class="field-error error-text">Button {{ i + 1 }} {{ part }}: {{ message }}</p>
              }
            }
          </div>
        }
        @if (!disabled()) {
          <button
            mat-stroked-button
            type="button"
            (click)="addButton()"
            [disabled]="message().buttons.length >= maxButtons"
          >
            <app-icon name="add" /> Add button
          </button>
          <span class="muted small"
            >Up to {{ maxButtons }}. The id is what a rule’s “taps an option” trigger matches.</span
          >
        }
        @if (err('interactive.action.buttons'); as message) {
          <p class="field-error error-text">{{ message }}</p>
        }
      }
      @if (message().kind === 'list') {
        <mat-form-field>
          <mat-label>List button label</mat-label>
          <input
            #listButton
            matInput
            maxlength="20"
            [disabled]="disabled()"
            [value]="message().listButton"
            (input)="patch({ listButton: listButton.value })"
          />
        </mat-form-field>
        @if (err('interactive.action.button'); as message) {
          <p class="field-error error-text">{{ message }}</p>
        }
        @for (row of message().rows; track $index; let i = $index) {
          <div class="row option" role="group" [attr.aria-label]="'Option ' + (i + 1)">
            <mat-form-field class="id">
              <mat-label>Option {{ i + 1 }} id</mat-label>
              <input
                #rowId
                matInput
                [disabled]="disabled()"
                [value]="row.id"
                (input)="setRow(i, { id: rowId.value })"
              />
            </mat-form-field>
            <mat-form-field class="grow">
              <mat-label>Option {{ i + 1 }} title</mat-label>
              <input
                #rowTitle
                matInput
                maxlength="24"
                [disabled]="disabled()"
                [value]="row.title"
                (input)="setRow(i, { title: rowTitle.value })"
              />
            </mat-form-field>
            <mat-form-field class="grow">
              <mat-label>Option {{ i + 1 }} description</mat-label>
              <input
                #rowDescription
                matInput
                maxlength="72"
                [disabled]="disabled()"
                [value]="row.description"
                (input)="setRow(i, { description: rowDescription.value })"
              />
            </mat-form-field>
            @if (!disabled()) {
              <button
                mat-icon-button
                type="button"
                (click)="removeRow(i)"
                [disabled]="message().rows.length === 1"
                [attr.aria-label]="'Remove option ' + (i + 1)"
              >
                <app-icon name="delete" />
              </button>
            }
            @for (part of ['id', 'title', 'description']; track part) {
              @if (err('interactive.action.sections[0].rows[' + i + '].' + part); as message) {
                <p class="field-error error-text">Option {{ i + 1 }} {{ part }}: {{ message }}</p>
              }
            }
          </div>
        }
        @if (!disabled()) {
          <button mat-stroked-button type="button" (click)="addRow()" [disabled]="message().rows.length >= maxRows">
            <app-icon name="add" /> Add option
          </button>
        }
        @for (field of ['interactive.action.sections', 'interactive.action.sections[0].rows']; track field) {
          @if (err(field); as message) {
            <p class="field-error error-text">{{ message }}</p>
          }
        }
      }
    }
    @for (message of otherErrors(); track message) {
      <p class="field-error error-text">{{ message }}</p>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    mat-form-field {
      margin-bottom: 8px;
    }
    .full {
      width: 100%;
    }
    .kind {
      width: 240px;
    }
    .grow {
      flex: 1;
      min-width: 160px;
    }
    .id {
      width: 160px;
    }
    .language {
      width: 120px;
    }
    .option {
      align-items: flex-start;
    }
    .field-error {
      flex-basis: 100%;
      margin: 0 0 8px;
      font-size: 12px;
    }
    .small {
      font-size: 12px;
      margin-left: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageEditor {
  readonly message = input.required<MessageForm>();
  readonly errors = input<FieldErrors>({});
  readonly templates = input<TemplateOption[]>([]);
  readonly disabled = input(false);
  readonly messageChange = output<MessageForm>();

  protected readonly kinds = MESSAGE_KINDS;
  protected readonly maxButtons = MAX_BUTTONS;
  protected readonly maxRows = MAX_ROWS;
  protected readonly uid = `message-${nextId++}`;
  protected readonly listId = `${this.uid}-templates`;

  protected readonly otherType = computed(() => String(this.message().other?.type ?? 'special'));
  protected readonly bodyError = computed(() => this.err('text.body') ?? this.err('interactive.body.text'));
  /** What the API said about parts with no field here (or about the message as a whole). */
  protected readonly otherErrors = computed(() =>
    unclaimed(this.errors(), [...shownMessageFields(this.message()), 'interactive.body.text', 'text.body']),
  );

  protected err(field: string): string | null {
    return errorAt(this.errors(), field);
  }

  protected patch(change: Partial<MessageForm>): void {
    this.messageChange.emit({ ...this.message(), ...change });
  }

  protected setKind(kind: string): void {
    this.messageChange.emit(withKind(this.message(), kind as Exclude<MessageKind, 'other'>));
  }

  protected setButton(index: number, change: Partial<ReplyButton>): void {
    this.patch({ buttons: this.message().buttons.map((b, i) => (i === index ? { ...b, ...change } : b)) });
  }

  protected addButton(): void {
    const buttons = this.message().buttons;
    this.patch({ buttons: [...buttons, { id: nextOptionId(buttons), title: '' }] });
  }

  protected removeButton(index: number): void {
    this.patch({ buttons: this.message().buttons.filter((_, i) => i !== index) });
  }

  protected setRow(index: number, change: Partial<ListRow>): void {
    this.patch({ rows: this.message().rows.map((r, i) => (i === index ? { ...r, ...change } : r)) });
  }

  protected addRow(): void {
    const rows = this.message().rows;
    this.patch({ rows: [...rows, { id: nextOptionId(rows), title: '', description: '' }] });
  }

  protected removeRow(index: number): void {
    this.patch({ rows: this.message().rows.filter((_, i) => i !== index) });
  }
}
