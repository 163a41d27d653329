import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import {
  Api,
  type ContactDto,
  eraseContact,
  exportContact,
  listContacts,
  type ListContacts$Params,
} from '@parley/console/api-client';
import { CursorPager, problemOf, Session } from '@parley/console/core';
import { type ConfirmData, ConfirmDialog, Icon, Pager } from '@parley/console/ui';
import { ContactForm, type ContactFormData } from './contact-form';
import { ImportDialog } from './import-dialog';
import { contactsCsv, download } from './csv';

const PAGE_SIZE = 25;

/** The org's contacts: search, filter by tag and opt-in, page through, create, edit, import, export, erase. */
@Component({
  selector: 'app-contacts',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    MatTooltipModule,
    Icon,
    Pager,
  ],
  templateUrl: './contacts.page.html',
  styleUrl: './contacts.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContactsPage {
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);

  protected readonly columns = ['name', 'phone', 'tags', 'optIn', 'lastInbound', 'actions'];
  protected readonly q = signal('');
  protected readonly tags = signal('');
  protected readonly optIn = signal<'' | ContactDto['optInStatus']>('');
  protected readonly pager = new CursorPager<ContactDto>((cursor) => {
    const orgId = this.session.orgId();
    return orgId ? this.api.invoke(listContacts, { orgId, ...this.query(), ...(cursor && { cursor }) }) : null;
  });
  protected readonly rows = this.pager.rows;
  protected readonly loading = this.pager.loading;
  protected readonly error = this.pager.error;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    effect(() => {
      this.session.orgId();
      this.q();
      this.tags();
      this.optIn();
      untracked(() => void this.pager.first());
    });
  }

  private query(): Omit<ListContacts$Params, 'orgId'> {
    const tags = this.tags()
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean);
    return {
      limit: PAGE_SIZE,
      ...(this.q().trim() && { q: this.q().trim() }),
      ...(tags.length && { tag: tags }),
      ...(this.optIn() && { optInStatus: this.optIn() as ContactDto['optInStatus'] }),
    };
  }

  protected search(value: string): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.q.set(value), 250);
  }

  protected edit(contact: ContactDto | null): void {
    const orgId = this.session.orgId();
    if (!orgId) return;
    this.dialog
      .open<ContactForm, ContactFormData, ContactDto>(ContactForm, { data: { orgId, contact }, width: '520px' })
      .afterClosed()
      .subscribe((saved) => {
        if (!saved) return;
        this.snackBar.open(contact ? 'Contact saved' : 'Contact created', undefined, { duration: 3000 });
        void this.pager.reload();
      });
  }

  protected import(): void {
    const orgId = this.session.orgId();
    if (!orgId) return;
    this.dialog
      .open(ImportDialog, { data: { orgId }, width: '640px' })
      .afterClosed()
      .subscribe(() => void this.pager.first());
  }

  /** All contacts matching the filters as a CSV file, fetched page by page. */
  protected async exportCsv(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    const contacts: ContactDto[] = [];
    let cursor: string | null = null;
    try {
      do {
        const page: { data: ContactDto[]; nextCursor: string | null } = await this.api.invoke(listContacts, {
          orgId,
          ...this.query(),
          limit: 100,
          ...(cursor && { cursor }),
        });
        contacts.push(...page.data);
        cursor = page.nextCursor;
      } while (cursor);
      download(contactsCsv(contacts), 'contacts.csv', 'text/csv');
    } catch (error) {
      this.snackBar.open(problemOf(error).summary, 'Close');
    }
  }

  /** Everything Parley holds about one person (GDPR access request), as JSON. */
  protected async exportOne(contact: ContactDto): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    try {
      const data = await this.api.invoke(exportContact, { orgId, id: contact.id });
      download(JSON.stringify(data, null, 2), `contact-${contact.phone.replace(/\D/g, '')}.json`, 'application/json');
    } catch (error) {
      this.snackBar.open(problemOf(error).summary, 'Close');
    }
  }

  protected erase(contact: ContactDto): void {
    const orgId = this.session.orgId();
    if (!orgId) return;
    const data: ConfirmData = {
      title: `Erase ${contact.displayName || contact.phone}?`,
      message:
        'This permanently removes their name, phone number, attributes, messages and files (GDPR erasure). It cannot be undone.',
      confirm: 'Erase',
      typeToConfirm: contact.phone,
    };
    this.dialog
      .open(ConfirmDialog, { data, width: '480px' })
      .afterClosed()
      .subscribe(async (confirmed?: boolean) => {
        if (!confirmed) return;
        try {
          await this.api.invoke(eraseContact, { orgId, id: contact.id });
          this.snackBar.open('Contact erased', undefined, { duration: 3000 });
          await this.pager.reload();
        } catch (error) {
          this.snackBar.open(problemOf(error).summary, 'Close');
        }
      });
  }
}
