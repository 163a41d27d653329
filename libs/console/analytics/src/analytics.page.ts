import { HttpClient, HttpResponse } from '@angular/common/http';
import { DatePipe, DecimalPipe, TitleCasePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import {
  type AgentStatsDto,
  type AnalyticsOverviewDto,
  Api,
  ApiConfiguration,
  type CampaignSummaryDto,
  getAgentAnalytics$Json,
  getAnalyticsOverview,
  getCampaignAnalytics$Json,
  getTemplateAnalytics$Json,
  type PeriodDto,
  RequestBuilder,
  type TemplateStatsDto,
} from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { Icon } from '@parley/console/ui';
import { filter, firstValueFrom } from 'rxjs';
import { type Bar, BarChart } from './bar-chart';
import { CampaignFunnelChart } from './campaign-funnel-chart';
import { formatDuration, formatRate, shortDate } from './chart';
import {
  customRangeProblem,
  type PresetDays,
  PRESETS,
  type RangeChoice,
  rangeQuery,
  type RangeQuery,
} from './date-range';
import { MessagesChart } from './messages-chart';

type Table = 'agents' | 'templates' | 'campaigns';

const TABLE_PATHS: Record<Table, string> = {
  agents: getAgentAnalytics$Json.PATH,
  templates: getTemplateAnalytics$Json.PATH,
  campaigns: getCampaignAnalytics$Json.PATH,
};

/** Funnels drawn for at most this many campaigns; the table lists them all. */
const FUNNELS = 6;

/**
 * The org's numbers over a period: traffic per day, delivery and reads, failures by Meta's code,
 * contacts, conversations and response times, the AI's reading of what customers want, and tables
 * per agent, template and campaign with CSV downloads. Days are the organization's (its time zone).
 */
@Component({
  selector: 'app-analytics',
  imports: [
    DatePipe,
    DecimalPipe,
    TitleCasePipe,
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatTableModule,
    Icon,
    BarChart,
    CampaignFunnelChart,
    MessagesChart,
  ],
  templateUrl: './analytics.page.html',
  styleUrl: './analytics.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AnalyticsPage {
  private readonly api = inject(Api);
  private readonly http = inject(HttpClient);
  private readonly config = inject(ApiConfiguration);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);

  protected readonly presets = PRESETS;
  protected readonly formatRate = formatRate;
  protected readonly formatDuration = formatDuration;
  protected readonly agentColumns = [
    'member',
    'role',
    'assigned',
    'resolved',
    'sent',
    'firstResponses',
    'medianFirstResponse',
  ];
  protected readonly templateColumns = ['name', 'language', 'sent', 'delivered', 'read', 'failed', 'readRate'];
  protected readonly campaignColumns = [
    'name',
    'started',
    'targeted',
    'sent',
    'delivered',
    'read',
    'replied',
    'failed',
  ];

  protected readonly choice = signal<RangeChoice>({ kind: 'preset', days: 30 });
  /** The custom range being typed, applied with the button. */
  protected readonly customFrom = signal('');
  protected readonly customTo = signal('');
  protected readonly customProblem = signal<string | null>(null);

  protected readonly overview = signal<AnalyticsOverviewDto | null>(null);
  protected readonly agents = signal<AgentStatsDto[]>([]);
  protected readonly templates = signal<TemplateStatsDto[]>([]);
  protected readonly campaigns = signal<CampaignSummaryDto[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly downloading = signal<Table | null>(null);

  protected readonly period = computed<PeriodDto | null>(() => this.overview()?.period ?? null);
  protected readonly periodLabel = computed(() => {
    const period = this.period();
    if (!period) return '';
    const [fromYear, toYear] = [period.from.slice(0, 4), period.to.slice(0, 4)];
    const [from, to] = [shortDate(period.from), shortDate(period.to)];
    if (period.from === period.to) return `${to} ${toYear}`;
    return fromYear === toYear ? `${from} – ${to} ${toYear}` : `${from} ${fromYear} – ${to} ${toYear}`;
  });
  protected readonly failures = computed<Bar[]>(() =>
    (this.overview()?.failuresByCode ?? []).map((failure) => ({
      label: [failure.code, failure.title].filter((part) => part !== null && part !== '').join(' · ') || 'Unknown',
      value: failure.count,
    })),
  );
  protected readonly intents = computed<Bar[]>(() =>
    (this.overview()?.ai.intents ?? []).map((row) => ({ label: row.label, value: row.count })),
  );
  protected readonly sentiments = computed<Bar[]>(() =>
    (this.overview()?.ai.sentiments ?? []).map((row) => ({ label: row.label, value: row.count })),
  );
  protected readonly funnels = computed(() => this.campaigns().slice(0, FUNNELS));

  /** Today on the organization's calendar, once an answer told it (presets end there). */
  private today: string | null = null;
  private lastOrgId: string | null = null;
  private run = 0;

  constructor() {
    effect(() => {
      const orgId = this.session.orgId();
      const choice = this.choice();
      untracked(() => {
        if (orgId !== this.lastOrgId) this.today = null;
        this.lastOrgId = orgId;
        void this.load(rangeQuery(choice, this.today));
      });
    });
  }

  protected selectPreset(value: PresetDays | 'custom'): void {
    if (value !== 'custom') {
      this.choice.set({ kind: 'preset', days: value });
      return;
    }
    // Custom starts from the days on screen.
    const period = this.period();
    if (period && !this.customFrom()) {
      this.customFrom.set(period.from);
      this.customTo.set(period.to);
    }
    this.choice.update((choice) =>
      choice.kind === 'custom' ? choice : { kind: 'custom', from: this.customFrom(), to: this.customTo() },
    );
  }

  protected applyCustom(): void {
    const from = this.customFrom();
    const to = this.customTo();
    const problem = customRangeProblem(from, to);
    this.customProblem.set(problem);
    if (!problem) this.choice.set({ kind: 'custom', from, to });
  }

  protected presetValue(): PresetDays | 'custom' {
    const choice = this.choice();
    return choice.kind === 'custom' ? 'custom' : choice.days;
  }

  /** The overview and the three tables for one period; a newer load wins over one still on its way. */
  private async load(query: RangeQuery): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    const choice = this.choice();
    if (choice.kind === 'custom' && customRangeProblem(choice.from, choice.to)) return;
    const run = ++this.run;
    this.loading.set(true);
    this.error.set(null);
    try {
      const params = { orgId, ...query };
      const [overview, agents, templates, campaigns] = await Promise.all([
        this.api.invoke(getAnalyticsOverview, params),
        this.api.invoke(getAgentAnalytics$Json, params),
        this.api.invoke(getTemplateAnalytics$Json, params),
        this.api.invoke(getCampaignAnalytics$Json, params),
      ]);
      if (run !== this.run) return;
      // Asked without an end day: the answer's last day is today where the organization is.
      if (query.to === undefined) this.today = overview.period.to;
      this.overview.set(overview);
      this.agents.set(agents.data);
      this.templates.set(templates.data);
      this.campaigns.set(campaigns.data);
    } catch (error) {
      if (run === this.run) this.error.set(problemOf(error).summary);
    } finally {
      if (run === this.run) this.loading.set(false);
    }
  }

  /** A table of the period on screen as the API's CSV, fetched with the session's token, saved as a file. */
  protected async download(table: Table): Promise<void> {
    const orgId = this.session.orgId();
    const period = this.period();
    if (!orgId || !period) return;
    this.downloading.set(table);
    try {
      const builder = new RequestBuilder(this.config.rootUrl, TABLE_PATHS[table], 'get');
      builder.path('orgId', orgId, {});
      for (const [key, value] of Object.entries({
        from: period.from,
        to: period.to,
        tz: period.timezone,
        format: 'csv',
      }))
        builder.query(key, value, {});
      const response = await firstValueFrom(
        this.http
          .request(builder.build({ responseType: 'blob', accept: 'text/csv' }))
          .pipe(filter((event): event is HttpResponse<Blob> => event instanceof HttpResponse)),
      );
      if (!response.body) return;
      const url = URL.createObjectURL(response.body);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${table}-${period.from}-${period.to}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1_000);
    } catch (error) {
      this.snackBar.open(problemOf(error).summary, 'Close');
    } finally {
      this.downloading.set(null);
    }
  }
}
