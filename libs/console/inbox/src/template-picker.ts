import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Api, listTemplates, type TemplateDto } from '@parley/console/api-client';
import type { TemplateMessage } from '@parley/whatsapp/cloud-api/shared';
import { problemOf } from '@parley/console/core';
import { isoToLocal, localToIso, SEND_LATER_MAX_DAYS, sendLaterProblem } from './send-later';
import { formProblems, sendProblems, templateFields, templateMessage, templatePreview } from './template-form';

export interface TemplatePickerData {
  orgId: string;
  /** Fills `{{1}}` fields named like a first name, as a starting point. */
  contactName: string | null;
}

/** What the picker closes with: the `template` object of the send, and when to send it (null: now). */
export interface TemplatePick {
  template: TemplateMessage;
  /** ISO instant for "Send later". */
  scheduledAt: string | null;
}

/**
 * Choose an approved template, fill its parameters (checked as you type, with Meta's rules) and see
 * the message as the customer will, then send now or later. Closes with a `TemplatePick`.
 */
@Component({
  selector: 'app-template-picker',
  imports: [FormsModule, MatDialogModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule],
  templateUrl: './template-picker.html',
  styleUrl: './template-picker.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TemplatePicker implements OnInit {
  private readonly api = inject(Api);
  private readonly dialog = inject<MatDialogRef<TemplatePicker, TemplatePick>>(MatDialogRef);
  private readonly data = inject<TemplatePickerData>(MAT_DIALOG_DATA);

  protected readonly templates = signal<TemplateDto[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly filter = signal('');
  protected readonly selected = signal<TemplateDto | null>(null);
  protected readonly values = signal<Record<string, string>>({});
  protected readonly touched = signal(false);
  protected readonly later = signal(false);
  /** The "Send later" input's value (`datetime-local`), an hour from now to start with. */
  protected readonly sendAt = signal(isoToLocal(new Date(Date.now() + 3_600_000).toISOString()));
  protected readonly sendAtProblem = computed(() => (this.later() ? sendLaterProblem(this.sendAt()) : null));
  protected readonly minSendAt = isoToLocal(new Date().toISOString());
  protected readonly maxSendAt = isoToLocal(new Date(Date.now() + SEND_LATER_MAX_DAYS * 86_400_000).toISOString());

  protected readonly shown = computed(() => {
    const filter = this.filter().trim().toLowerCase();
    return this.templates().filter((template) => !filter || template.name.includes(filter));
  });
  protected readonly fields = computed(() => {
    const template = this.selected();
    return template ? templateFields(template) : [];
  });
  protected readonly problems = computed(() => formProblems(this.fields(), this.values()));
  protected readonly preview = computed(() => {
    const template = this.selected();
    return template ? templatePreview(template, this.values()) : '';
  });
  protected readonly valid = computed(() => this.selected() !== null && Object.keys(this.problems()).length === 0);

  async ngOnInit(): Promise<void> {
    try {
      const page = await this.api.invoke(listTemplates, { orgId: this.data.orgId, status: 'APPROVED', limit: 100 });
      this.templates.set(page.data);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.loading.set(false);
    }
  }

  protected choose(template: TemplateDto): void {
    this.selected.set(template);
    this.touched.set(false);
    const first = templateFields(template).find((field) => field.slot === 'body' && field.name === '1');
    this.values.set(first && this.data.contactName ? { [first.id]: this.data.contactName.split(' ')[0] ?? '' } : {});
  }

  protected setValue(id: string, value: string): void {
    this.values.update((values) => ({ ...values, [id]: value }));
  }

  protected send(): void {
    const template = this.selected();
    this.touched.set(true);
    if (!template || !this.valid()) return;
    const problems = sendProblems(template, this.values());
    if (problems.length > 0) {
      this.error.set(problems.join(' '));
      return;
    }
    // Checked again now: the time may have passed while the dialog was open.
    if (this.later() && sendLaterProblem(this.sendAt())) return;
    const scheduledAt = this.later() ? localToIso(this.sendAt()) : null;
    this.dialog.close({ template: templateMessage(template, this.values()), scheduledAt });
  }
}
