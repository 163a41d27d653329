import { CdkDrag, type CdkDragDrop, CdkDragHandle, CdkDropList } from '@angular/cdk/drag-drop';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  Injector,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import {
  Api,
  type AutomationRuleDto,
  deleteAutomationRule,
  type FlowDto,
  getStarterBot,
  listAutomationRules,
  listFlows,
  listMembers,
  listWebhookSubscriptions,
  type MemberDto,
  reorderAutomationRules,
  setStarterBot,
  updateAutomationRule,
  type WebhookSubscriptionDto,
} from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { type ConfirmData, ConfirmDialog, Icon } from '@parley/console/ui';
import { firstValueFrom } from 'rxjs';
import { AutomationNav } from './automation-nav';
import { focusMoveButton } from './focus';
import { RowControls } from './row-controls';
import { moved } from './rule-form';
import { actionSummary, conditionSummary, cooldownSummary, listOf, triggerSummary } from './summary';

/**
 * `/automation`: the starter bot's switch, then every rule in the order they are tried. Rules are
 * reordered by dragging or with their move buttons, switched on and off, edited and deleted.
 */
@Component({
  selector: 'app-automation',
  imports: [
    CdkDrag,
    CdkDragHandle,
    CdkDropList,
    RouterLink,
    MatButtonModule,
    MatSlideToggleModule,
    Icon,
    AutomationNav,
    RowControls,
  ],
  templateUrl: './automation.page.html',
  styleUrl: './automation.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AutomationPage {
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly injector = inject(Injector);
  protected readonly session = inject(Session);

  protected readonly rules = signal<AutomationRuleDto[]>([]);
  protected readonly starterBot = signal(false);
  protected readonly members = signal<MemberDto[]>([]);
  protected readonly flows = signal<FlowDto[]>([]);
  private readonly webhooks = signal<WebhookSubscriptionDto[]>([]);
  protected readonly loading = signal(true);
  protected readonly busy = signal(false);
  protected readonly starterBusy = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Said to screen readers after a move: where the rule went. */
  protected readonly announcement = signal('');

  protected readonly admin = computed(() => this.session.can('admin'));

  constructor() {
    effect(() => {
      const orgId = this.session.orgId();
      untracked(() => void this.load(orgId));
    });
  }

  private async load(orgId: string | null): Promise<void> {
    if (!orgId) return;
    this.loading.set(true);
    this.error.set(null);
    try {
      const [rules, bot, members, flows, webhooks] = await Promise.all([
        this.api.invoke(listAutomationRules, { orgId }),
        this.api.invoke(getStarterBot, { orgId }),
        this.api.invoke(listMembers, { orgId, limit: 100 }),
        this.api.invoke(listFlows, { orgId }),
        // Only admins may list webhooks; others read "call a webhook".
        this.admin() ? this.api.invoke(listWebhookSubscriptions, { orgId, limit: 100 }) : Promise.resolve(null),
      ]);
      this.rules.set(rules);
      this.starterBot.set(bot.enabled);
      this.members.set(members.data);
      this.flows.set(flows);
      this.webhooks.set(webhooks?.data ?? []);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.loading.set(false);
    }
  }

  // In words.

  protected trigger(rule: AutomationRuleDto): string {
    return triggerSummary(rule.trigger);
  }

  protected conditions(rule: AutomationRuleDto): string {
    return listOf(
      rule.conditions.map((condition) => conditionSummary(condition, (id) => this.memberName(id))),
      'and',
    );
  }

  protected actions(rule: AutomationRuleDto): string {
    const names = {
      member: (id: string) => this.memberName(id),
      flow: (id: string) => this.flowName(id),
      webhook: this.admin() ? (id: string) => this.webhookHost(id) : undefined,
    };
    const text = rule.actions.map((action) => actionSummary(action, names)).join(', then ');
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  protected after(rule: AutomationRuleDto): string {
    return [
      rule.stopAfterMatch ? 'later rules are skipped' : 'later rules still run',
      cooldownSummary(rule.cooldownSeconds),
    ]
      .filter(Boolean)
      .join('; ');
  }

  private memberName(id: string): string {
    return this.members().find((member) => member.userId === id)?.name ?? 'a former member';
  }

  private flowName(id: string): string {
    return this.flows().find((flow) => flow.id === id)?.name ?? 'a deleted flow';
  }

  private webhookHost(id: string): string {
    const url = this.webhooks().find((subscription) => subscription.id === id)?.url;
    return url ? new URL(url).host : 'a deleted webhook';
  }

  // The starter bot.

  protected async setStarterBot(enabled: boolean): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId || this.starterBusy()) return;
    this.starterBusy.set(true);
    this.error.set(null);
    this.starterBot.set(enabled);
    try {
      const bot = await this.api.invoke(setStarterBot, { orgId, body: { enabled } });
      this.starterBot.set(bot.enabled);
      // Switched on the first time, its rules were added ahead of the others.
      this.rules.set(await this.api.invoke(listAutomationRules, { orgId }));
      this.snackBar.open(enabled ? 'Starter bot on' : 'Starter bot off', undefined, { duration: 3000 });
    } catch (error) {
      this.starterBot.set(!enabled);
      this.error.set(problemOf(error).summary);
    } finally {
      this.starterBusy.set(false);
    }
  }

  // Rules.

  protected async setEnabled(rule: AutomationRuleDto, enabled: boolean): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    this.error.set(null);
    this.replace({ ...rule, enabled });
    try {
      this.replace(await this.api.invoke(updateAutomationRule, { orgId, id: rule.id, body: { enabled } }));
    } catch (error) {
      this.replace(rule);
      this.error.set(problemOf(error).summary);
    }
  }

  private replace(rule: AutomationRuleDto): void {
    this.rules.update((rules) => rules.map((r) => (r.id === rule.id ? rule : r)));
  }

  protected drop(event: CdkDragDrop<AutomationRuleDto[]>): void {
    if (event.previousIndex === event.currentIndex) return;
    void this.reorder(event.previousIndex, event.currentIndex - event.previousIndex);
  }

  /** Moves a rule with its buttons; focus stays on the button, in the rule's new place. */
  protected async move(index: number, delta: number): Promise<void> {
    const rule = this.rules()[index];
    if (!rule) return;
    await this.reorder(index, delta);
    focusMoveButton(this.injector, `[data-rule-id="${rule.id}"]`, delta < 0 ? 'up' : 'down');
  }

  /** Shows the new order at once, then saves it (and puts the old one back if that fails). */
  private async reorder(index: number, delta: number): Promise<void> {
    const orgId = this.session.orgId();
    const before = this.rules();
    const rule = before[index];
    if (!orgId || !rule || this.busy()) return;
    const after = moved(before, index, delta);
    this.rules.set(after);
    this.announcement.set(`${rule.name} moved to position ${index + delta + 1} of ${after.length}.`);
    this.busy.set(true);
    this.error.set(null);
    try {
      this.rules.set(await this.api.invoke(reorderAutomationRules, { orgId, body: { ids: after.map((r) => r.id) } }));
    } catch (error) {
      this.rules.set(before);
      this.announcement.set('');
      this.error.set(problemOf(error).summary);
    } finally {
      this.busy.set(false);
    }
  }

  protected async remove(rule: AutomationRuleDto): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    const data: ConfirmData = {
      title: 'Delete this rule?',
      message: `“${rule.name}” stops running and its log is deleted. This cannot be undone.`,
      confirm: 'Delete rule',
    };
    if (!(await firstValueFrom(this.dialog.open(ConfirmDialog, { data, width: '440px' }).afterClosed()))) return;
    this.error.set(null);
    try {
      await this.api.invoke(deleteAutomationRule, { orgId, id: rule.id });
      this.rules.update((rules) => rules.filter((r) => r.id !== rule.id));
      this.snackBar.open('Rule deleted', undefined, { duration: 3000 });
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }
}
