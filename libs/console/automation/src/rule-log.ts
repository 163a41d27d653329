import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { Api, type AutomationRunDto, listAutomationRuns, type MemberDto } from '@parley/console/api-client';
import { CursorPager, Session } from '@parley/console/core';
import { Icon, Pager } from '@parley/console/ui';
import { outcomeLabel } from './outcome';
import { ACTION_TYPES, TRIGGER_TYPES } from './rule-form';
import { resultDetail } from './summary';

const PAGE_SIZE = 20;
/** How often the first page is looked at again while the tab is visible. */
export const LOG_REFRESH_MS = 4_000;

/**
 * A rule's log, newest first: when it fired, on what, the outcome, and what each action did. The
 * first page refreshes itself every few seconds while the tab is visible, so a test message shows
 * up without a reload.
 */
@Component({
  selector: 'app-rule-log',
  imports: [DatePipe, RouterLink, MatButtonModule, Icon, Pager],
  template: `
    <section class="card" aria-labelledby="log-title">
      <div class="row head">
        <h2 id="log-title">Log</h2>
        <span class="muted small">Refreshes every few seconds</span>
        <span class="spacer"></span>
        <button mat-stroked-button type="button" (click)="pager.reload()" [disabled]="pager.loading()">
          <app-icon name="sync" /> Refresh
        </button>
      </div>
      @if (pager.error()) {
        <p class="error-text" role="alert">{{ pager.error() }}</p>
      }
      <table class="log" aria-label="Rule log" [attr.aria-busy]="pager.loading()">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Trigger</th>
            <th scope="col">Outcome</th>
            <th scope="col">What it did</th>
          </tr>
        </thead>
        <tbody>
          @for (run of pager.rows(); track run.id) {
            <tr>
              <td class="time">{{ run.createdAt | date: 'medium' }}</td>
              <td>
                {{ triggerLabel(run.trigger) }}
                @if (run.conversationId) {
                  <a class="small" [routerLink]="['/inbox', run.conversationId]">Open conversation</a>
                }
              </td>
              <td>
                <span class="chip" [class]="'chip outcome-' + run.outcome">{{ outcomeLabel(run.outcome) }}</span>
              </td>
              <td>
                <ul class="results">
                  @for (result of run.results; track $index) {
                    <li [class.failed]="!result.ok">
                      <app-icon [name]="result.ok ? 'check' : 'error'" [size]="16" />
                      <span class="visually-hidden">{{ result.ok ? 'Done:' : 'Failed:' }}</span>
                      {{ actionLabel(result.type) }}: {{ detail(result.detail) }}
                    </li>
                  } @empty {
                    <li class="muted">Nothing ran</li>
                  }
                </ul>
              </td>
            </tr>
          } @empty {
            <tr>
              <td colspan="4" class="muted empty">
                {{ pager.loading() ? 'Loading…' : 'It has not fired yet. It shows here when it does.' }}
              </td>
            </tr>
          }
        </tbody>
      </table>
      <app-pager
        [page]="pager.page()"
        [hasPrevious]="pager.hasPrevious()"
        [hasNext]="!!pager.next()"
        [busy]="pager.loading()"
        (previous)="pager.previousPage()"
        (next)="pager.nextPage()"
      />
    </section>
  `,
  styleUrl: './rule-log.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RuleLog {
  readonly ruleId = input.required<string>();
  readonly members = input<MemberDto[]>([]);

  private readonly api = inject(Api);
  private readonly session = inject(Session);

  protected readonly outcomeLabel = outcomeLabel;
  protected readonly pager = new CursorPager<AutomationRunDto>((cursor) => {
    const orgId = this.session.orgId();
    return orgId
      ? this.api.invoke(listAutomationRuns, {
          orgId,
          ruleId: this.ruleId(),
          limit: PAGE_SIZE,
          ...(cursor && { cursor }),
        })
      : null;
  });

  constructor() {
    effect(() => {
      this.ruleId();
      this.session.orgId();
      untracked(() => void this.pager.first());
    });
    const timer = setInterval(() => {
      // Only the newest page, only while someone can see it, and not over a load in progress.
      if (document.visibilityState === 'visible' && this.pager.page() === 1 && !this.pager.loading())
        void this.pager.reload();
    }, LOG_REFRESH_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected triggerLabel(type: string): string {
    return TRIGGER_TYPES.find((t) => t.type === type)?.label ?? type;
  }

  protected actionLabel(type: string): string {
    return ACTION_TYPES.find((t) => t.type === type)?.label ?? type;
  }

  protected detail(text: string): string {
    return resultDetail(text, (id) => this.members().find((member) => member.userId === id)?.name);
  }
}
