import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Api, type ContactDto, createContact, updateContact } from '@parley/console/api-client';
import { problemOf } from '@parley/console/core';

export interface ContactFormData {
  orgId: string;
  /** null to create one. */
  contact: ContactDto | null;
}

type Attributes = Record<string, string | number | boolean | null>;

/** "key: value" lines ⇄ attributes. A line without a colon is a mistake the form names. */
export function parseAttributes(text: string): { attributes: Attributes } | { error: string } {
  const attributes: Attributes = {};
  const lines = text.split('\n').map((line) => line.trim());
  for (const [index, line] of lines.entries()) {
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `Line ${index + 1}: write it as key: value` };
    attributes[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { attributes };
}

const attributesText = (attributes: ContactDto['attributes'] | undefined) =>
  Object.entries(attributes ?? {})
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');

@Component({
  selector: 'app-contact-form',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  template: `
    <h2 mat-dialog-title>{{ data.contact ? 'Edit contact' : 'New contact' }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()">
      <mat-dialog-content class="form-grid">
        <mat-form-field>
          <mat-label>Phone (international format)</mat-label>
          <input matInput formControlName="phone" placeholder="+5511987654321" required />
          @if (fieldErrors()['phone']) {
            <mat-error>{{ fieldErrors()['phone'] }}</mat-error>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput formControlName="name" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>Tags (comma separated)</mat-label>
          <input matInput formControlName="tags" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>Opt-in</mat-label>
          <mat-select formControlName="optInStatus">
            <mat-option value="unknown">Not asked</mat-option>
            <mat-option value="opted_in">Opted in</mat-option>
            <mat-option value="opted_out">Opted out</mat-option>
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Attributes (one "key: value" per line)</mat-label>
          <textarea matInput formControlName="attributes" rows="3"></textarea>
        </mat-form-field>
        @if (error()) {
          <p class="error-text" role="alert">{{ error() }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()">Save</button>
      </mat-dialog-actions>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContactForm {
  private readonly api = inject(Api);
  private readonly dialog = inject<MatDialogRef<ContactForm, ContactDto>>(MatDialogRef);
  protected readonly data = inject<ContactFormData>(MAT_DIALOG_DATA);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly fieldErrors = signal<Record<string, string>>({});
  protected readonly form = inject(FormBuilder).nonNullable.group({
    phone: [this.data.contact?.phone ?? '', Validators.required],
    name: [this.data.contact?.name ?? ''],
    tags: [this.data.contact?.tags.join(', ') ?? ''],
    optInStatus: [this.data.contact?.optInStatus ?? ('unknown' as ContactDto['optInStatus'])],
    attributes: [attributesText(this.data.contact?.attributes)],
  });

  async save(): Promise<void> {
    const value = this.form.getRawValue();
    const parsed = parseAttributes(value.attributes);
    if ('error' in parsed) {
      this.error.set(parsed.error);
      return;
    }
    if (!value.phone.trim()) {
      this.fieldErrors.set({ phone: 'Required' });
      return;
    }
    const body = {
      phone: value.phone.trim(),
      name: value.name.trim() || undefined,
      tags: value.tags
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
      optInStatus: value.optInStatus,
      attributes: parsed.attributes,
    };
    this.busy.set(true);
    this.error.set(null);
    try {
      const { orgId, contact } = this.data;
      const saved = contact
        ? await this.api.invoke(updateContact, { orgId, id: contact.id, body: { ...body, name: body.name ?? null } })
        : await this.api.invoke(createContact, { orgId, body });
      this.dialog.close(saved);
    } catch (error) {
      const problem = problemOf(error);
      this.fieldErrors.set(Object.fromEntries(problem.fields.map((field) => [field.field, field.message])));
      this.error.set(problem.summary);
    } finally {
      this.busy.set(false);
    }
  }
}
