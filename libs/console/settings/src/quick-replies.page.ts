import { ChangeDetectionStrategy, Component, effect, inject, signal, untracked } from '@angular/core';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import {
  Api,
  createQuickReply,
  deleteQuickReply,
  listQuickReplies,
  type QuickReplyDto,
  updateQuickReply,
} from '@parley/console/api-client';
import { Session } from '@parley/console/core';
import { attempt } from './attempt';
import { Icon } from '@parley/console/ui';
import { SettingsNav } from './settings-nav';

/** The team's canned answers: agents type `/shortcut` in the composer to use one. */
@Component({
  selector: 'app-quick-replies',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, Icon, SettingsNav],
  template: `
    <section class="page">
      <div class="page-header"><h1>Settings</h1></div>
      <app-settings-nav />
      <form
        #replyForm="ngForm"
        class="card form-grid"
        [formGroup]="form"
        (ngSubmit)="save(replyForm)"
        aria-labelledby="reply-title"
      >
        <h2 id="reply-title">{{ editing() ? 'Edit /' + editing()?.shortcut : 'New quick reply' }}</h2>
        <mat-form-field>
          <mat-label>Shortcut</mat-label>
          <span matTextPrefix>/</span>
          <input matInput formControlName="shortcut" maxlength="32" required />
          <mat-hint>Lowercase letters, digits, - and _</mat-hint>
          <mat-error>Lowercase letters, digits, - and _ (up to 32)</mat-error>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Text</mat-label>
          <textarea matInput formControlName="text" rows="3" maxlength="4096" required></textarea>
        </mat-form-field>
        @if (error()) {
          <p class="error-text" role="alert">{{ error() }}</p>
        }
        <div class="row">
          <button mat-flat-button type="submit">{{ editing() ? 'Save' : 'Add' }}</button>
          @if (editing()) {
            <button mat-button type="button" (click)="edit(null, replyForm)">Cancel</button>
          }
        </div>
      </form>
      <table class="simple" aria-label="Quick replies">
        <thead>
          <tr>
            <th scope="col">Shortcut</th>
            <th scope="col">Text</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          @for (reply of replies(); track reply.id) {
            <tr>
              <td>
                <code>/{{ reply.shortcut }}</code>
              </td>
              <td class="text">{{ reply.text }}</td>
              <td class="actions">
                <button
                  mat-icon-button
                  type="button"
                  (click)="edit(reply, replyForm)"
                  [attr.aria-label]="'Edit /' + reply.shortcut"
                >
                  <app-icon name="edit" />
                </button>
                <button
                  mat-icon-button
                  type="button"
                  (click)="remove(reply)"
                  [attr.aria-label]="'Delete /' + reply.shortcut"
                >
                  <app-icon name="delete" />
                </button>
              </td>
            </tr>
          } @empty {
            <tr>
              <td colspan="3" class="muted">No quick replies yet.</td>
            </tr>
          }
        </tbody>
      </table>
    </section>
  `,
  styleUrl: './settings.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class QuickRepliesPage {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  protected readonly replies = signal<QuickReplyDto[]>([]);
  protected readonly editing = signal<QuickReplyDto | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    shortcut: ['', [Validators.required, Validators.pattern(/^[a-z0-9_-]{1,32}$/)]],
    text: ['', Validators.required],
  });

  constructor() {
    effect(() => {
      this.session.orgId();
      untracked(() => void this.run(() => this.load()));
    });
  }

  private async load(): Promise<void> {
    const orgId = this.session.orgId();
    if (orgId) this.replies.set((await this.api.invoke(listQuickReplies, { orgId, limit: 100 })).data);
  }

  private run(action: () => Promise<void>): Promise<void> {
    return attempt(this.error, action);
  }

  /** Loads a reply into the form (null: a new one), as a form not yet submitted. */
  protected edit(reply: QuickReplyDto | null, form: FormGroupDirective): void {
    this.editing.set(reply);
    form.resetForm({ shortcut: reply?.shortcut ?? '', text: reply?.text ?? '' });
  }

  protected save(form: FormGroupDirective): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId || this.form.invalid) return Promise.resolve();
    const body = this.form.getRawValue();
    const editing = this.editing();
    return this.run(async () => {
      if (editing) await this.api.invoke(updateQuickReply, { orgId, id: editing.id, body });
      else await this.api.invoke(createQuickReply, { orgId, body });
      this.edit(null, form);
      await this.load();
    });
  }

  protected remove(reply: QuickReplyDto): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return Promise.resolve();
    return this.run(async () => {
      await this.api.invoke(deleteQuickReply, { orgId, id: reply.id });
      await this.load();
    });
  }
}
