import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatSnackBar } from '@angular/material/snack-bar';
import {
  Api,
  createOrgExport,
  downloadOrgExport,
  getOrganization,
  listOrgExports,
  type OrgExportDto,
  type OrganizationDto,
  updateOrganization,
} from '@parley/console/api-client';
import { Session } from '@parley/console/core';
import { attempt } from './attempt';
import { SettingsNav } from './settings-nav';

/** How often a running export's progress is asked for. */
const POLL_MS = 1_000;

const STATUS_LABELS: Record<OrgExportDto['status'], string> = {
  queued: 'Waiting to start',
  running: 'Running',
  ready: 'Ready',
  failed: 'Failed',
  expired: 'Expired',
};

/**
 * Governance of the org's data (GDPR): how long message bodies and files are kept (owners set it;
 * a nightly pass clears what is older, audited), and a full export of everything, made in the
 * background with its progress shown, downloaded as a ZIP of JSON files.
 */
@Component({
  selector: 'app-privacy',
  imports: [
    DatePipe,
    DecimalPipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    SettingsNav,
  ],
  template: `
    <section class="page">
      <div class="page-header"><h1>Settings</h1></div>
      <app-settings-nav />
      @if (error()) {
        <p class="error-text" role="alert">{{ error() }}</p>
      }
      <section class="card" aria-labelledby="retention-title">
        <h2 id="retention-title">Message retention</h2>
        <p class="muted">
          Message texts, attachments and Meta's raw webhooks older than this are deleted every night (in the
          organization's time zone). Conversations, statuses and counts stay, so analytics do not change.
        </p>
        @if (org(); as current) {
          <mat-radio-group
            class="stack"
            aria-label="How long messages are kept"
            [disabled]="!session.can('owner')"
            [ngModel]="keepForever() ? 'forever' : 'days'"
            (ngModelChange)="keepForever.set($event === 'forever')"
          >
            <mat-radio-button value="forever">Keep messages for ever</mat-radio-button>
            <mat-radio-button value="days">Delete message contents after a number of days</mat-radio-button>
          </mat-radio-group>
          @if (!keepForever()) {
            <mat-form-field class="days">
              <mat-label>Days to keep</mat-label>
              <input
                matInput
                type="number"
                min="1"
                max="3650"
                [disabled]="!session.can('owner')"
                [ngModel]="days()"
                (ngModelChange)="days.set($event)"
              />
              <mat-hint>1 to 3650</mat-hint>
            </mat-form-field>
          }
          <p class="muted small">
            @if (current.retentionRanAt) {
              Last cleared {{ current.retentionRanAt | date: 'medium' }}.
            } @else {
              Never cleared yet.
            }
          </p>
          @if (session.can('owner')) {
            <button mat-flat-button type="button" (click)="saveRetention()" [disabled]="saving()">Save</button>
          } @else {
            <p class="muted small">Only an owner can change this.</p>
          }
        }
      </section>
      <section class="card" aria-labelledby="export-title">
        <h2 id="export-title">Export all data</h2>
        <p class="muted">
          A ZIP with one JSON file per table: contacts, conversations, messages, templates, campaigns, automation, the
          audit log and more. Secrets are left out. It is kept for download for a few days.
        </p>
        <button mat-flat-button type="button" (click)="requestExport()" [disabled]="running() || saving()">
          Export everything
        </button>
        <table class="simple wide" aria-label="Exports">
          <thead>
            <tr>
              <th scope="col">Requested</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col"><span class="visually-hidden">Download</span></th>
            </tr>
          </thead>
          <tbody>
            @for (item of exports(); track item.id) {
              <tr>
                <td>{{ item.createdAt | date: 'medium' }}</td>
                <td>
                  {{ statusLabels[item.status] }}
                  @if (item.error) {
                    <div class="error-text small">{{ item.error }}</div>
                  }
                </td>
                <td class="progress">
                  @if (item.status === 'running' || item.status === 'queued') {
                    <mat-progress-bar
                      mode="determinate"
                      [value]="item.progress.percent"
                      [attr.aria-label]="'Export progress ' + item.progress.percent + '%'"
                    />
                  }
                  <span class="muted small">
                    {{ item.progress.tablesDone }} of {{ item.progress.tablesTotal }} tables ·
                    {{ item.progress.rowsWritten | number }} rows
                    @if (item.sizeBytes !== null) {
                      · {{ item.sizeBytes / 1048576 | number: '1.1-1' }} MB
                    }
                  </span>
                </td>
                <td>
                  @if (item.downloadUrl) {
                    <button mat-button type="button" (click)="download(item)">Download</button>
                  } @else if (item.expiresAt && item.status === 'expired') {
                    <span class="muted small">Deleted {{ item.expiresAt | date: 'mediumDate' }}</span>
                  }
                </td>
              </tr>
            } @empty {
              <tr>
                <td colspan="4" class="muted">No exports yet.</td>
              </tr>
            }
          </tbody>
        </table>
      </section>
    </section>
  `,
  styleUrl: './settings.scss',
  styles: `
    .stack {
      display: flex;
      flex-direction: column;
      gap: 4px;
      margin-bottom: 8px;
    }
    .days {
      width: 200px;
    }
    .progress {
      min-width: 240px;
    }
    .small {
      font-size: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PrivacyPage {
  private readonly api = inject(Api);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly org = signal<OrganizationDto | null>(null);
  protected readonly keepForever = signal(true);
  protected readonly days = signal(365);
  protected readonly exports = signal<OrgExportDto[]>([]);
  protected readonly running = signal(false);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  private poll: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    effect(() => {
      this.session.orgId();
      untracked(() => void this.load());
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.poll));
  }

  private load(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return Promise.resolve();
    return attempt(this.error, async () => {
      const org = await this.api.invoke(getOrganization, { orgId });
      this.org.set(org);
      this.keepForever.set(org.messageRetentionDays === null);
      this.days.set(org.messageRetentionDays ?? 365);
      await this.loadExports();
    });
  }

  /** The exports, asked again every second while one is being made. */
  private async loadExports(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    clearTimeout(this.poll);
    const page = await this.api.invoke(listOrgExports, { orgId, limit: 10 });
    this.exports.set(page.data);
    const busy = page.data.some((item) => item.status === 'queued' || item.status === 'running');
    this.running.set(busy);
    if (busy) this.poll = setTimeout(() => void attempt(this.error, () => this.loadExports()), POLL_MS);
  }

  protected async saveRetention(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    this.saving.set(true);
    await attempt(this.error, async () => {
      const org = await this.api.invoke(updateOrganization, {
        orgId,
        body: { messageRetentionDays: this.keepForever() ? null : Number(this.days()) },
      });
      this.org.set(org);
      this.snackBar.open(
        org.messageRetentionDays === null
          ? 'Messages are kept for ever'
          : `Message contents older than ${org.messageRetentionDays} days will be deleted nightly`,
        undefined,
        { duration: 4000 },
      );
    });
    this.saving.set(false);
  }

  protected async requestExport(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    await attempt(this.error, async () => {
      await this.api.invoke(createOrgExport, { orgId });
      await this.loadExports();
    });
  }

  /** Fetched with the session's token (a plain link would carry none), then saved under the API's file name. */
  protected async download(item: OrgExportDto): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    await attempt(this.error, async () => {
      const response = await this.api.invoke$Response(downloadOrgExport, { orgId, id: item.id });
      if (!response.body) return;
      const disposition = response.headers.get('content-disposition') ?? '';
      const url = URL.createObjectURL(response.body);
      const link = document.createElement('a');
      link.href = url;
      link.download = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `parley-export-${item.id}.zip`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1_000);
    });
  }
}
