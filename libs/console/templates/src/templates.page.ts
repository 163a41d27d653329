import { DatePipe, TitleCasePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import {
  Api,
  listTemplates,
  type ListTemplates$Params,
  listWabaAccounts,
  syncTemplates,
  type TemplateDto,
  type WabaAccountDto,
} from '@parley/console/api-client';
import { CursorPager, problemOf, Session } from '@parley/console/core';
import { Icon, Pager } from '@parley/console/ui';
import { STATUSES, statusLabel } from './status';

const PAGE_SIZE = 25;

/**
 * The org's message templates: filter by status and name, sync them from Meta per WhatsApp
 * account, open one in the editor, write a new one.
 */
@Component({
  selector: 'app-templates',
  imports: [
    DatePipe,
    TitleCasePipe,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatMenuModule,
    MatSelectModule,
    MatTableModule,
    MatTooltipModule,
    Icon,
    Pager,
  ],
  templateUrl: './templates.page.html',
  styleUrl: './templates.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TemplatesPage {
  private readonly api = inject(Api);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);

  protected readonly statuses = STATUSES;
  protected readonly statusLabel = statusLabel;
  protected readonly columns = ['name', 'language', 'category', 'status', 'quality', 'updated'];
  protected readonly name = signal('');
  protected readonly status = signal('');
  protected readonly accountId = signal('');
  protected readonly accounts = signal<WabaAccountDto[]>([]);
  protected readonly syncing = signal<string | null>(null);
  protected readonly accountNames = computed(
    () => new Map(this.accounts().map((account) => [account.id, account.name || account.wabaId])),
  );
  protected readonly pager = new CursorPager<TemplateDto>((cursor) => {
    const orgId = this.session.orgId();
    return orgId ? this.api.invoke(listTemplates, { orgId, ...this.query(), ...(cursor && { cursor }) }) : null;
  });
  protected readonly rows = this.pager.rows;
  protected readonly loading = this.pager.loading;
  protected readonly error = this.pager.error;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    effect(() => {
      this.session.orgId();
      untracked(() => void this.loadAccounts());
    });
    effect(() => {
      this.session.orgId();
      this.name();
      this.status();
      this.accountId();
      untracked(() => void this.pager.first());
    });
  }

  private async loadAccounts(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    try {
      this.accounts.set((await this.api.invoke(listWabaAccounts, { orgId, limit: 100 })).data);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }

  private query(): Omit<ListTemplates$Params, 'orgId'> {
    return {
      limit: PAGE_SIZE,
      ...(this.name().trim() && { name: this.name().trim() }),
      ...(this.status() && { status: this.status() }),
      ...(this.accountId() && { wabaAccountId: this.accountId() }),
    };
  }

  protected search(value: string): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.name.set(value), 250);
  }

  /** Fetches every template of the account from Meta and makes the list match. */
  protected async sync(account: WabaAccountDto): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    this.syncing.set(account.id);
    try {
      const result = await this.api.invoke(syncTemplates, { orgId, body: { wabaAccountId: account.id } });
      this.snackBar.open(
        `Synced ${result.synced} template${result.synced === 1 ? '' : 's'} from Meta${result.removed ? `, removed ${result.removed}` : ''}`,
        undefined,
        { duration: 4000 },
      );
      await this.pager.first();
    } catch (error) {
      this.snackBar.open(problemOf(error).summary, 'Close');
    } finally {
      this.syncing.set(null);
    }
  }
}
