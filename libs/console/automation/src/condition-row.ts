import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { MemberDto } from '@parley/console/api-client';
import { errorAt, type FieldErrors, unclaimed } from './field-errors';
import {
  ATTRIBUTE_OPS,
  type ConditionForm,
  type ConditionOp,
  type ConditionType,
  type ConversationStatus,
  needsValue,
  STATUSES,
  TAG_OPS,
  type Weekday,
  WEEKDAYS,
  withConditionType,
} from './rule-form';
import { RowControls } from './row-controls';
import { TypeSelect } from './type-select';

const SHOWN: Record<ConditionType, string[]> = {
  tag: ['op', 'tag'],
  attribute: ['op', 'key', 'value'],
  conversation_status: ['statuses'],
  assignee: ['assignee'],
  bot: ['active'],
  time_window: ['days', 'from', 'to'],
};

/**
 * One condition: what to check (a tag, an attribute, the conversation's status or assignee, whether
 * the bot still answers, the time of day) and its fields. A branch step uses it for tags and
 * attributes only. `errors` are the API's, relative to the condition (`tag`, `value`).
 */
@Component({
  selector: 'app-condition-row',
  imports: [MatCheckboxModule, MatFormFieldModule, MatInputModule, RowControls, TypeSelect],
  template: `
    <div class="row fields">
      <app-type-select
        class="type"
        label="Check"
        name="conditionType"
        [options]="types()"
        [value]="condition().type"
        [disabled]="disabled()"
        (valueChange)="setType($event)"
      />
      @switch (condition().type) {
        @case ('tag') {
          <mat-form-field class="op">
            <mat-label>Contact</mat-label>
            <select
              #tagOp
              matNativeControl
              [disabled]="disabled()"
              [value]="condition().op"
              (change)="setOp(tagOp.value)"
            >
              @for (option of tagOps; track option.op) {
                <option [value]="option.op" [selected]="option.op === condition().op">{{ option.label }}</option>
              }
            </select>
          </mat-form-field>
          <mat-form-field class="grow">
            <mat-label>Tag</mat-label>
            <input
              #tag
              matInput
              [disabled]="disabled()"
              [value]="condition().tag"
              (input)="patch({ tag: tag.value })"
            />
          </mat-form-field>
        }
        @case ('attribute') {
          <mat-form-field class="grow">
            <mat-label>Attribute</mat-label>
            <input
              #key
              matInput
              [disabled]="disabled()"
              [value]="condition().key"
              (input)="patch({ key: key.value })"
            />
          </mat-form-field>
          <mat-form-field class="op">
            <mat-label>Operator</mat-label>
            <select
              #attributeOp
              matNativeControl
              [disabled]="disabled()"
              [value]="condition().op"
              (change)="setOp(attributeOp.value)"
            >
              @for (option of attributeOps; track option.op) {
                <option [value]="option.op" [selected]="option.op === condition().op">{{ option.label }}</option>
              }
            </select>
          </mat-form-field>
          @if (needsValue(condition().op)) {
            <mat-form-field class="grow">
              <mat-label>Value</mat-label>
              <input
                #value
                matInput
                [disabled]="disabled()"
                [value]="condition().value"
                (input)="patch({ value: value.value })"
              />
            </mat-form-field>
          }
        }
        @case ('conversation_status') {
          <fieldset class="plain checks">
            <legend>Status is</legend>
            @for (option of statuses; track option.status) {
              <mat-checkbox
                [disabled]="disabled()"
                [checked]="condition().statuses.includes(option.status)"
                (change)="toggleStatus(option.status, $event.checked)"
                >{{ option.label }}</mat-checkbox
              >
            }
          </fieldset>
        }
        @case ('assignee') {
          <mat-form-field class="grow">
            <mat-label>Assigned to</mat-label>
            <select
              #assignee
              matNativeControl
              [disabled]="disabled()"
              [value]="condition().assignee"
              (change)="patch({ assignee: assignee.value })"
            >
              <option value="none">Nobody</option>
              <option value="any">Anyone</option>
              @for (member of members(); track member.userId) {
                <option [value]="member.userId" [selected]="member.userId === condition().assignee">
                  {{ member.name }}
                </option>
              }
            </select>
          </mat-form-field>
        }
        @case ('bot') {
          <mat-form-field class="grow">
            <mat-label>The conversation</mat-label>
            <select
              #bot
              matNativeControl
              [disabled]="disabled()"
              [value]="condition().active ? 'active' : 'handed_off'"
              (change)="patch({ active: bot.value === 'active' })"
            >
              <option value="active">is answered by the bot</option>
              <option value="handed_off">was handed off to the team</option>
            </select>
          </mat-form-field>
        }
        @case ('time_window') {
          <fieldset class="plain checks days">
            <legend>On</legend>
            @for (day of weekdays; track day.day) {
              <mat-checkbox
                [disabled]="disabled()"
                [checked]="condition().days.includes(day.day)"
                (change)="toggleDay(day.day, $event.checked)"
                [aria-label]="day.label"
                >{{ day.short }}</mat-checkbox
              >
            }
          </fieldset>
          <mat-form-field class="time">
            <mat-label>From</mat-label>
            <input
              #from
              matInput
              type="time"
              [disabled]="disabled()"
              [value]="condition().from"
              (change)="patch({ from: from.value })"
            />
          </mat-form-field>
          <mat-form-field class="time">
            <mat-label>To</mat-label>
            <input
              #to
              matInput
              type="time"
              [disabled]="disabled()"
              [value]="condition().to"
              (change)="patch({ to: to.value })"
            />
          </mat-form-field>
          <span class="muted small">In the organization’s time zone; “to” before “from” runs overnight.</span>
        }
      }
      @if (removable() && !disabled()) {
        <app-row-controls [label]="label()" [movable]="false" (remove)="remove.emit()" />
      }
    </div>
    @for (message of messages(); track message) {
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
    .fields {
      align-items: flex-start;
    }
    .type {
      width: 200px;
    }
    .op {
      width: 150px;
    }
    .time {
      width: 130px;
    }
    .grow {
      flex: 1;
      min-width: 160px;
    }
    .checks {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0 4px;
      legend {
        float: left;
        margin-right: 8px;
        color: var(--app-muted);
      }
    }
    fieldset.plain {
      border: 0;
      margin: 0;
      padding: 0;
    }
    .field-error {
      margin: 0 0 8px;
      font-size: 12px;
    }
    .small {
      font-size: 12px;
      align-self: center;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConditionRow {
  readonly condition = input.required<ConditionForm>();
  /** What the row is called in its remove button ("condition 2"). */
  readonly label = input('condition');
  readonly types = input<{ type: ConditionType; label: string }[]>([]);
  readonly members = input<MemberDto[]>([]);
  readonly errors = input<FieldErrors>({});
  readonly removable = input(true);
  readonly disabled = input(false);
  readonly conditionChange = output<ConditionForm>();
  readonly remove = output<void>();

  protected readonly tagOps = TAG_OPS;
  protected readonly attributeOps = ATTRIBUTE_OPS;
  protected readonly statuses = STATUSES;
  protected readonly weekdays = WEEKDAYS;
  protected readonly needsValue = needsValue;

  /** The API's messages: beside the row, the field they name first. */
  protected readonly messages = computed(() => {
    const errors = this.errors();
    const shown = SHOWN[this.condition().type] ?? [];
    return [
      ...shown.map((field) => errorAt(errors, field)).filter((message): message is string => message !== null),
      ...unclaimed(errors, shown),
    ];
  });

  protected patch(change: Partial<ConditionForm>): void {
    this.conditionChange.emit({ ...this.condition(), ...change });
  }

  protected setOp(op: string): void {
    this.patch({ op: op as ConditionOp });
  }

  protected setType(type: string): void {
    this.conditionChange.emit(withConditionType(this.condition(), type as ConditionType));
  }

  protected toggleStatus(status: ConversationStatus, on: boolean): void {
    const statuses = this.condition().statuses.filter((s) => s !== status);
    this.patch({
      statuses: on ? STATUSES.map((s) => s.status).filter((s) => s === status || statuses.includes(s)) : statuses,
    });
  }

  protected toggleDay(day: Weekday, on: boolean): void {
    const days = this.condition().days.filter((d) => d !== day);
    this.patch({ days: on ? WEEKDAYS.map((d) => d.day).filter((d) => d === day || days.includes(d)) : days });
  }
}
