import { DatePipe, DecimalPipe } from '@angular/common';
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
import { MatMenuModule } from '@angular/material/menu';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';
import {
  Api,
  createFlow,
  deleteFlow,
  type FlowDto,
  type FlowEnrollmentDto,
  getContact,
  getFlow,
  listFlowEnrollments,
  listTemplates,
  updateFlow,
} from '@parley/console/api-client';
import { CursorPager, problemOf, Session } from '@parley/console/core';
import { type ConfirmData, ConfirmDialog, Icon, Pager } from '@parley/console/ui';
import { firstValueFrom } from 'rxjs';
import { AutomationNav } from './automation-nav';
import { contactLabel, EnrollContact } from './enroll-contact';
import { errorAt, errorsUnder, type FieldErrors, fieldErrorsOf, unclaimed } from './field-errors';
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
import type { TemplateOption } from './message-editor';
import { enrollmentSourceLabel, enrollmentStatusLabel, exitReasonLabel } from './outcome';

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
export class FlowEditorPage {
  /** The route's `:id`; absent for a new flow. */
  readonly id = input<string>();

  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  protected readonly session = inject(Session);

  protected readonly stepTypes = STEP_TYPES;
  protected readonly statusLabel = enrollmentStatusLabel;
  protected readonly exitReason = exitReasonLabel;
  protected readonly sourceLabel = enrollmentSourceLabel;

  protected readonly flow = signal<FlowDto | null>(null);
  protected readonly form = signal<FlowForm>(emptyFlow());
  protected readonly templates = signal<TemplateOption[]>([]);
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly fieldErrors = signal<FieldErrors>({});
  protected readonly tried = signal(false);
  /** Contact id → how to show them, filled as enrollments show up. */
  protected readonly contactNames = signal<Record<string, string>>({});

  protected readonly admin = computed(() => this.session.can('admin'));
  protected readonly canEnroll = computed(() => this.session.can('agent'));
  protected readonly title = computed(() => this.flow()?.name ?? 'New flow');
  protected readonly idProblems = computed(() => stepIdProblems(this.form().steps));
  protected readonly nameProblem = computed(() => (this.tried() && !this.form().name.trim() ? 'Name the flow' : null));
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
    effect(() => {
      const id = this.id();
      const orgId = this.session.orgId();
      untracked(() => void this.load(orgId, id));
    });
    // Name the contacts of each page of enrollments.
    effect(() => {
      const rows = this.enrollments.rows();
      untracked(() => void this.nameContacts(rows));
    });
  }

  private async load(orgId: string | null, id: string | undefined): Promise<void> {
    if (!orgId) return;
    this.error.set(null);
    try {
      const flow = id ? await this.api.invoke(getFlow, { orgId, id }) : null;
      this.flow.set(flow);
      this.form.set(flow ? flowFormOf(flow) : emptyFlow());
      this.loaded.set(true);
      if (flow) void this.enrollments.first();
      void this.loadTemplates(orgId);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }

  private async loadTemplates(orgId: string): Promise<void> {
    try {
      const page = await this.api.invoke(listTemplates, { orgId, status: 'APPROVED', limit: 100 });
      this.templates.set(page.data.map((template) => ({ name: template.name, language: template.language })));
    } catch {
      // Only suggestions: the field still takes a typed name.
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

  protected err(field: string): string | null {
    return errorAt(this.fieldErrors(), field);
  }

  protected errorsOf(prefix: string): FieldErrors {
    return errorsUnder(this.fieldErrors(), prefix);
  }

  private update(change: (form: FlowForm) => FlowForm, stale?: (field: string) => boolean): void {
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

  protected async save(): Promise<void> {
    const orgId = this.session.orgId();
    this.tried.set(true);
    if (!orgId || this.busy()) return;
    if (!this.form().name.trim() || this.idProblems().size > 0) {
      this.error.set('Some fields need attention.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.fieldErrors.set({});
    try {
      const current = this.flow();
      const body = flowBodyOf(this.form());
      const saved = current
        ? await this.api.invoke(updateFlow, { orgId, id: current.id, body })
        : await this.api.invoke(createFlow, { orgId, body });
      this.flow.set(saved);
      this.form.set(flowFormOf(saved));
      this.tried.set(false);
      this.snackBar.open('Flow saved', undefined, { duration: 3000 });
      if (!current) await this.router.navigate(['/automation/flows', saved.id], { replaceUrl: true });
    } catch (error) {
      const problem = problemOf(error);
      this.fieldErrors.set(fieldErrorsOf(problem.fields));
      this.error.set(
        problem.fields.length > 0 ? 'The flow was not saved: see the messages beside the fields.' : problem.summary,
      );
    } finally {
      this.busy.set(false);
    }
  }

  protected async remove(): Promise<void> {
    const orgId = this.session.orgId();
    const flow = this.flow();
    if (!orgId || !flow) return;
    const data: ConfirmData = {
      title: 'Delete this flow?',
      message: `“${flow.name}” is deleted; the ${flow.enrollments.active} contacts in it stop where they are. This cannot be undone.`,
      confirm: 'Delete flow',
    };
    if (!(await firstValueFrom(this.dialog.open(ConfirmDialog, { data, width: '440px' }).afterClosed()))) return;
    try {
      await this.api.invoke(deleteFlow, { orgId, id: flow.id });
      this.snackBar.open('Flow deleted', undefined, { duration: 3000 });
      await this.router.navigateByUrl('/automation/flows');
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
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
