import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { FlowDto, MemberDto, WebhookSubscriptionDto } from '@parley/console/api-client';
import { Icon } from '@parley/console/ui';
import { ChipsInput } from './chips-input';
import { errorAt, errorsUnder, type FieldErrors, unclaimed } from './field-errors';
import type { MessageForm } from './message';
import { MessageEditor, type TemplateOption } from './message-editor';
import { RowControls } from './row-controls';
import { TypeSelect } from './type-select';
import {
  ACTION_TYPES,
  type ActionForm,
  type ActionType,
  ASSIGN_MODES,
  type AssignMode,
  type AttributeRow,
  type ConversationStatus,
  emptyAction,
  STATUSES,
} from './rule-form';

/** The fields each action type shows beside their inputs (relative to the action). */
const SHOWN: Record<ActionType, string[]> = {
  reply: [],
  add_tags: ['tags'],
  remove_tags: ['tags'],
  set_attributes: ['attributes'],
  assign: ['mode', 'userIds'],
  set_status: ['status'],
  handoff: ['text'],
  add_note: ['text'],
  enroll_flow: ['flowId'],
  call_webhook: ['subscriptionId'],
  ai_reply: ['minConfidence', 'fallbackText', 'handoffText'],
};

/**
 * One action of a rule, as a group with its number: what it does and that type's fields, with
 * buttons to move it up or down and to remove it. `errors` are the API's, relative to the action.
 */
