import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import {
  Api,
  type ContactDto,
  getContact,
  listMembers,
  type MemberDto,
  type ScheduledMessageDto,
  updateContact,
} from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { ConfirmDialog, type ConfirmData } from '@parley/console/ui';
import { InboxStore } from './inbox.store';
import { intentLabel, languageName, leadBand, PRIORITY_LABELS, SENTIMENT_LABELS } from './insights';
import { clockTime, dayLabel } from './time';

const OPT_IN_LABELS: Record<ContactDto['optInStatus'], string> = {
  opted_in: 'Opted in',
  opted_out: 'Opted out (no marketing)',
  unknown: 'Not asked',
};

/**
 * The right pane: who the customer is, what AI triage read in the conversation, who handles it,
 * its status, the messages scheduled for the customer, and the team's notes.
 */
@Component({
  selector: 'app-side-panel',
  imports: [
    FormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatChipsModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
  ],
  templateUrl: './side-panel.html',
  styleUrl: './side-panel.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SidePanel {
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  protected readonly session = inject(Session);
  protected readonly store = inject(InboxStore);
  protected readonly contact = signal<ContactDto | null>(null);
  protected readonly members = signal<MemberDto[]>([]);
  protected readonly note = signal('');
  protected readonly error = signal<string | null>(null);
  protected readonly optInLabels = OPT_IN_LABELS;
  /** Teammates with the console open, by name. */
  protected readonly online = computed(() =>
    this.members()
      .filter((member) => this.store.present().has(member.userId))
      .map((member) => (member.userId === this.session.me()?.id ? 'you' : member.name)),
  );
  protected readonly day = dayLabel;
  protected readonly time = clockTime;
  protected readonly sentimentLabels = SENTIMENT_LABELS;
  protected readonly priorityLabels = PRIORITY_LABELS;
  protected readonly intentLabel = intentLabel;
  protected readonly languageName = languageName;
  protected readonly leadBand = leadBand;

  constructor() {
    effect(() => {
      const contactId = this.store.current()?.contact.id;
      const orgId = this.session.orgId();
      if (!contactId || !orgId) return;
      if (this.contact()?.id === contactId) return;
      this.contact.set(null);
      this.api.invoke(getContact, { orgId, id: contactId }).then(
        (contact) => this.contact.set(contact),
        (error: unknown) => this.error.set(problemOf(error).summary),
      );
    });
    effect(() => {
      const orgId = this.session.orgId();
      if (orgId)
        this.api.invoke(listMembers, { orgId, limit: 100 }).then(
          (page) => this.members.set(page.data.filter((member) => member.role !== 'viewer')),
          () => this.members.set([]),
        );
    });
  }

  protected attributes(contact: ContactDto): [string, string][] {
    return Object.entries(contact.attributes ?? {}).map(([key, value]) => [key, String(value)]);
  }

  protected memberName(userId: string | null): string {
    return this.members().find((member) => member.userId === userId)?.name ?? 'A teammate';
  }

  protected async run(change: () => Promise<void>): Promise<void> {
    this.error.set(null);
    try {
      await change();
    } catch (error) {
      this.error.set(problemOf(error).summary);
    }
  }

  /** Whether the contact already has a tag (tags are stored lower-cased). */
  protected hasTag(tag: string): boolean {
    return this.contact()?.tags.includes(tag.trim().toLowerCase()) ?? false;
  }

  /** Applies a tag AI triage suggested (automation's "contact tagged" rules then fire). */
  protected addTag(tag: string): Promise<void> {
    return this.run(async () => {
      const contact = this.contact();
      const orgId = this.session.orgId();
      if (!contact || !orgId) return;
      this.contact.set(
        await this.api.invoke(updateContact, { orgId, id: contact.id, body: { tags: [...contact.tags, tag] } }),
      );
    });
  }

  protected assign(assigneeId: string | null): Promise<void> {
    return this.run(() => this.store.update({ assigneeId }));
  }

  protected setStatus(status: 'open' | 'pending' | 'resolved'): Promise<void> {
    return this.run(() => this.store.update({ status }));
  }

  protected templateName(scheduled: ScheduledMessageDto): string {
    const name = scheduled.template['name'];
    return typeof name === 'string' ? name : 'Template';
  }

  protected cancelScheduled(scheduled: ScheduledMessageDto): void {
    const data: ConfirmData = {
      title: 'Cancel the scheduled message?',
      message: `${this.templateName(scheduled)}, scheduled for ${this.day(scheduled.scheduledAt)} ${this.time(scheduled.scheduledAt)}, will not be sent.`,
      confirm: 'Cancel message',
    };
    this.dialog
      .open(ConfirmDialog, { data, width: '420px' })
      .afterClosed()
      .subscribe((confirmed?: boolean) => {
        if (confirmed) void this.run(() => this.store.cancelScheduled(scheduled.id));
      });
  }

  protected addNote(): Promise<void> {
    const body = this.note().trim();
    if (!body) return Promise.resolve();
    return this.run(async () => {
      await this.store.addNote(body);
      this.note.set('');
    });
  }
}
