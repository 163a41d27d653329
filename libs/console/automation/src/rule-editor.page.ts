import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  Injector,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';
import {
  Api,
  type AutomationRuleDto,
  createAutomationRule,
  deleteAutomationRule,
  type FlowDto,
  getAutomationRule,
  listFlows,
  listMembers,
  listTemplates,
  type MemberDto,
  updateAutomationRule,
} from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { type ConfirmData, ConfirmDialog, Icon } from '@parley/console/ui';
import { firstValueFrom } from 'rxjs';
import { ActionRow } from './action-row';
import { AutomationNav } from './automation-nav';
import { ChipsInput } from './chips-input';
import { ConditionRow } from './condition-row';
import { errorAt, errorsUnder, type FieldErrors, fieldErrorsOf, unclaimed } from './field-errors';
import type { TemplateOption } from './message-editor';
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
export class RuleEditorPage {
  /** The route's `:id`; absent for a new rule. */
  readonly id = input<string>();

  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  protected readonly session = inject(Session);

  protected readonly triggerTypes = TRIGGER_TYPES;
  protected readonly matches = MESSAGE_MATCHES;
  protected readonly conditionTypes = CONDITION_TYPES;
  protected readonly cooldownUnits = COOLDOWN_UNITS;

  protected readonly rule = signal<AutomationRuleDto | null>(null);
  protected readonly form = signal<RuleForm>(emptyRule());
  protected readonly members = signal<MemberDto[]>([]);
  protected readonly flows = signal<FlowDto[]>([]);
  protected readonly templates = signal<TemplateOption[]>([]);
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The API's messages by field (`trigger.keywords`, `actions[0].message.text.body`). */
  protected readonly fieldErrors = signal<FieldErrors>({});
  /** Set once a save was tried: the form then shows what is missing. */
  protected readonly tried = signal(false);

  protected readonly admin = computed(() => this.session.can('admin'));
  protected readonly title = computed(() => this.rule()?.name ?? 'New rule');
  protected readonly nameProblem = computed(() => (this.tried() && !this.form().name.trim() ? 'Name the rule' : null));
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
    effect(() => {
      const id = this.id();
      const orgId = this.session.orgId();
      untracked(() => void this.load(orgId, id));
    });
  }

  private async load(orgId: string | null, id: string | undefined): Promise<void> {
    if (!orgId) return;
    this.error.set(null);
    try {
      const [rule, members, flows] = await Promise.all([
        id ? this.api.invoke(getAutomationRule, { orgId, id }) : Promise.resolve(null),
        this.api.invoke(listMembers, { orgId, limit: 100 }),
        this.api.invoke(listFlows, { orgId }),
      ]);
      this.rule.set(rule);
      this.form.set(rule ? ruleFormOf(rule) : emptyRule());
      this.members.set(members.data);
      this.flows.set(flows);
      this.loaded.set(true);
      void this.loadTemplates(orgId);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }

  /** Approved templates, offered by name in a reply (a shortcut: any name can be typed). */
  private async loadTemplates(orgId: string): Promise<void> {
    try {
      const page = await this.api.invoke(listTemplates, { orgId, status: 'APPROVED', limit: 100 });
      this.templates.set(page.data.map((template) => ({ name: template.name, language: template.language })));
    } catch {
      // Only suggestions: the field still takes a typed name.
    }
  }

  protected err(field: string): string | null {
    return errorAt(this.fieldErrors(), field);
  }

  protected errorsOf(prefix: string): FieldErrors {
    return errorsUnder(this.fieldErrors(), prefix);
  }

  /** A change to the form; the API's messages about what changed no longer apply. */
  private update(change: (form: RuleForm) => RuleForm, stale?: (field: string) => boolean): void {
    this.form.update(change);
    if (stale)
      this.fieldErrors.update((errors) =>
        Object.fromEntries(Object.entries(errors).filter(([field]) => !stale(field))),
      );
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

  protected async save(): Promise<void> {
    const orgId = this.session.orgId();
    this.tried.set(true);
    if (!orgId || this.busy()) return;
    if (!this.form().name.trim()) {
      this.error.set('Some fields need attention.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.fieldErrors.set({});
    try {
      const current = this.rule();
      const body = ruleBodyOf(this.form());
      const saved = current
        ? await this.api.invoke(updateAutomationRule, { orgId, id: current.id, body })
        : await this.api.invoke(createAutomationRule, { orgId, body });
      this.rule.set(saved);
      this.form.set(ruleFormOf(saved));
      this.tried.set(false);
      this.snackBar.open('Rule saved', undefined, { duration: 3000 });
      if (!current) await this.router.navigate(['/automation/rules', saved.id], { replaceUrl: true });
    } catch (error) {
      const problem = problemOf(error);
      this.fieldErrors.set(fieldErrorsOf(problem.fields));
      this.error.set(
        problem.fields.length > 0 ? 'The rule was not saved: see the messages beside the fields.' : problem.summary,
      );
    } finally {
      this.busy.set(false);
    }
  }

  protected async remove(): Promise<void> {
    const orgId = this.session.orgId();
    const rule = this.rule();
    if (!orgId || !rule) return;
    const data: ConfirmData = {
      title: 'Delete this rule?',
      message: `“${rule.name}” stops running and its log is deleted. This cannot be undone.`,
      confirm: 'Delete rule',
    };
    if (!(await firstValueFrom(this.dialog.open(ConfirmDialog, { data, width: '440px' }).afterClosed()))) return;
    try {
      await this.api.invoke(deleteAutomationRule, { orgId, id: rule.id });
      this.snackBar.open('Rule deleted', undefined, { duration: 3000 });
      await this.router.navigateByUrl('/automation');
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }
}
