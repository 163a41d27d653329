import { ChangeDetectionStrategy, Component, computed, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { RouterLink } from '@angular/router';
import {
  type AutomationRuleDto,
  createAutomationRule,
  deleteAutomationRule,
  type FlowDto,
  getAutomationRule,
  listFlows,
  listMembers,
  listWebhookSubscriptions,
  type MemberDto,
  updateAutomationRule,
  type WebhookSubscriptionDto,
} from '@parley/console/api-client';
import { problemOf } from '@parley/console/core';
import { Icon } from '@parley/console/ui';
import { ActionRow } from './action-row';
import { AutomationNav } from './automation-nav';
import { ChipsInput } from './chips-input';
import { ConditionRow } from './condition-row';
import { unclaimed } from './field-errors';
import { RecordEditor } from './record-editor';
import {
  type ActionForm,
  CONDITION_TYPES,
  COOLDOWN_UNITS,
  type ConditionForm,
  type CooldownUnit,
  emptyAction,
  emptyCondition,
  emptyRule,
  MESSAGE_MATCHES,
  type MessageMatch,
  moved,
  ruleBodyOf,
  type RuleForm,
  ruleFormOf,
  type TriggerForm,
  TRIGGER_TYPES,
  type TriggerType,
  emptyTrigger,
} from './rule-form';
import { RuleLog } from './rule-log';
import { focusMoveButton } from './focus';

/** The fields the page shows beside their inputs; the rows show theirs. */
const PAGE_FIELDS = [
  'name',
  'enabled',
  'stopAfterMatch',
  'cooldownSeconds',
  'trigger',
  'trigger.type',
  'trigger.match',
  'trigger.keywords',
  'trigger.pattern',
  'trigger.replyIds',
  'trigger.tag',
  'trigger.minutes',
  'actions',
];

/**
 * `/automation/rules/new` and `/automation/rules/:id`: a rule's name, trigger, conditions and
 * actions, whether later rules still run, and its cooldown. The API's 422 names each field at
 * fault; its message shows beside that field. Below an existing rule: its log, live.
 */
@Component({
  selector: 'app-rule-editor',
  imports: [
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSlideToggleModule,
    Icon,
    ActionRow,
    AutomationNav,
    ChipsInput,
    ConditionRow,
    RuleLog,
  ],
  templateUrl: './rule-editor.page.html',
  styleUrl: './editor.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RuleEditorPage extends RecordEditor<AutomationRuleDto, RuleForm> {
  protected readonly triggerTypes = TRIGGER_TYPES;
  protected readonly matches = MESSAGE_MATCHES;
  protected readonly conditionTypes = CONDITION_TYPES;
  protected readonly cooldownUnits = COOLDOWN_UNITS;

  protected readonly rule = this.record;
  protected readonly members = signal<MemberDto[]>([]);
  protected readonly flows = signal<FlowDto[]>([]);
  /** An admin's webhook subscriptions, for `call_webhook` (only admins may list them). */
  protected readonly webhooks = signal<WebhookSubscriptionDto[]>([]);

  /** What the API said about fields nowhere on this page (the rows show what is about them). */
  protected readonly otherErrors = computed(() =>
    unclaimed(
      Object.fromEntries(
        Object.entries(this.fieldErrors()).filter(([field]) => !/^(conditions|actions)\[/.test(field)),
      ),
      PAGE_FIELDS,
    ),
  );

  constructor() {
    super({ noun: 'rule', path: '/automation/rules', list: '/automation', empty: emptyRule, formOf: ruleFormOf });
  }

  protected async load(orgId: string | null, id: string | undefined): Promise<void> {
    if (!orgId) return;
    this.error.set(null);
    try {
      const [rule, members, flows, webhooks] = await Promise.all([
        id ? this.api.invoke(getAutomationRule, { orgId, id }) : Promise.resolve(null),
        this.api.invoke(listMembers, { orgId, limit: 100 }),
        this.api.invoke(listFlows, { orgId }),
        this.admin() ? this.api.invoke(listWebhookSubscriptions, { orgId, limit: 100 }) : Promise.resolve(null),
      ]);
      this.open(rule);
      this.members.set(members.data);
      this.flows.set(flows);
      this.webhooks.set(webhooks?.data ?? []);
      this.loaded.set(true);
      void this.loadTemplates(orgId);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }

  protected setName(name: string): void {
    this.update(
      (form) => ({ ...form, name }),
      (field) => field === 'name',
    );
  }

  protected setEnabled(enabled: boolean): void {
    this.update((form) => ({ ...form, enabled }));
  }

  protected setStopAfterMatch(stopAfterMatch: boolean): void {
    this.update((form) => ({ ...form, stopAfterMatch }));
  }

  protected setCooldown(change: { amount?: number; unit?: string }): void {
    this.update(
      (form) => ({
        ...form,
        cooldown: {
          amount: change.amount ?? form.cooldown.amount,
          unit: (change.unit as CooldownUnit | undefined) ?? form.cooldown.unit,
        },
      }),
      (field) => field === 'cooldownSeconds',
    );
  }

  // The trigger.

  protected setTrigger(change: Partial<TriggerForm>): void {
    this.update(
      (form) => ({ ...form, trigger: { ...form.trigger, ...change } }),
      (field) => field.startsWith('trigger'),
    );
  }

  protected setTriggerType(type: string): void {
    const current = this.form().trigger;
    // Every field is kept: switching back and forth loses nothing.
    this.setTrigger({ ...emptyTrigger(type as TriggerType), ...current, type: type as TriggerType });
  }

  protected setMatch(match: string): void {
    this.setTrigger({ match: match as MessageMatch });
  }

  protected setMinutes(value: number): void {
    this.setTrigger({ minutes: Number.isFinite(value) ? value : null });
  }

  // Conditions and actions: the API names rows by index, so a change to the rows drops its messages about them.

  protected addCondition(): void {
    this.update(
      (form) => ({ ...form, conditions: [...form.conditions, emptyCondition()] }),
      (field) => field.startsWith('conditions'),
    );
  }

  protected setCondition(index: number, condition: ConditionForm): void {
    this.update(
      (form) => ({ ...form, conditions: form.conditions.map((c, i) => (i === index ? condition : c)) }),
      (field) => field.startsWith(`conditions[${index}]`),
    );
  }

  protected removeCondition(index: number): void {
    this.update(
      (form) => ({ ...form, conditions: form.conditions.filter((_, i) => i !== index) }),
      (field) => field.startsWith('conditions'),
    );
  }

  protected addAction(): void {
    this.update(
      (form) => ({ ...form, actions: [...form.actions, emptyAction()] }),
      (field) => field === 'actions',
    );
  }

  protected setAction(index: number, action: ActionForm): void {
    this.update(
      (form) => ({ ...form, actions: form.actions.map((a, i) => (i === index ? action : a)) }),
      (field) => field.startsWith(`actions[${index}]`),
    );
  }

  protected removeAction(index: number): void {
    this.update(
      (form) => ({ ...form, actions: form.actions.filter((_, i) => i !== index) }),
      (field) => field.startsWith('actions'),
    );
  }

  protected moveAction(index: number, delta: number): void {
    this.update(
      (form) => ({ ...form, actions: moved(form.actions, index, delta) }),
      (field) => field.startsWith('actions'),
    );
    // The moved action's buttons are rebuilt: focus follows it to its new place.
    focusMoveButton(this.injector, `[data-action-index="${index + delta}"]`, delta < 0 ? 'up' : 'down');
  }

  // Saving and deleting.

  protected save(): Promise<void> {
    return this.saveWith(true, (orgId, current) => {
      const body = ruleBodyOf(this.form());
      return current
        ? this.api.invoke(updateAutomationRule, { orgId, id: current.id, body })
        : this.api.invoke(createAutomationRule, { orgId, body });
    });
  }

  protected remove(): Promise<void> {
    return this.deleteWith(
      (rule) => ({
        title: 'Delete this rule?',
        message: `“${rule.name}” stops running and its log is deleted. This cannot be undone.`,
        confirm: 'Delete rule',
      }),
      (orgId, rule) => this.api.invoke(deleteAutomationRule, { orgId, id: rule.id }),
    );
  }
}
