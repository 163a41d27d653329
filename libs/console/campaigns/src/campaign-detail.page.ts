import { HttpClient, HttpResponse } from '@angular/common/http';
import { DatePipe, DecimalPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import {
  Api,
  ApiConfiguration,
  cancelCampaign,
  type CampaignDto,
  type CampaignRecipientDto,
  type CampaignStatsDetailDto,
  deleteCampaign,
  getCampaign,
  getCampaignStats,
  getTemplate,
  listCampaignRecipients$Json,
  type ListCampaignRecipients$Json$Params,
  pauseCampaign,
  type RecipientStatus,
  RequestBuilder,
  resumeCampaign,
  type TemplateDto,
} from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { Realtime } from '@parley/console/realtime';
import { type ConfirmData, ConfirmDialog, Icon } from '@parley/console/ui';
import { firstValueFrom, filter } from 'rxjs';
import { CampaignFunnel, percent } from './funnel';
import { campaignStatusLabel, reasonRows, RECIPIENT_STATUSES, recipientStatusLabel, skipReasonLabel } from './status';

const PAGE_SIZE = 50;
/** Stats detail and recipients follow a running campaign at most this often (the funnel itself every push). */
const REFRESH_EVERY_MS = 2_000;

type Control = 'pause' | 'resume' | 'cancel';
const CONTROLS = { pause: pauseCampaign, resume: resumeCampaign, cancel: cancelCampaign };

/**
 * One campaign: its status and why, progress, the funnel with skips and failures explained, the
 * controls its status allows, and its recipients. Follows the campaign live (`campaign.updated`).
 */
@Component({
  selector: 'app-campaign-detail',
  imports: [
    DatePipe,
    DecimalPipe,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    MatTableModule,
    Icon,
    CampaignFunnel,
  ],
  templateUrl: './campaign-detail.page.html',
  styleUrl: './campaign-detail.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CampaignDetailPage {
  private readonly api = inject(Api);
  private readonly http = inject(HttpClient);
  private readonly config = inject(ApiConfiguration);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  protected readonly session = inject(Session);
  private readonly id = inject(ActivatedRoute).snapshot.paramMap.get('id') ?? '';

  protected readonly statusLabel = campaignStatusLabel;
  protected readonly recipientStatusLabel = recipientStatusLabel;
  protected readonly skipReasonLabel = skipReasonLabel;
  protected readonly recipientStatuses = RECIPIENT_STATUSES;
  protected readonly columns = ['phone', 'name', 'status', 'error', 'sent', 'delivered', 'read', 'replied'];

  protected readonly campaign = signal<CampaignDto | null>(null);
  protected readonly detail = signal<CampaignStatsDetailDto | null>(null);
  protected readonly template = signal<TemplateDto | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);

  protected readonly recipientStatus = signal<RecipientStatus | ''>('');
  protected readonly q = signal('');
  protected readonly replied = signal(false);
  protected readonly recipients = signal<CampaignRecipientDto[]>([]);
  protected readonly next = signal<string | null>(null);
  protected readonly recipientsLoading = signal(false);
  protected readonly exporting = signal(false);

  /** The funnel: the live campaign's counts (pushed every second), which the detail call also has. */
  protected readonly stats = computed(() => this.campaign()?.stats ?? this.detail());
  protected readonly done = computed(() => {
    const stats = this.stats();
    if (!stats) return 0;
    return percent(stats.sent + stats.failed + stats.skipped + stats.cancelled, stats.targeted);
  });
  protected readonly skippedByReason = computed(() => reasonRows(this.detail()?.skippedByReason));
  protected readonly failedByCode = computed(() => this.detail()?.failedByCode ?? []);

  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private lastRefresh = 0;
  private pushes = 0;
  private recipientsRun = 0;

  constructor() {
    void this.loadCampaign();
    effect(() => {
      this.recipientStatus();
      this.q();
      this.replied();
      untracked(() => void this.loadRecipients(null));
    });
    const realtime = inject(Realtime);
    realtime
      .on('campaign.updated')
      .pipe(
        filter((campaign) => campaign.id === this.id),
        takeUntilDestroyed(),
      )
      .subscribe((campaign) => {
        this.pushes++;
        this.campaign.set(campaign);
        this.refreshSoon();
      });
    // Back from a lost connection: what was missed meanwhile.
    let wasConnected = realtime.connected();
    effect(() => {
      const connected = realtime.connected();
      if (connected && !wasConnected) untracked(() => void this.reload());
      wasConnected = connected;
    });
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(this.searchTimer);
      clearTimeout(this.refreshTimer);
    });
  }

  private async loadCampaign(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    try {
      const pushes = this.pushes;
      const campaign = await this.api.invoke(getCampaign, { orgId, id: this.id });
      // A push that arrived meanwhile is newer than this answer.
      if (pushes === this.pushes) this.campaign.set(campaign);
      void this.loadDetail();
      if (!this.template())
        this.template.set(await this.api.invoke(getTemplate, { orgId, id: campaign.templateId }).catch(() => null));
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }

  /** Everything that moves, again. */
  private reload(): void {
    void this.loadCampaign();
    void this.loadRecipients(null);
  }

  private async loadDetail(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    try {
      this.detail.set(await this.api.invoke(getCampaignStats, { orgId, id: this.id }));
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }

  private query(): Omit<ListCampaignRecipients$Json$Params, 'orgId' | 'id'> {
    const status = this.recipientStatus();
    const q = this.q().trim();
    return { ...(status && { status }), ...(q && { q }), ...(this.replied() && { replied: 'true' }) };
  }

  /** A page of recipients; a newer load (filters changed, a refresh) wins over one still on its way. */
  protected async loadRecipients(cursor: string | null): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    const run = ++this.recipientsRun;
    this.recipientsLoading.set(true);
    try {
      const page = await this.api.invoke(listCampaignRecipients$Json, {
        orgId,
        id: this.id,
        limit: PAGE_SIZE,
        ...this.query(),
        ...(cursor && { cursor }),
      });
      if (run !== this.recipientsRun) return;
      this.recipients.update((rows) => (cursor ? [...rows, ...page.data] : page.data));
      this.next.set(page.nextCursor);
    } catch (error) {
      if (run === this.recipientsRun) this.error.set(problemOf(error).summary);
    } finally {
      if (run === this.recipientsRun) this.recipientsLoading.set(false);
    }
  }

  /**
   * After a push: the stats detail and the recipients again, at most every 2 s. The table is
   * refreshed only while it shows its first page (reloading would lose the pages loaded below).
   */
  private refreshSoon(): void {
    if (this.refreshTimer) return;
    const wait = Math.max(0, this.lastRefresh + REFRESH_EVERY_MS - Date.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.lastRefresh = Date.now();
      void this.loadDetail();
      if (this.recipients().length <= PAGE_SIZE) void this.loadRecipients(null);
    }, wait);
  }

  protected search(value: string): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.q.set(value), 300);
  }

  protected control(action: Control): void {
    if (action !== 'cancel') {
      void this.run(action);
      return;
    }
    const campaign = this.campaign();
    const left = campaign
      ? campaign.stats.targeted - campaign.stats.sent - campaign.stats.failed - campaign.stats.skipped
      : 0;
    const data: ConfirmData = {
      title: `Cancel ${campaign?.name ?? 'the campaign'}?`,
      message:
        left > 0
          ? `${left.toLocaleString()} recipients not sent yet will not get the message. A cancelled campaign cannot be resumed.`
          : 'A cancelled campaign cannot be resumed.',
      confirm: 'Cancel campaign',
    };
    this.dialog
      .open(ConfirmDialog, { data, width: '480px' })
      .afterClosed()
      .subscribe((confirmed?: boolean) => {
        if (confirmed) void this.run('cancel');
      });
  }

  private async run(action: Control): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    this.busy.set(true);
    try {
      this.campaign.set(await this.api.invoke(CONTROLS[action], { orgId, id: this.id }));
      this.snackBar.open(
        { pause: 'Campaign paused', resume: 'Campaign resumed', cancel: 'Campaign cancelled' }[action],
        undefined,
        { duration: 3000 },
      );
      void this.loadDetail();
      void this.loadRecipients(null);
    } catch (error) {
      this.snackBar.open(problemOf(error).summary, 'Close');
    } finally {
      this.busy.set(false);
    }
  }

  protected async remove(): Promise<void> {
    const orgId = this.session.orgId();
    const campaign = this.campaign();
    if (!orgId || !campaign) return;
    const data: ConfirmData = {
      title: `Delete ${campaign.name}?`,
      message: 'The campaign and its recipient list are deleted. Messages already sent stay in the inbox.',
      confirm: 'Delete',
    };
    const confirmed = await firstValueFrom(this.dialog.open(ConfirmDialog, { data, width: '480px' }).afterClosed());
    if (!confirmed) return;
    try {
      await this.api.invoke(deleteCampaign, { orgId, id: campaign.id });
      this.snackBar.open('Campaign deleted', undefined, { duration: 3000 });
      await this.router.navigateByUrl('/campaigns');
    } catch (error) {
      this.snackBar.open(problemOf(error).summary, 'Close');
    }
  }

  /** The recipients matching the filters as the API's CSV, fetched with the session's token, saved as a file. */
  protected async exportCsv(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    this.exporting.set(true);
    try {
      const builder = new RequestBuilder(this.config.rootUrl, listCampaignRecipients$Json.PATH, 'get');
      builder.path('orgId', orgId, {});
      builder.path('id', this.id, {});
      for (const [key, value] of Object.entries({ ...this.query(), format: 'csv' })) builder.query(key, value, {});
      const response = await firstValueFrom(
        this.http
          .request(builder.build({ responseType: 'blob', accept: 'text/csv' }))
          .pipe(filter((event): event is HttpResponse<Blob> => event instanceof HttpResponse)),
      );
      const body = response.body;
      if (!body) return;
      const url = URL.createObjectURL(body);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${(this.campaign()?.name ?? 'campaign').replace(/[^\w-]+/g, '-')}-recipients.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1_000);
    } catch (error) {
      this.snackBar.open(problemOf(error).summary, 'Close');
    } finally {
      this.exporting.set(false);
    }
  }

  protected reasonOf(recipient: CampaignRecipientDto): string {
    if (recipient.errorCode !== null || recipient.errorTitle)
      return [recipient.errorCode, recipient.errorTitle].filter((part) => part !== null && part !== '').join(' · ');
    return recipient.skipReason ? skipReasonLabel(recipient.skipReason) : '';
  }
}