@Component({
  selector: 'app-action-row',
  imports: [
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    Icon,
    ChipsInput,
    MessageEditor,
    RowControls,
    TypeSelect,
  ],
  template: `
    <fieldset class="action">
      <legend>Action {{ index() + 1 }}</legend>
      <div class="row head">
        <app-type-select
          class="type"
          label="Do"
          name="actionType"
          [options]="types"
          [value]="action().type"
          [disabled]="disabled()"
          (valueChange)="setType($event)"
        />
        <span class="spacer"></span>
        @if (!disabled()) {
          <app-row-controls
            [label]="'action ' + (index() + 1)"
            [index]="index()"
            [count]="count()"
            (move)="move.emit($event)"
            (remove)="remove.emit()"
          />
        }
      </div>
      @switch (action().type) {
        @case ('reply') {
          <app-message-editor
            [message]="action().message"
            [errors]="messageErrors()"
            [templates]="templates()"
            [disabled]="disabled()"
            (messageChange)="setMessage($event)"
          />
        }
        @case ('add_tags') {
          <app-chips-input
            label="Tags to add"
            hint="Press Enter after each tag"
            [values]="action().tags"
            [error]="err('tags')"
            [disabled]="disabled()"
            (valuesChange)="patch({ tags: $event })"
          />
        }
        @case ('remove_tags') {
          <app-chips-input
            label="Tags to remove"
            hint="Press Enter after each tag"
            [values]="action().tags"
            [error]="err('tags')"
            [disabled]="disabled()"
            (valuesChange)="patch({ tags: $event })"
          />
        }
        @case ('set_attributes') {
          @for (row of action().attributes; track $index; let i = $index) {
            <div class="row" role="group" [attr.aria-label]="'Attribute ' + (i + 1)">
              <mat-form-field class="grow">
                <mat-label>Attribute {{ i + 1 }} name</mat-label>
                <input
                  #key
                  matInput
                  [disabled]="disabled()"
                  [value]="row.key"
                  (input)="setAttribute(i, { key: key.value })"
                />
              </mat-form-field>
              <mat-form-field class="grow">
                <mat-label>Attribute {{ i + 1 }} value</mat-label>
                <input
                  #value
                  matInput
                  [disabled]="disabled()"
                  [value]="row.value"
                  (input)="setAttribute(i, { value: value.value })"
                />
              </mat-form-field>
              @if (!disabled()) {
                <button
                  mat-icon-button
                  type="button"
                  (click)="removeAttribute(i)"
                  [disabled]="action().attributes.length === 1"
                  [attr.aria-label]="'Remove attribute ' + (i + 1)"
                >
                  <app-icon name="delete" />
                </button>
              }
            </div>
          }
          @if (!disabled()) {
            <button mat-stroked-button type="button" (click)="addAttribute()">
              <app-icon name="add" /> Add attribute
            </button>
          }
          @if (err('attributes'); as message) {
            <p class="field-error error-text">{{ message }}</p>
          }
        }
        @case ('assign') {
          <mat-form-field class="wide">
            <mat-label>Assign to</mat-label>
            <select
              #mode
              matNativeControl
              [disabled]="disabled()"
              [value]="action().mode"
              (change)="setMode(mode.value)"
            >
              @for (option of modes; track option.mode) {
                <option [value]="option.mode" [selected]="option.mode === action().mode">{{ option.label }}</option>
              }
            </select>
          </mat-form-field>
          @if (action().mode === 'user') {
            <mat-form-field class="wide">
              <mat-label>Member</mat-label>
              <select
                #member
                matNativeControl
                [disabled]="disabled()"
                [value]="action().userIds[0] || ''"
                (change)="patch({ userIds: member.value ? [member.value] : [] })"
              >
                <option value="" disabled>Choose a member</option>
                @for (member of agents(); track member.userId) {
                  <option [value]="member.userId" [selected]="member.userId === action().userIds[0]">
                    {{ member.name }} ({{ member.role }})
                  </option>
                }
              </select>
            </mat-form-field>
          } @else if (action().mode === 'round_robin') {
            <fieldset class="plain members">
              <legend>Members who take turns</legend>
              @for (member of agents(); track member.userId) {
                <mat-checkbox
                  [disabled]="disabled()"
                  [checked]="action().userIds.includes(member.userId)"
                  (change)="toggleMember(member.userId, $event.checked)"
                  >{{ member.name }}</mat-checkbox
                >
              } @empty {
                <p class="muted">No agents in the team yet.</p>
              }
            </fieldset>
          } @else {
            <p class="muted small">
              The agent online now with the fewest open conversations; nobody is assigned when no agent is online.
            </p>
          }
          @for (field of ['mode', 'userIds']; track field) {
            @if (err(field); as message) {
              <p class="field-error error-text">{{ message }}</p>
            }
          }
        }
        @case ('set_status') {
          <mat-form-field class="wide">
            <mat-label>Status</mat-label>
            <select
              #status
              matNativeControl
              [disabled]="disabled()"
              [value]="action().status"
              (change)="setStatus(status.value)"
            >
              @for (option of statuses; track option.status) {
                <option [value]="option.status" [selected]="option.status === action().status">
                  {{ option.label }}
                </option>
              }
            </select>
          </mat-form-field>
        }
        @case ('handoff') {
          <mat-form-field class="full">
            <mat-label>Message to the customer (optional)</mat-label>
            <textarea
              #text
              matInput
              rows="2"
              [disabled]="disabled()"
              [value]="action().text"
              (input)="patch({ text: text.value })"
            ></textarea>
            <mat-hint>The bot stays quiet in this conversation until it is resolved.</mat-hint>
          </mat-form-field>
          @if (err('text'); as message) {
            <p class="field-error error-text">{{ message }}</p>
          }
        }
        @case ('add_note') {
          <mat-form-field class="full">
            <mat-label>Note for the team</mat-label>
            <textarea
              #note
              matInput
              rows="2"
              [disabled]="disabled()"
              [value]="action().text"
              (input)="patch({ text: note.value })"
            ></textarea>
          </mat-form-field>
          @if (err('text'); as message) {
            <p class="field-error error-text">{{ message }}</p>
          }
        }
        @case ('enroll_flow') {
          <mat-form-field class="wide">
            <mat-label>Flow</mat-label>
            <select
              #flow
              matNativeControl
              [disabled]="disabled()"
              [value]="action().flowId"
              (change)="patch({ flowId: flow.value })"
            >
              <option value="" disabled>{{ flows().length ? 'Choose a flow' : 'No flows yet' }}</option>
              @for (flow of flows(); track flow.id) {
                <option [value]="flow.id" [selected]="flow.id === action().flowId">
                  {{ flow.name }}{{ flow.enabled ? '' : ' (off)' }}
                </option>
              }
            </select>
          </mat-form-field>
          @if (err('flowId'); as message) {
            <p class="field-error error-text">{{ message }}</p>
          }
        }
        @case ('call_webhook') {
          <mat-form-field class="full">
            <mat-label>Webhook</mat-label>
            <select
              #webhook
              matNativeControl
              [disabled]="disabled()"
              [value]="action().subscriptionId"
              (change)="patch({ subscriptionId: webhook.value })"
            >
              <option value="" disabled>{{ webhooks().length ? 'Choose a webhook' : 'No webhooks yet' }}</option>
              @for (subscription of webhooks(); track subscription.id) {
                <option [value]="subscription.id" [selected]="subscription.id === action().subscriptionId">
                  {{ subscription.url }}{{ subscription.enabled ? '' : ' (off)' }}
                </option>
              }
            </select>
            <mat-hint>
              It gets a signed <code>automation.rule_fired</code> event, retried until it answers; Settings → Webhooks
              lists the deliveries.
            </mat-hint>
          </mat-form-field>
          @if (err('subscriptionId'); as message) {
            <p class="field-error error-text">{{ message }}</p>
          }
        }
        @case ('ai_reply') {
          <mat-form-field>
            <mat-label>Minimum confidence (0 to 1)</mat-label>
            <input
              #confidence
              matInput
              type="number"
              min="0"
              max="1"
              step="0.05"
              [disabled]="disabled()"
              [value]="action().minConfidence"
              (input)="patch({ minConfidence: confidence.valueAsNumber })"
            />
            <mat-hint>Less sure than this, it hands off with the text below.</mat-hint>
          </mat-form-field>
          @if (err('minConfidence'); as message) {
            <p class="field-error error-text">{{ message }}</p>
          }
          <mat-form-field class="full">
            <mat-label>Handoff text</mat-label>
            <textarea
              #handoff
              matInput
              rows="2"
              [disabled]="disabled()"
              [value]="action().handoffText"
              (input)="patch({ handoffText: handoff.value })"
            ></textarea>
          </mat-form-field>
          @if (err('handoffText'); as message) {
            <p class="field-error error-text">{{ message }}</p>
          }
          <mat-form-field class="full">
            <mat-label>Fallback text (when the AI fails)</mat-label>
            <textarea
              #fallback
              matInput
              rows="2"
              [disabled]="disabled()"
              [value]="action().fallbackText"
              (input)="patch({ fallbackText: fallback.value })"
            ></textarea>
          </mat-form-field>
          @if (err('fallbackText'); as message) {
            <p class="field-error error-text">{{ message }}</p>
          }
        }
      }
      @for (message of otherErrors(); track message) {
        <p class="field-error error-text">{{ message }}</p>
      }
    </fieldset>
  `,
  styles: `
    :host {
      display: block;
    }
    mat-form-field {
      margin-bottom: 8px;
    }
    .action {
      border: 1px solid var(--app-border);
      border-radius: 8px;
      padding: 8px 16px 12px;
      margin: 0 0 12px;
      legend {
        padding: 0 6px;
        font-weight: 500;
      }
    }
    .head {
      align-items: flex-start;
    }
    .type,
    .wide {
      width: 280px;
      max-width: 100%;
    }
    .full {
      width: 100%;
    }
    .grow {
      flex: 1;
      min-width: 160px;
    }
    fieldset.plain {
      border: 0;
      margin: 0 0 8px;
      padding: 0;
      legend {
        padding: 0;
        color: var(--app-muted);
      }
    }
    .members mat-checkbox {
      margin-right: 12px;
    }
    .field-error {
      margin: 0 0 8px;
      font-size: 12px;
    }
    .small {
      font-size: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ActionRow {
  readonly action = input.required<ActionForm>();
  readonly index = input.required<number>();
  readonly count = input.required<number>();
  readonly errors = input<FieldErrors>({});
  readonly members = input<MemberDto[]>([]);
  readonly flows = input<FlowDto[]>([]);
  readonly webhooks = input<WebhookSubscriptionDto[]>([]);
  readonly templates = input<TemplateOption[]>([]);
  readonly disabled = input(false);
  readonly actionChange = output<ActionForm>();
  readonly remove = output<void>();
  readonly move = output<number>();

  protected readonly types = ACTION_TYPES;
  protected readonly modes = ASSIGN_MODES;
  protected readonly statuses = STATUSES;

  /** Members who can be assigned (viewers cannot). */
  protected readonly agents = computed(() => this.members().filter((member) => member.role !== 'viewer'));
  protected readonly messageErrors = computed(() => errorsUnder(this.errors(), 'message'));
  /** What the API said about fields with no input here (a reply's message shows its own). */
  protected readonly otherErrors = computed(() => {
    const type = this.action().type;
    const errors = Object.fromEntries(
      Object.entries(this.errors()).filter(
        ([field]) => !(type === 'reply' && (field === 'message' || field.startsWith('message.'))),
      ),
    );
    return unclaimed(errors, SHOWN[type] ?? []);
  });

  protected err(field: string): string | null {
    return errorAt(this.errors(), field);
  }

  protected patch(change: Partial<ActionForm>): void {
    this.actionChange.emit({ ...this.action(), ...change });
  }

  protected setType(type: string): void {
    // The new type starts from its defaults; what the old type had in common (tags, text) stays.
    const current = this.action();
    this.actionChange.emit({ ...emptyAction(type as ActionType), message: current.message, tags: current.tags });
  }

  protected setMessage(message: MessageForm): void {
    this.patch({ message });
  }

  protected setMode(mode: string): void {
    this.patch({ mode: mode as AssignMode });
  }

  protected setStatus(status: string): void {
    this.patch({ status: status as ConversationStatus });
  }

  protected toggleMember(userId: string, on: boolean): void {
    const others = this.action().userIds.filter((id) => id !== userId);
    this.patch({ userIds: on ? [...others, userId] : others });
  }

  protected setAttribute(index: number, change: Partial<AttributeRow>): void {
    this.patch({
      attributes: this.action().attributes.map((row, i) => (i === index ? { ...row, ...change } : row)),
    });
  }

  protected addAttribute(): void {
    this.patch({ attributes: [...this.action().attributes, { key: '', value: '' }] });
  }

  protected removeAttribute(index: number): void {
    this.patch({ attributes: this.action().attributes.filter((_, i) => i !== index) });
  }
}
