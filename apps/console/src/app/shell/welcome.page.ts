import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { Api, createOrganization } from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';

/** Creates an organization: the first step after signing up, and "New organization…" later. */
@Component({
  selector: 'app-welcome',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatButtonModule],
  template: `
    <section class="page" aria-labelledby="welcome-title">
      <div class="page-header"><h1 id="welcome-title">Create an organization</h1></div>
      <p class="muted">An organization is your team's workspace: its WhatsApp numbers, inbox, contacts and members.</p>
      <form [formGroup]="form" (ngSubmit)="submit()" class="row">
        <mat-form-field class="name">
          <mat-label>Organization name</mat-label>
          <input matInput formControlName="name" required maxlength="120" />
        </mat-form-field>
        <button mat-flat-button type="submit" [disabled]="busy()">Create</button>
      </form>
      @if (error()) {
        <p class="error-text" role="alert">{{ error() }}</p>
      }
    </section>
  `,
  styles: '.name { width: min(420px, 100%); }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WelcomePage {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({ name: ['', Validators.required] });

  async submit(): Promise<void> {
    if (this.form.invalid) {
      this.error.set('Give the organization a name.');
      return;
    }
    this.busy.set(true);
    try {
      const org = await this.api.invoke(createOrganization, { body: { name: this.form.getRawValue().name } });
      await this.session.loadMe();
      this.session.selectOrg(org.id);
      // A new org's first step: connect WhatsApp.
      await this.router.navigateByUrl('/settings/whatsapp');
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.busy.set(false);
    }
  }
}
