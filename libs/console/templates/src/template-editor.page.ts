import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';
import {
  Api,
  createTemplate,
  type CreateTemplateDto,
  deleteTemplate,
  getTemplate,
  listWabaAccounts,
  submitTemplate,
  type TemplateDto,
  updateTemplate,
  type UpdateTemplateDto,
  type WabaAccountDto,
} from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { type ConfirmData, ConfirmDialog, Icon } from '@parley/console/ui';
import { statusLabel } from './status';
import { TemplateEditor } from './template-editor';

/** How often a template in Meta's review is looked at again. */
const REVIEW_POLL_MS = 5_000;

/**
 * `/templates/new` and `/templates/:id`: the editor, wired to the API. A draft saves here and is
 * submitted to Meta; an approved, rejected or paused one is edited at Meta. While Meta reviews it,
 * the page looks again every few seconds, so the outcome shows without a reload.
 */
@Component({
  selector: 'app-template-editor-page',
  imports: [RouterLink, MatButtonModule, Icon, TemplateEditor],
  template: `
    <section class="page">
      <div class="page-header">
        <a mat-icon-button routerLink="/templates" aria-label="Back to templates"><app-icon name="back" /></a>
        <h1>{{ template()?.name ?? 'New template' }}</h1>
        @if (template(); as t) {
          <span class="status" [class]="'status s-' + t.status.toLowerCase()">{{ statusLabel(t.status) }}</span>
        }
      </div>
      @if (template()?.rejectedReason; as reason) {
        <p class="error-text" role="alert">Meta rejected it: {{ reason }}</p>
      }
      @if (error()) {
        <p class="error-text" role="alert">{{ error() }}</p>
      }
      @if (loaded()) {
        <app-template-editor
          [template]="template()"
          [accounts]="accounts()"
          [serverProblems]="serverProblems()"
          [busy]="busy()"
          (save)="save($event)"
          (submitToMeta)="submit($event)"
          (remove)="remove()"
        />
      }
    </section>
  `,
  styles: `
    .status {
      padding: 2px 10px;
      border-radius: 12px;
      font-size: 12px;
      background: #eceff1;
    }
    .s-approved {
      background: #e7f5ee;
      color: #0b5a2a;
    }
    .s-pending {
      background: #fff4e5;
      color: #8a5300;
    }
    .s-rejected {
      background: #fdecea;
      color: #8c1d18;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TemplateEditorPage {
  /** The route's `:id`; absent for a new template. */
  readonly id = input<string>();

  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly session = inject(Session);

  protected readonly statusLabel = statusLabel;
  protected readonly template = signal<TemplateDto | null>(null);
  protected readonly accounts = signal<WabaAccountDto[]>([]);
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly serverProblems = signal<{ field: string; message: string }[]>([]);

  constructor() {
    effect(() => {
      const id = this.id();
      const orgId = this.session.orgId();
      untracked(() => void this.load(orgId, id));
    });
    const poll = setInterval(() => void this.refreshWhileInReview(), REVIEW_POLL_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(poll));
  }

  private async load(orgId: string | null, id: string | undefined): Promise<void> {
    if (!orgId) return;
    this.error.set(null);
    try {
      const [accounts, template] = await Promise.all([
        this.api.invoke(listWabaAccounts, { orgId, limit: 100 }),
        id ? this.api.invoke(getTemplate, { orgId, id }) : Promise.resolve(null),
      ]);
      this.accounts.set(accounts.data);
      this.template.set(template);
      this.loaded.set(true);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }

  private async refreshWhileInReview(): Promise<void> {
    const orgId = this.session.orgId();
    const current = this.template();
    if (!orgId || current?.status !== 'PENDING' || this.busy()) return;
    const fresh = await this.api.invoke(getTemplate, { orgId, id: current.id }).catch(() => null);
    if (fresh && fresh.status !== current.status) this.template.set(fresh);
  }

  /** Runs an API call with the busy flag, showing its field errors in the editor and the rest above it. */
  private async run<T>(work: (orgId: string) => Promise<T>): Promise<T | null> {
    const orgId = this.session.orgId();
    if (!orgId) return null;
    this.busy.set(true);
    this.error.set(null);
    this.serverProblems.set([]);
    try {
      return await work(orgId);
    } catch (error) {
      const problem = problemOf(error);
      this.serverProblems.set(problem.fields);
      this.error.set(
        problem.fields.length > 0 ? 'Meta’s rules or Parley refused the template: see below.' : problem.summary,
      );
      return null;
    } finally {
      this.busy.set(false);
    }
  }

  /**
   * Creates the draft, or saves the changes. A template at Meta takes only what Meta lets change:
   * its components, and its category unless approved.
   */
  private persist(orgId: string, body: CreateTemplateDto): Promise<TemplateDto> {
    const current = this.template();
    if (!current) return this.api.invoke(createTemplate, { orgId, body });
    const changes: UpdateTemplateDto =
      current.status === 'DRAFT'
        ? body
        : { components: body.components, ...(current.status !== 'APPROVED' && { category: body.category }) };
    return this.api.invoke(updateTemplate, { orgId, id: current.id, body: changes });
  }

  protected async save(body: CreateTemplateDto): Promise<void> {
    const wasNew = !this.template();
    const atMeta = this.template() !== null && this.template()?.status !== 'DRAFT';
    const saved = await this.run((orgId) => this.persist(orgId, body));
    if (!saved) return;
    this.template.set(saved);
    this.snackBar.open(atMeta ? 'Changes sent to Meta for review' : 'Draft saved', undefined, { duration: 3000 });
    if (wasNew) void this.router.navigate(['/templates', saved.id], { replaceUrl: true });
  }

  protected async submit(body: CreateTemplateDto): Promise<void> {
    const wasNew = !this.template();
    const submitted = await this.run(async (orgId) => {
      const saved = await this.persist(orgId, body);
      this.template.set(saved);
      return this.api.invoke(submitTemplate, { orgId, id: saved.id });
    });
    if (!submitted) return;
    this.template.set(submitted);
    this.snackBar.open('Submitted to Meta for review', undefined, { duration: 3000 });
    if (wasNew) void this.router.navigate(['/templates', submitted.id], { replaceUrl: true });
  }

  protected remove(): void {
    const template = this.template();
    if (!template) return;
    const data: ConfirmData = {
      title: `Delete ${template.name} (${template.language})?`,
      message: template.metaTemplateId
        ? 'It is deleted at Meta too. Meta blocks the name of a deleted approved template for 30 days.'
        : 'The draft is deleted. It was never sent to Meta.',
      confirm: 'Delete',
    };
    this.dialog
      .open(ConfirmDialog, { data, width: '480px' })
      .afterClosed()
      .subscribe(async (confirmed?: boolean) => {
        if (!confirmed) return;
        const done = await this.run(async (orgId) => {
          await this.api.invoke(deleteTemplate, { orgId, id: template.id });
          return true;
        });
        if (!done) return;
        this.snackBar.open('Template deleted', undefined, { duration: 3000 });
        void this.router.navigateByUrl('/templates');
      });
  }
}
