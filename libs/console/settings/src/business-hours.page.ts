import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Api, getOrganization, updateOrganization } from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { Icon } from '@parley/console/ui';
import {
  copyMondayToWeekdays,
  type DayHours,
  hoursFormOf,
  type HoursForm,
  hoursOf,
  hoursProblems,
  type Opening,
  timeZones,
  WEEKDAYS,
} from './business-hours';
import { SettingsNav } from './settings-nav';

/** A day may open up to this many times (the API's limit). */
const MAX_OPENINGS = 6;

/**
 * When the business answers: a time zone and each weekday's openings, or always open. Automation's
 * "outside business hours" trigger and the starter bot's closed-now notice go by it.
 */
@Component({
  selector: 'app-business-hours',
  imports: [MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule, MatRadioModule, Icon, SettingsNav],
  template: `
    <section class="page">
      <div class="page-header"><h1>Settings</h1></div>
      <app-settings-nav />
      <section class="card" aria-labelledby="hours-title">
        <h2 id="hours-title">Business hours</h2>
        <p class="muted">
          Automation rules with the “outside business hours” trigger, and the starter bot’s closed-now notice, answer
          customers who write while you are closed.
        </p>
        @if (!loaded()) {
          <p class="muted" role="status">{{ error() ?? 'Loading…' }}</p>
        } @else {
          <mat-form-field class="zone">
            <mat-label>Time zone</mat-label>
            <select #zone matNativeControl name="timezone" [value]="form().timezone" (change)="setZone(zone.value)">
              @for (option of zones(); track option) {
                <option [value]="option" [selected]="option === form().timezone">{{ option }}</option>
              }
            </select>
          </mat-form-field>
          @if (errorFor('timezone'); as message) {
            <p class="field-error error-text">{{ message }}</p>
          }
          <mat-radio-group
            class="mode"
            aria-label="When you are open"
            [value]="form().alwaysOpen ? 'always' : 'hours'"
            (change)="setAlwaysOpen($event.value === 'always')"
          >
            <mat-radio-button value="always">Always open</mat-radio-button>
            <mat-radio-button value="hours">Open at set hours</mat-radio-button>
          </mat-radio-group>
          @if (!form().alwaysOpen) {
            <table class="week" aria-label="Opening hours">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Hours</th>
                </tr>
              </thead>
              <tbody>
                @for (day of form().days; track day.day; let d = $index) {
                  <tr>
                    <th scope="row">
                      <mat-checkbox [checked]="day.open" (change)="setDay(d, { open: $event.checked })">{{
                        label(day)
                      }}</mat-checkbox>
                    </th>
                    <td>
                      @if (day.open) {
                        @for (opening of day.openings; track $index; let i = $index) {
                          <div class="row opening" role="group" [attr.aria-label]="label(day) + ', opening ' + (i + 1)">
                            <mat-form-field class="time">
                              <mat-label>Opens</mat-label>
                              <input
                                #open
                                matInput
                                type="time"
                                [value]="opening.open"
                                (change)="setOpening(d, i, { open: open.value })"
                              />
                            </mat-form-field>
                            <mat-form-field class="time">
                              <mat-label>Closes</mat-label>
                              <input
                                #close
                                matInput
                                type="time"
                                [value]="opening.close"
                                (change)="setOpening(d, i, { close: close.value })"
                              />
                            </mat-form-field>
                            <button
                              mat-icon-button
                              type="button"
                              (click)="removeOpening(d, i)"
                              [disabled]="day.openings.length === 1"
                              [attr.aria-label]="'Remove ' + label(day) + ' opening ' + (i + 1)"
                            >
                              <app-icon name="delete" />
                            </button>
                            @for (part of ['open', 'close']; track part) {
                              @if (errorFor('businessHours.' + day.day + '[' + i + '].' + part); as message) {
                                <p class="field-error error-text">{{ message }}</p>
                              }
                            }
                          </div>
                        }
                        @if (errorFor('businessHours.' + day.day); as message) {
                          <p class="field-error error-text">{{ message }}</p>
                        }
                        <button
                          mat-button
                          type="button"
                          (click)="addOpening(d)"
                          [disabled]="day.openings.length >= maxOpenings"
                          [attr.aria-label]="'Add opening on ' + label(day)"
                        >
                          <app-icon name="add" /> Add opening
                        </button>
                        @if (day.day === 'mon') {
                          <button mat-button type="button" (click)="copyMonday()">Copy to Tuesday–Friday</button>
                        }
                      } @else {
                        <span class="muted">Closed</span>
                      }
                    </td>
                  </tr>
                }
              </tbody>
            </table>
            <p class="muted small">Closing at 00:00 means open until midnight.</p>
            @if (errorFor('businessHours'); as message) {
              <p class="field-error error-text">{{ message }}</p>
            }
          }
          @if (error()) {
            <p class="error-text" role="alert">{{ error() }}</p>
          }
          <div class="row">
            <button mat-flat-button type="button" (click)="save()" [disabled]="busy()">Save business hours</button>
          </div>
        }
      </section>
    </section>
  `,
  styleUrl: './settings.scss',
  styles: `
    .zone {
      width: 320px;
      max-width: 100%;
    }
    .mode {
      display: flex;
      gap: 16px;
      margin: 4px 0 12px;
    }
    .week {
      border-collapse: collapse;
      margin-bottom: 8px;
      th,
      td {
        text-align: left;
        vertical-align: top;
        padding: 6px 8px;
        border-bottom: 1px solid var(--app-border);
      }
      thead th {
        font-weight: 500;
        color: var(--app-muted);
      }
      tbody th {
        font-weight: 400;
        width: 150px;
      }
    }
    .time {
      width: 130px;
    }
    .opening {
      align-items: flex-start;
    }
    .field-error {
      flex-basis: 100%;
      margin: 0 0 8px;
      font-size: 12px;
    }
    .small {
      font-size: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BusinessHoursPage {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly maxOpenings = MAX_OPENINGS;
  protected readonly form = signal<HoursForm>(hoursFormOf({ timezone: '', businessHours: null }));
  protected readonly loaded = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly tried = signal(false);
  /** The API's messages by field (`timezone`, `businessHours.mon[0].close`). */
  protected readonly serverErrors = signal<Record<string, string>>({});
  protected readonly problems = computed(() => hoursProblems(this.form()));
  protected readonly zones = computed(() => timeZones(this.form().timezone));

  constructor() {
    effect(() => {
      const orgId = this.session.orgId();
      untracked(() => void this.load(orgId));
    });
  }

  private async load(orgId: string | null): Promise<void> {
    if (!orgId) return;
    this.error.set(null);
    try {
      this.form.set(hoursFormOf(await this.api.invoke(getOrganization, { orgId })));
      this.loaded.set(true);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }

  protected label(day: DayHours): string {
    return WEEKDAYS.find((weekday) => weekday.day === day.day)?.label ?? day.day;
  }

  protected errorFor(field: string): string | null {
    return this.serverErrors()[field] ?? (this.tried() ? (this.problems()[field] ?? null) : null);
  }

  private change(update: (form: HoursForm) => HoursForm): void {
    this.form.update(update);
    this.serverErrors.set({});
  }

  protected setZone(timezone: string): void {
    this.change((form) => ({ ...form, timezone }));
  }

  protected setAlwaysOpen(alwaysOpen: boolean): void {
    this.change((form) => ({ ...form, alwaysOpen }));
  }

  protected setDay(index: number, change: Partial<DayHours>): void {
    this.change((form) => ({ ...form, days: form.days.map((day, i) => (i === index ? { ...day, ...change } : day)) }));
  }

  protected setOpening(dayIndex: number, index: number, change: Partial<Opening>): void {
    const day = this.form().days[dayIndex];
    if (!day) return;
    this.setDay(dayIndex, { openings: day.openings.map((o, i) => (i === index ? { ...o, ...change } : o)) });
  }

  protected addOpening(dayIndex: number): void {
    const day = this.form().days[dayIndex];
    if (!day) return;
    const last = day.openings[day.openings.length - 1];
    const opening =
      last && last.close < '22:00' ? { open: last.close, close: '23:00' } : { open: '09:00', close: '18:00' };
    this.setDay(dayIndex, { openings: [...day.openings, opening] });
  }

  protected removeOpening(dayIndex: number, index: number): void {
    const day = this.form().days[dayIndex];
    if (!day) return;
    this.setDay(dayIndex, { openings: day.openings.filter((_, i) => i !== index) });
  }

  protected copyMonday(): void {
    this.change(copyMondayToWeekdays);
  }

  protected async save(): Promise<void> {
    const orgId = this.session.orgId();
    this.tried.set(true);
    if (!orgId || this.busy()) return;
    if (Object.keys(this.problems()).length > 0) {
      this.error.set('Some hours need attention.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.serverErrors.set({});
    try {
      const org = await this.api.invoke(updateOrganization, { orgId, body: hoursOf(this.form()) });
      this.form.set(hoursFormOf(org));
      this.tried.set(false);
      this.snackBar.open('Business hours saved', undefined, { duration: 3000 });
    } catch (error) {
      const problem = problemOf(error);
      this.serverErrors.set(Object.fromEntries(problem.fields.map((field) => [field.field, field.message])));
      this.error.set(problem.summary);
    } finally {
      this.busy.set(false);
    }
  }
}
