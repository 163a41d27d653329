import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { RouterLink } from '@angular/router';
import { Api, type FlowDto, listFlows, updateFlow } from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { Icon } from '@parley/console/ui';
import { AutomationNav } from './automation-nav';

/** `/automation/flows`: the drip flows, each with its switch and how many contacts are in it, done, or left. */
@Component({
  selector: 'app-flows',
  imports: [DatePipe, DecimalPipe, RouterLink, MatButtonModule, MatSlideToggleModule, Icon, AutomationNav],
  template: `
    <section class="page">
      <div class="page-header">
        <h1>Automation</h1>
        @if (admin()) {
          <a mat-flat-button routerLink="/automation/flows/new"><app-icon name="add" /> New flow</a>
        }
      </div>
      <app-automation-nav current="flows" [list]="true" />
      <p class="muted intro">
        A flow takes one contact through timed steps: messages, waits, a wait for their reply, and branches on their
        tags or attributes. A rule’s “Enroll in a flow” action starts one, or enroll a contact from the flow’s page.
      </p>
      @if (error()) {
        <p class="error-text" role="alert">{{ error() }}</p>
      }
      <table class="simple" aria-label="Flows" [attr.aria-busy]="loading()">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">On</th>
            <th scope="col" class="number">Steps</th>
            <th scope="col" class="number">In the flow</th>
            <th scope="col" class="number">Completed</th>
            <th scope="col" class="number">Left early</th>
            <th scope="col">Changed</th>
          </tr>
        </thead>
        <tbody>
          @for (flow of flows(); track flow.id) {
            <tr>
              <td>
                <a class="name" [routerLink]="['/automation/flows', flow.id]">{{ flow.name }}</a>
              </td>
              <td>
                <mat-slide-toggle
                  [checked]="flow.enabled"
                  [disabled]="!admin()"
                  (change)="setEnabled(flow, $event.checked)"
                  [aria-label]="'Enable ' + flow.name"
                />
              </td>
              <td class="number">{{ flow.steps.length }}</td>
              <td class="number">{{ flow.enrollments.active | number }}</td>
              <td class="number">{{ flow.enrollments.completed | number }}</td>
              <td class="number">{{ flow.enrollments.exited | number }}</td>
              <td>{{ flow.updatedAt | date: 'short' }}</td>
            </tr>
          } @empty {
            <tr>
              <td colspan="7" class="muted empty">{{ loading() ? 'Loading…' : 'No flows yet.' }}</td>
            </tr>
          }
        </tbody>
      </table>
    </section>
  `,
  styles: `
    .intro {
      max-width: 760px;
      margin: 0 0 16px;
    }
    .simple {
      width: 100%;
      max-width: 960px;
      border-collapse: collapse;
      th,
      td {
        text-align: left;
        padding: 8px;
        border-bottom: 1px solid var(--app-border);
      }
      th {
        font-weight: 500;
        color: var(--app-muted);
      }
      .number {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
    }
    a.name {
      color: inherit;
      font-weight: 500;
    }
    .empty {
      padding: 24px;
      text-align: center;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FlowsPage {
  private readonly api = inject(Api);
  private readonly session = inject(Session);

  protected readonly flows = signal<FlowDto[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly admin = computed(() => this.session.can('admin'));

  constructor() {
    effect(() => {
      const orgId = this.session.orgId();
      untracked(() => void this.load(orgId));
    });
  }

  private async load(orgId: string | null): Promise<void> {
    if (!orgId) return;
    this.loading.set(true);
    this.error.set(null);
    try {
      this.flows.set(await this.api.invoke(listFlows, { orgId }));
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.loading.set(false);
    }
  }

  protected async setEnabled(flow: FlowDto, enabled: boolean): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    const replace = (next: FlowDto) => this.flows.update((flows) => flows.map((f) => (f.id === next.id ? next : f)));
    replace({ ...flow, enabled });
    this.error.set(null);
    try {
      replace(await this.api.invoke(updateFlow, { orgId, id: flow.id, body: { enabled } }));
    } catch (error) {
      replace(flow);
      this.error.set(problemOf(error).summary);
    }
  }
}
