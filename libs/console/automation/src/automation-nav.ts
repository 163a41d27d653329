import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';

/** The tabs of the automation pages: rules (with the starter bot) and drip flows. */
@Component({
  selector: 'app-automation-nav',
  imports: [RouterLink],
  template: `
    <nav class="tabs" aria-label="Automation">
      <a routerLink="/automation" [class.active]="current() === 'rules'" [attr.aria-current]="ariaCurrent('rules')"
        >Rules</a
      >
      <a
        routerLink="/automation/flows"
        [class.active]="current() === 'flows'"
        [attr.aria-current]="ariaCurrent('flows')"
        >Flows</a
      >
    </nav>
  `,
  styles: `
    .tabs {
      display: flex;
      gap: 4px;
      margin-bottom: 16px;
      border-bottom: 1px solid var(--app-border);
    }
    a {
      padding: 8px 14px;
      color: var(--app-muted);
      text-decoration: none;
      border-bottom: 3px solid transparent;
      &.active {
        color: var(--app-accent);
        border-color: var(--app-accent);
        font-weight: 600;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AutomationNav {
  /** The section the page belongs to (a rule's editor is under rules). */
  readonly current = input.required<'rules' | 'flows'>();
  /** `page` on the list itself, `true` (the current section) on the pages under it. */
  readonly list = input(false);

  protected ariaCurrent(section: 'rules' | 'flows'): string | null {
    if (this.current() !== section) return null;
    return this.list() ? 'page' : 'true';
  }
}
