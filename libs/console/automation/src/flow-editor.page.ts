import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { RouterLink } from '@angular/router';
import {
  createFlow,
  deleteFlow,
  type FlowDto,
  type FlowEnrollmentDto,
  getContact,
  getFlow,
  listFlowEnrollments,
  updateFlow,
} from '@parley/console/api-client';
import { CursorPager, problemOf } from '@parley/console/core';
import { Icon, Pager } from '@parley/console/ui';
import { AutomationNav } from './automation-nav';
import { contactLabel, EnrollContact } from './enroll-contact';
import { unclaimed } from './field-errors';
import {
  emptyFlow,
  emptyStep,
  flowBodyOf,
  type FlowForm,
  flowFormOf,
  moveStep,
  removeStep,
  renameStep,
  STEP_TYPES,
  stepIdProblems,
  type StepForm,
  type StepType,
} from './flow-form';
import { FlowStep } from './flow-step';
import { focusMoveButton } from './focus';
import { enrollmentSourceLabel, enrollmentStatusLabel, exitReasonLabel } from './outcome';
import { RecordEditor } from './record-editor';

const PAGE_SIZE = 20;
const PAGE_FIELDS = ['name', 'enabled', 'steps', 'exitRules', 'exitRules.onReply', 'exitRules.onResolve'];

/**
 * `/automation/flows/new` and `/automation/flows/:id`: a drip flow's name, switch and exit rules,
 * its steps in order (each saying where it goes next), and, once saved, how many contacts are in
 * it, a way to enroll one, and where each enrolled contact is.
 */
@Component({
  selector: 'app-flow-editor',
  imports: [
    DatePipe,
    DecimalPipe,
    RouterLink,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatMenuModule,
    MatSlideToggleModule,
    Icon,
    Pager,
    AutomationNav,
    EnrollContact,
    FlowStep,
  ],
  templateUrl: './flow-editor.page.html',
  styleUrl: './editor.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FlowEditorPage extends RecordEditor<FlowDto, FlowForm> {
  protected readonly stepTypes = STEP_TYPES;
  protected readonly statusLabel = enrollmentStatusLabel;
  protected readonly exitReason = exitReasonLabel;
  protected readonly sourceLabel = enrollmentSourceLabel;

  protected readonly flow = this.record;
  /** Contact id → how to show them, filled as enrollments show up. */
  protected readonly contactNames = signal<Record<string, string>>({});

  protected readonly canEnroll = computed(() => this.session.can('agent'));
  protected readonly idProblems = computed(() => stepIdProblems(this.form().steps));
  protected readonly otherErrors = computed(() =>
    unclaimed(
      Object.fromEntries(Object.entries(this.fieldErrors()).filter(([field]) => !field.startsWith('steps['))),
      PAGE_FIELDS,
    ),
  );

  protected readonly enrollments = new CursorPager<FlowEnrollmentDto>((cursor) => {
    const orgId = this.session.orgId();
    const flow = this.flow();
    return orgId && flow
      ? this.api.invoke(listFlowEnrollments, { orgId, id: flow.id, limit: PAGE_SIZE, ...(cursor && { cursor }) })
      : null;
  });

  constructor() {
    super({ noun: 'flow', path: '/automation/flows', list: '/automation/flows', empty: emptyFlow, formOf: flowFormOf });
    // Name the contacts of each page of enrollments.
    effect(() => {
      const rows = this.enrollments.rows();
      untracked(() => void this.nameContacts(rows));
    });
  }

  protected async load(orgId: string | null, id: string | undefined): Promise<void> {
    if (!orgId) return;
    this.error.set(null);
    try {
      const flow = id ? await this.api.invoke(getFlow, { orgId, id }) : null;
      this.open(flow);
      this.loaded.set(true);
      if (flow) void this.enrollments.first();
      void this.loadTemplates(orgId);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }

  private async nameContacts(rows: FlowEnrollmentDto[]): Promise<void> {
    const orgId = this.session.orgId();
    const known = this.contactNames();
    const missing = [...new Set(rows.map((row) => row.contactId))].filter((id) => !(id in known));
    if (!orgId || missing.length === 0) return;
    const found = await Promise.all(
      missing.map((id) =>
        this.api.invoke(getContact, { orgId, id }).then(
          (contact) => [id, contactLabel(contact)] as const,
          () => [id, 'A deleted contact'] as const,
        ),
      ),
    );
    this.contactNames.update((names) => ({ ...names, ...Object.fromEntries(found) }));
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

  protected setExit(change: Partial<FlowForm['exitRules']>): void {
    this.update((form) => ({ ...form, exitRules: { ...form.exitRules, ...change } }));
  }

  // Steps: the API names them by index, so a change to the list drops its messages about steps.

  protected addStep(type: StepType): void {
    this.update(
      (form) => ({ ...form, steps: [...form.steps, emptyStep(type, form.steps)] }),
      (field) => field === 'steps',
    );
  }

  protected setStep(index: number, step: StepForm): void {
    this.update(
      (form) => ({ ...form, steps: form.steps.map((s, i) => (i === index ? step : s)) }),
      (field) => field.startsWith(`steps[${index}]`),
    );
  }

  protected renameStep(index: number, id: string): void {
    this.update(
      (form) => ({ ...form, steps: renameStep(form.steps, index, id) }),
      (field) => field.startsWith('steps'),
    );
  }

  protected removeStep(index: number): void {
    this.update(
      (form) => ({ ...form, steps: removeStep(form.steps, index) }),
      (field) => field.startsWith('steps'),
    );
  }

  protected moveStep(index: number, delta: number): void {
    this.update(
      (form) => ({ ...form, steps: moveStep(form.steps, index, delta) }),
      (field) => field.startsWith('steps'),
    );
    focusMoveButton(this.injector, `[data-step-index="${index + delta}"]`, delta < 0 ? 'up' : 'down');
  }

  // Saving, deleting, enrolling.

  protected save(): Promise<void> {
    return this.saveWith(this.idProblems().size === 0, (orgId, current) => {
      const body = flowBodyOf(this.form());
      return current
        ? this.api.invoke(updateFlow, { orgId, id: current.id, body })
        : this.api.invoke(createFlow, { orgId, body });
    });
  }

  protected remove(): Promise<void> {
    return this.deleteWith(
      (flow) => ({
        title: 'Delete this flow?',
        message: `“${flow.name}” is deleted; the ${flow.enrollments.active} contacts in it stop where they are. This cannot be undone.`,
        confirm: 'Delete flow',
      }),
      (orgId, flow) => this.api.invoke(deleteFlow, { orgId, id: flow.id }),
    );
  }

  /** A contact was enrolled: the counts and the list show them. */
  protected async enrolled(): Promise<void> {
    const orgId = this.session.orgId();
    const flow = this.flow();
    if (!orgId || !flow) return;
    await this.enrollments.first();
    const fresh = await this.api.invoke(getFlow, { orgId, id: flow.id }).catch(() => null);
    if (fresh) this.flow.set(fresh);
  }

  protected stepName(enrollment: FlowEnrollmentDto): string {
    const step = this.flow()?.steps[enrollment.step];
    return step
      ? `${enrollment.step + 1}: ${step.id}`
      : enrollment.status === 'completed'
        ? '—'
        : String(enrollment.step + 1);
  }
}
