import {
  computed,
  Directive,
  effect,
  inject,
  Injector,
  input,
  signal,
  untracked,
  type WritableSignal,
} from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { Api, listTemplates } from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { type ConfirmData, ConfirmDialog } from '@parley/console/ui';
import { firstValueFrom } from 'rxjs';
import { errorAt, errorsUnder, type FieldErrors, fieldErrorsOf } from './field-errors';
import type { TemplateOption } from './message-editor';

/** How one kind of record is edited. */
export interface RecordEditorConfig<T, F> {
  /** What it is called in messages: "rule", "flow". */
  noun: string;
  /** Where a saved one's page is (`/automation/rules` + its id) and where the list is. */
  path: string;
  list: string;
  empty: () => F;
  formOf: (record: T) => F;
}

/**
 * What the rule and flow editors share: the record and its form, the API's messages by field,
 * saving (a new record's page then moves to its id) and deleting once confirmed. Each page says
 * how to load, send and delete its kind of record.
 */
@Directive()
export abstract class RecordEditor<T extends { id: string; name: string }, F extends { name: string }> {
  /** The route's `:id`; absent for a new one. */
  readonly id = input<string>();

  protected readonly api = inject(Api);
  protected readonly session = inject(Session);
  protected readonly injector = inject(Injector);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);

  /** As saved; null while it is new. */
  protected readonly record = signal<T | null>(null);
  protected readonly form: WritableSignal<F>;
  protected readonly templates = signal<TemplateOption[]>([]);
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The API's messages by field (`name`, `actions[0].message.text.body`). */
  protected readonly fieldErrors = signal<FieldErrors>({});
  /** Set once a save was tried: the form then shows what is missing. */
  protected readonly tried = signal(false);

  protected readonly admin = computed(() => this.session.can('admin'));
  protected readonly title = computed(() => this.record()?.name ?? `New ${this.config.noun}`);
  protected readonly nameProblem = computed(() =>
    this.tried() && !this.form().name.trim() ? `Name the ${this.config.noun}` : null,
  );

  protected constructor(private readonly config: RecordEditorConfig<T, F>) {
    this.form = signal(config.empty());
    effect(() => {
      const id = this.id();
      const orgId = this.session.orgId();
      untracked(() => void this.load(orgId, id));
    });
  }

  /** Loads the record `id` (none: a new one) and what the page offers beside it. */
  protected abstract load(orgId: string | null, id: string | undefined): Promise<void>;

  /** Shows a record loaded from the API (null: a new one). */
  protected open(record: T | null): void {
    this.record.set(record);
    this.form.set(record ? this.config.formOf(record) : this.config.empty());
  }

  /** Approved templates, offered by name in a message (a shortcut: any name can be typed). */
  protected async loadTemplates(orgId: string): Promise<void> {
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
  protected update(change: (form: F) => F, stale?: (field: string) => boolean): void {
    this.form.update(change);
    if (stale)
      this.fieldErrors.update((errors) =>
        Object.fromEntries(Object.entries(errors).filter(([field]) => !stale(field))),
      );
  }

  /**
   * Saves the form with `write` (given the record as it was, null when new) unless it is unnamed
   * or not `ready`. A 422's messages go beside their fields.
   */
  protected async saveWith(ready: boolean, write: (orgId: string, current: T | null) => Promise<T>): Promise<void> {
    const orgId = this.session.orgId();
    this.tried.set(true);
    if (!orgId || this.busy()) return;
    if (!this.form().name.trim() || !ready) {
      this.error.set('Some fields need attention.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.fieldErrors.set({});
    try {
      const current = this.record();
      const saved = await write(orgId, current);
      this.open(saved);
      this.tried.set(false);
      this.snackBar.open(`${this.noun()} saved`, undefined, { duration: 3000 });
      if (!current) await this.router.navigate([this.config.path, saved.id], { replaceUrl: true });
    } catch (error) {
      const problem = problemOf(error);
      this.fieldErrors.set(fieldErrorsOf(problem.fields));
      this.error.set(
        problem.fields.length > 0
          ? `The ${this.config.noun} was not saved: see the messages beside the fields.`
          : problem.summary,
      );
    } finally {
      this.busy.set(false);
    }
  }

  /** Asks with `confirm`, deletes the saved record with `erase`, then goes back to the list. */
  protected async deleteWith(
    confirm: (record: T) => ConfirmData,
    erase: (orgId: string, record: T) => Promise<unknown>,
  ): Promise<void> {
    const orgId = this.session.orgId();
    const record = this.record();
    if (!orgId || !record) return;
    const data = confirm(record);
    if (!(await firstValueFrom(this.dialog.open(ConfirmDialog, { data, width: '440px' }).afterClosed()))) return;
    try {
      await erase(orgId, record);
      this.snackBar.open(`${this.noun()} deleted`, undefined, { duration: 3000 });
      await this.router.navigateByUrl(this.config.list);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }

  private noun(): string {
    return this.config.noun.charAt(0).toUpperCase() + this.config.noun.slice(1);
  }
}
