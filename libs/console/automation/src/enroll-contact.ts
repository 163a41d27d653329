import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, output, signal } from '@angular/core';
import { MatAutocompleteModule, type MatAutocompleteSelectedEvent } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Api, type ContactDto, enrollInFlow, type FlowEnrollmentDto, listContacts } from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';

/** How long typing rests before contacts are searched. */
const SEARCH_DEBOUNCE_MS = 250;

export const contactLabel = (contact: ContactDto) =>
  contact.displayName ? `${contact.displayName} (${contact.phone})` : contact.phone;

/**
 * "Enroll a contact": find a contact by name or phone number, then put them through the flow,
 * starting now. Emits the enrollment.
 */
@Component({
  selector: 'app-enroll-contact',
  imports: [MatAutocompleteModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <div class="row">
      <mat-form-field class="search">
        <mat-label>Contact</mat-label>
        <input
          #search
          matInput
          name="contactSearch"
          placeholder="Name or phone number"
          autocomplete="off"
          [matAutocomplete]="contacts"
          (input)="find(search.value)"
        />
        <mat-autocomplete #contacts="matAutocomplete" (optionSelected)="choose($event)">
          @for (contact of found(); track contact.id) {
            <mat-option [value]="label(contact)" [id]="'contact-' + contact.id">{{ label(contact) }}</mat-option>
          }
        </mat-autocomplete>
      </mat-form-field>
      <button mat-flat-button type="button" (click)="enroll()" [disabled]="!chosen() || busy() || disabled()">
        Enroll
      </button>
    </div>
    @if (searched() && found().length === 0) {
      <p class="muted small">No contact matches.</p>
    }
    @if (error()) {
      <p class="error-text" role="alert">{{ error() }}</p>
    }
    @if (done()) {
      <p class="done" role="status">{{ done() }}</p>
    }
  `,
  styles: `
    .search {
      flex: 1;
      min-width: 260px;
      max-width: 480px;
    }
    .small {
      font-size: 12px;
      margin: 0;
    }
    .done {
      color: #0b5a2a;
      margin: 4px 0 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EnrollContact {
  readonly flowId = input.required<string>();
  /** Off while the flow is switched off (the API refuses). */
  readonly disabled = input(false);
  readonly enrolled = output<FlowEnrollmentDto>();

  private readonly api = inject(Api);
  private readonly session = inject(Session);

  protected readonly found = signal<ContactDto[]>([]);
  protected readonly searched = signal(false);
  protected readonly chosen = signal<ContactDto | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly done = signal<string | null>(null);
  protected readonly label = contactLabel;

  private timer: ReturnType<typeof setTimeout> | undefined;
  private run = 0;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  protected find(query: string): void {
    this.chosen.set(null);
    this.done.set(null);
    clearTimeout(this.timer);
    const orgId = this.session.orgId();
    const q = query.trim();
    if (!orgId || !q) {
      this.found.set([]);
      this.searched.set(false);
      return;
    }
    const run = ++this.run;
    this.timer = setTimeout(async () => {
      try {
        const page = await this.api.invoke(listContacts, { orgId, q, limit: 10 });
        if (run !== this.run) return;
        this.found.set(page.data.filter((contact) => !contact.erasedAt));
        this.searched.set(true);
      } catch (error) {
        if (run === this.run) this.error.set(problemOf(error).summary);
      }
    }, SEARCH_DEBOUNCE_MS);
  }

  protected choose(event: MatAutocompleteSelectedEvent): void {
    const id = event.option.id.replace(/^contact-/, '');
    this.chosen.set(this.found().find((contact) => contact.id === id) ?? null);
  }

  protected async enroll(): Promise<void> {
    const orgId = this.session.orgId();
    const contact = this.chosen();
    if (!orgId || !contact) return;
    this.busy.set(true);
    this.error.set(null);
    this.done.set(null);
    try {
      const enrollment = await this.api.invoke(enrollInFlow, {
        orgId,
        id: this.flowId(),
        body: { contactId: contact.id },
      });
      this.done.set(`${contactLabel(contact)} is in the flow.`);
      this.enrolled.emit(enrollment);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.busy.set(false);
    }
  }
}
