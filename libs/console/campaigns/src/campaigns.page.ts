import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { Api, type CampaignDto, type CampaignStatus, getTemplate, listCampaigns } from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { Realtime } from '@parley/console/realtime';
import { Icon } from '@parley/console/ui';
import { percent } from './funnel';
import { CAMPAIGN_STATUSES, campaignStatusLabel } from './status';

const PAGE_SIZE = 25;

/** The org's campaigns, newest first, with their progress live while they send. */
@Component({
  selector: 'app-campaigns',
  imports: [
    DatePipe,
    DecimalPipe,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    Icon,
  ],
  templateUrl: './campaigns.page.html',
  styleUrl: './campaigns.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CampaignsPage {
  private readonly api = inject(Api);
  protected readonly session = inject(Session);

  protected readonly statuses = CAMPAIGN_STATUSES;
  protected readonly statusLabel = campaignStatusLabel;
  protected readonly columns = ['name', 'status', 'template', 'progress', 'created', 'started'];
  protected readonly status = signal<CampaignStatus | ''>('');
  protected readonly rows = signal<CampaignDto[]>([]);
  protected readonly next = signal<string | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Template id → name, filled as campaigns show up. */
  protected readonly templateNames = signal<Record<string, string>>({});

  constructor() {
    effect(() => {
      this.session.orgId();
      this.status();
      untracked(() => void this.load(null));
    });
    // Running campaigns' numbers move as they send.
    inject(Realtime)
      .on('campaign.updated')
      .pipe(takeUntilDestroyed())
      .subscribe((campaign) =>
        this.rows.update((rows) => rows.map((row) => (row.id === campaign.id ? campaign : row))),
      );
  }

  protected async load(cursor: string | null): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    this.loading.set(true);
    this.error.set(null);
    try {
      const status = this.status();
      const page = await this.api.invoke(listCampaigns, {
        orgId,
        limit: PAGE_SIZE,
        ...(status && { status }),
        ...(cursor && { cursor }),
      });
      this.rows.update((rows) => (cursor ? [...rows, ...page.data] : page.data));
      this.next.set(page.nextCursor);
      void this.nameTemplates(orgId, page.data);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.loading.set(false);
    }
  }

  private async nameTemplates(orgId: string, campaigns: CampaignDto[]): Promise<void> {
    const known = this.templateNames();
    const missing = [...new Set(campaigns.map((c) => c.templateId))].filter((id) => !(id in known));
    const found = await Promise.all(
      missing.map((id) =>
        this.api.invoke(getTemplate, { orgId, id }).then(
          (template) => [id, template.name] as const,
          () => [id, '—'] as const,
        ),
      ),
    );
    if (found.length > 0) this.templateNames.update((names) => ({ ...names, ...Object.fromEntries(found) }));
  }

  protected progress(campaign: CampaignDto): number {
    return percent(campaign.stats.sent, campaign.stats.targeted);
  }
}
