import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ConditionRow } from './condition-row';
import { errorAt, errorsUnder, type FieldErrors, unclaimed } from './field-errors';
import {
  BRANCH_TYPES,
  emptyStep,
  STEP_TYPES,
  type StepForm,
  type StepType,
  stepSummary,
  targetOptions,
  type WaitUnit,
  WAIT_UNITS,
} from './flow-form';
import type { MessageForm } from './message';
import { MessageEditor, type TemplateOption } from './message-editor';
import { RowControls } from './row-controls';
import { TypeSelect } from './type-select';
import type { ConditionForm } from './rule-form';

const SHOWN: Record<StepType, string[]> = {
  send: [],
  wait: ['amount', 'unit'],
  wait_for_reply: ['amount', 'unit', 'onReply', 'onTimeout'],
  // The condition's own messages show in its row.
  branch: ['then', 'else'],
};

/**
 * One step of a flow, numbered: its id (what jumps name), what it does and its fields, where it
 * goes next in words, and buttons to move or remove it. `errors` are the API's, relative to the step.
 */
@Component({
  selector: 'app-flow-step',
  imports: [MatFormFieldModule, MatInputModule, ConditionRow, MessageEditor, RowControls, TypeSelect],
  template: `
    <fieldset class="step">
      <legend>
        <span class="number" aria-hidden="true">{{ index() + 1 }}</span> Step {{ index() + 1 }}
      </legend>
      <div class="row head">
        <mat-form-field class="id">
          <mat-label>Step id</mat-label>
          <input
            #id
            matInput
            name="stepId"
            maxlength="40"
            [disabled]="disabled()"
            [value]="step().id"
            [attr.aria-invalid]="idError() ? true : null"
            (change)="rename.emit(id.value.trim())"
          />
        </mat-form-field>
        <app-type-select
          class="type"
          label="Step type"
          name="stepType"
          [options]="types"
          [value]="step().type"
          [disabled]="disabled()"
          (valueChange)="setType($event)"
        />
        <span class="spacer"></span>
        @if (!disabled()) {
          <app-row-controls
            [label]="'step ' + (index() + 1)"
            [index]="index()"
            [count]="steps().length"
            [minimum]="1"
            (move)="move.emit($event)"
            (remove)="remove.emit()"
          />
        }
      </div>
      @if (idError(); as message) {
        <p class="field-error error-text">{{ message }}</p>
      }
      @switch (step().type) {
        @case ('send') {
          <app-message-editor
            [message]="step().message"
            [errors]="messageErrors()"
            [templates]="templates()"
            [disabled]="disabled()"
            (messageChange)="setMessage($event)"
          />
          <p class="muted small">Outside the customer’s 24-hour window only an approved template is sent.</p>
        }
        @case ('branch') {
          <app-condition-row
            [condition]="step().condition"
            [types]="branchTypes"
            [removable]="false"
            [errors]="conditionErrors()"
            [disabled]="disabled()"
            (conditionChange)="setCondition($event)"
          />
          <div class="row">
            <mat-form-field class="target">
              <mat-label>If it holds, go to</mat-label>
              <select
                #then
                matNativeControl
                [disabled]="disabled()"
                [value]="step().then"
                (change)="patch({ then: then.value })"
              >
                @for (option of targets(); track option.value) {
                  <option [value]="option.value" [selected]="option.value === step().then">{{ option.label }}</option>
                }
              </select>
            </mat-form-field>
            <mat-form-field class="target">
              <mat-label>Otherwise, go to</mat-label>
              <select
                #otherwise
                matNativeControl
                [disabled]="disabled()"
                [value]="step().else"
                (change)="patch({ else: otherwise.value })"
              >
                @for (option of targets(); track option.value) {
                  <option [value]="option.value" [selected]="option.value === step().else">{{ option.label }}</option>
                }
              </select>
            </mat-form-field>
          </div>
        }
        @default {
          <div class="row">
            <mat-form-field class="amount">
              <mat-label>{{ step().type === 'wait' ? 'Wait for' : 'Wait up to' }}</mat-label>
              <input
                #amount
                matInput
                type="number"
                min="1"
                [disabled]="disabled()"
                [value]="step().amount ?? ''"
                (input)="setAmount(amount.valueAsNumber)"
              />
            </mat-form-field>
            <mat-form-field class="unit">
              <mat-label>Unit</mat-label>
              <select
                #unit
                matNativeControl
                [disabled]="disabled()"
                [value]="step().unit"
                (change)="setUnit(unit.value)"
              >
                @for (option of units; track option.unit) {
                  <option [value]="option.unit" [selected]="option.unit === step().unit">{{ option.label }}</option>
                }
              </select>
            </mat-form-field>
          </div>
          @if (step().type === 'wait_for_reply') {
            <div class="row">
              <mat-form-field class="target">
                <mat-label>When they reply, go to</mat-label>
                <select
                  #onReply
                  matNativeControl
                  [disabled]="disabled()"
                  [value]="step().onReply"
                  (change)="patch({ onReply: onReply.value })"
                >
                  @for (option of targets(); track option.value) {
                    <option [value]="option.value" [selected]="option.value === step().onReply">
                      {{ option.label }}
                    </option>
                  }
                </select>
              </mat-form-field>
              <mat-form-field class="target">
                <mat-label>If they don’t, go to</mat-label>
                <select
                  #onTimeout
                  matNativeControl
                  [disabled]="disabled()"
                  [value]="step().onTimeout"
                  (change)="patch({ onTimeout: onTimeout.value })"
                >
                  @for (option of targets(); track option.value) {
                    <option [value]="option.value" [selected]="option.value === step().onTimeout">
                      {{ option.label }}
                    </option>
                  }
                </select>
              </mat-form-field>
            </div>
          }
        }
      }
      @for (message of messages(); track message) {
        <p class="field-error error-text">{{ message }}</p>
      }
      <p class="summary" data-testid="step-summary">{{ summary() }}</p>
    </fieldset>
  `,
  styles: `
    :host {
      display: block;
    }
    mat-form-field {
      margin-bottom: 8px;
    }
    .step {
      border: 1px solid var(--app-border);
      border-radius: 8px;
      padding: 8px 16px 12px;
      margin: 0 0 12px;
      min-width: 0;
      legend {
        padding: 0 6px;
        font-weight: 500;
      }
    }
    .number {
      display: inline-grid;
      place-items: center;
      width: 22px;
      height: 22px;
      margin-right: 4px;
      border-radius: 50%;
      background: var(--app-accent);
      color: #fff;
      font-size: 12px;
    }
    .head {
      align-items: flex-start;
    }
    .id {
      width: 180px;
    }
    .type {
      width: 260px;
    }
    .amount {
      width: 140px;
    }
    .unit {
      width: 140px;
    }
    .target {
      width: 280px;
      max-width: 100%;
    }
    .summary {
      margin: 4px 0 0;
      padding: 6px 10px;
      border-radius: 6px;
      background: #f0f4f2;
      font-size: 13px;
    }
    .field-error {
      margin: 0 0 8px;
      font-size: 12px;
    }
    .small {
      font-size: 12px;
      margin: 0 0 4px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FlowStep {
  readonly steps = input.required<StepForm[]>();
  readonly index = input.required<number>();
  readonly errors = input<FieldErrors>({});
  /** What is wrong with its id, found in the browser (used twice, not valid). */
  readonly idProblem = input<string | null>(null);
  readonly templates = input<TemplateOption[]>([]);
  readonly disabled = input(false);
  readonly stepChange = output<StepForm>();
  readonly rename = output<string>();
  readonly remove = output<void>();
  readonly move = output<number>();

  protected readonly types = STEP_TYPES;
  protected readonly units = WAIT_UNITS;
  protected readonly branchTypes = BRANCH_TYPES;

  protected readonly step = computed(() => this.steps()[this.index()] as StepForm);
  protected readonly targets = computed(() => targetOptions(this.steps(), this.index()));
  protected readonly summary = computed(() => stepSummary(this.steps(), this.index()));
  protected readonly idError = computed(() => this.idProblem() ?? errorAt(this.errors(), 'id'));
  protected readonly messageErrors = computed(() => errorsUnder(this.errors(), 'message'));
  protected readonly conditionErrors = computed(() => errorsUnder(this.errors(), 'condition'));
  protected readonly messages = computed(() => {
    const errors = this.errors();
    const shown = SHOWN[this.step().type] ?? [];
    const own = Object.fromEntries(
      Object.entries(errors).filter(([field]) => !/^(message|condition)(\.|$)/.test(field)),
    );
    return [
      ...shown.map((field) => errorAt(errors, field)).filter((message): message is string => message !== null),
      ...unclaimed(own, [...shown, 'id']),
    ];
  });

  protected patch(change: Partial<StepForm>): void {
    this.stepChange.emit({ ...this.step(), ...change });
  }

  protected setType(type: string): void {
    const fresh = emptyStep(type as StepType, []);
    // What the steps have in common stays: the id, the message, the targets.
    this.stepChange.emit({
      ...this.step(),
      type: fresh.type,
      amount: this.step().amount ?? fresh.amount,
    });
  }

  protected setMessage(message: MessageForm): void {
    this.patch({ message });
  }

  protected setCondition(condition: ConditionForm): void {
    this.patch({ condition });
  }

  protected setAmount(value: number): void {
    this.patch({ amount: Number.isFinite(value) ? value : null });
  }

  protected setUnit(unit: string): void {
    this.patch({ unit: unit as WaitUnit });
  }
}
