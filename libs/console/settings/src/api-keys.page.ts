import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, signal, untracked } from '@angular/core';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Api, type ApiKeyDto, createApiKey, listApiKeys, revokeApiKey } from '@parley/console/api-client';
import { Session } from '@parley/console/core';
import { attempt } from './attempt';
import { SettingsNav } from './settings-nav';
import { ShownOnce } from './shown-once';

type Scope = ApiKeyDto['scopes'][number];

const SCOPES: { scope: Scope; label: string }[] = [
  { scope: 'read', label: 'Read (as a viewer)' },
  { scope: 'write', label: 'Write (as an agent: send messages, edit contacts)' },
  { scope: 'admin', label: 'Admin (settings, campaigns, webhooks)' },
];

/** Keys partners call the API with: created here (the key shown once), revoked here. */
@Component({
  selector: 'app-api-keys',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    SettingsNav,
    ShownOnce,
  ],
  template: `
    <section class="page">
      <div class="page-header"><h1>Settings</h1></div>
      <app-settings-nav />
      <form
        #keyForm="ngForm"
        class="card form-grid"
        [formGroup]="form"
        (ngSubmit)="create(keyForm)"
        aria-labelledby="key-title"
      >
        <h2 id="key-title">New API key</h2>
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" maxlength="100" required />
          <mat-hint>Who uses it, such as "CRM sync"</mat-hint>
        </mat-form-field>
        <fieldset class="choices">
          <legend>Scopes</legend>
          @for (option of scopes; track option.scope) {
            <mat-checkbox [checked]="chosen().includes(option.scope)" (change)="toggle(option.scope, $event.checked)">
              {{ option.label }}
            </mat-checkbox>
          }
        </fieldset>
        @if (error()) {
          <p class="error-text" role="alert">{{ error() }}</p>
        }
        <div class="row">
          <button mat-flat-button type="submit" [disabled]="form.invalid || chosen().length === 0">Create key</button>
        </div>
      </form>
      @if (created(); as key) {
        <app-shown-once [value]="key" what="key" testId="new-api-key" (done)="created.set(null)" />
      }
      <table class="simple" aria-label="API keys">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Scopes</th>
            <th scope="col">Last used</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          @for (key of keys(); track key.id) {
            <tr [class.muted]="key.revokedAt">
              <td>{{ key.name }}</td>
              <td>
                <code>{{ key.maskedKey }}</code>
              </td>
              <td>{{ key.scopes.join(', ') }}</td>
              <td>{{ key.lastUsedAt ? (key.lastUsedAt | date: 'medium') : 'Never' }}</td>
              <td class="actions">
                @if (key.revokedAt) {
                  Revoked {{ key.revokedAt | date: 'mediumDate' }}
                } @else {
                  <button mat-button type="button" (click)="revoke(key)" [attr.aria-label]="'Revoke ' + key.name">
                    Revoke
                  </button>
                }
              </td>
            </tr>
          } @empty {
            <tr>
              <td colspan="5" class="muted">No API keys yet.</td>
            </tr>
          }
        </tbody>
      </table>
    </section>
  `,
  styleUrl: './settings.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiKeysPage {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  protected readonly scopes = SCOPES;
  protected readonly keys = signal<ApiKeyDto[]>([]);
  protected readonly chosen = signal<Scope[]>(['read', 'write']);
  protected readonly created = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({ name: ['', Validators.required] });

  constructor() {
    effect(() => {
      this.session.orgId();
      untracked(() => void this.run(() => this.load()));
    });
  }

  protected toggle(scope: Scope, on: boolean): void {
    this.chosen.update((scopes) => (on ? [...scopes, scope] : scopes.filter((s) => s !== scope)));
  }

  protected create(form: FormGroupDirective): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId || this.form.invalid) return Promise.resolve();
    return this.run(async () => {
      const key = await this.api.invoke(createApiKey, {
        orgId,
        body: { name: this.form.getRawValue().name, scopes: this.chosen() },
      });
      this.created.set(key.key);
      form.resetForm();
      await this.load();
    });
  }

  protected revoke(key: ApiKeyDto): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return Promise.resolve();
    return this.run(async () => {
      await this.api.invoke(revokeApiKey, { orgId, id: key.id });
      await this.load();
    });
  }

  private async load(): Promise<void> {
    const orgId = this.session.orgId();
    if (orgId) this.keys.set((await this.api.invoke(listApiKeys, { orgId, limit: 100 })).data);
  }

  private run(action: () => Promise<void>): Promise<void> {
    return attempt(this.error, action);
  }
}
