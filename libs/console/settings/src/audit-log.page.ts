import { DatePipe, JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, signal, untracked } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Api, type AuditLogDto, listAuditLogs } from '@parley/console/api-client';
import { Session } from '@parley/console/core';
import { attempt } from './attempt';
import { SettingsNav } from './settings-nav';

const PAGE_SIZE = 50;

/** Who did what in the org, newest first, filtered by action, target and time. */
@Component({
  selector: 'app-audit-log',
  imports: [DatePipe, JsonPipe, ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, SettingsNav],
  template: `
    <section class="page">
      <div class="page-header"><h1>Settings</h1></div>
      <app-settings-nav />
      <form class="card filters" [formGroup]="filters" (ngSubmit)="search()" aria-label="Filter the audit log">
        <mat-form-field>
          <mat-label>Action</mat-label>
          <input matInput formControlName="action" placeholder="member.* or api_key.created" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>Target type</mat-label>
          <input matInput formControlName="targetType" placeholder="webhook_subscription" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>From</mat-label>
          <input matInput type="date" formControlName="from" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>To</mat-label>
          <input matInput type="date" formControlName="to" />
        </mat-form-field>
        <button mat-flat-button type="submit">Filter</button>
      </form>
      @if (error()) {
        <p class="error-text" role="alert">{{ error() }}</p>
      }
      <table class="simple wide" aria-label="Audit log">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Changes</th>
          </tr>
        </thead>
        <tbody>
          @for (entry of entries(); track entry.id) {
            <tr>
              <td>{{ entry.createdAt | date: 'medium' }}</td>
              <td>
                {{ entry.actor.label }}
                @if (entry.actor.type !== 'user') {
                  <span class="muted">({{ entry.actor.type === 'api_key' ? 'API key' : 'system' }})</span>
                }
              </td>
              <td>
                <code>{{ entry.action }}</code>
              </td>
              <td>
                {{ entry.targetType }}
                @if (entry.targetId) {
                  <div class="muted id">{{ entry.targetId }}</div>
                }
              </td>
              <td>
                @if (entry.changes) {
                  <code class="changes">{{ entry.changes | json }}</code>
                }
              </td>
            </tr>
          } @empty {
            <tr>
              <td colspan="5" class="muted">Nothing recorded{{ filtered() ? ' matches these filters' : ' yet' }}.</td>
            </tr>
          }
        </tbody>
      </table>
      @if (nextCursor()) {
        <button mat-button type="button" (click)="more()">Show older entries</button>
      }
    </section>
  `,
  styleUrl: './settings.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditLogPage {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  protected readonly entries = signal<AuditLogDto[]>([]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly filtered = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly filters = inject(FormBuilder).nonNullable.group({ action: '', targetType: '', from: '', to: '' });

  constructor() {
    effect(() => {
      this.session.orgId();
      untracked(() => void this.search());
    });
  }

  protected search(): Promise<void> {
    return this.load(undefined);
  }

  protected more(): Promise<void> {
    return this.load(this.nextCursor() ?? undefined);
  }

  /** A page of entries under the filters (the days are whole days in this browser's time zone). */
  private load(cursor: string | undefined): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return Promise.resolve();
    const { action, targetType, from, to } = this.filters.getRawValue();
    const day = (date: string, plusDays: number) => {
      const start = new Date(`${date}T00:00:00`);
      start.setDate(start.getDate() + plusDays);
      return start.toISOString();
    };
    return attempt(this.error, async () => {
      const page = await this.api.invoke(listAuditLogs, {
        orgId,
        limit: PAGE_SIZE,
        ...(cursor && { cursor }),
        ...(action.trim() && { action: action.trim() }),
        ...(targetType.trim() && { targetType: targetType.trim() }),
        ...(from && { from: day(from, 0) }),
        ...(to && { to: day(to, 1) }),
      });
      this.entries.update((entries) => (cursor ? [...entries, ...page.data] : page.data));
      this.nextCursor.set(page.nextCursor ?? null);
      this.filtered.set(Boolean(action || targetType || from || to));
    });
  }
}
