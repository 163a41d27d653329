import { HttpClient, HttpEventType, HttpResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ApiConfiguration, importContacts, type ImportReportDto, RequestBuilder } from '@parley/console/api-client';
import type { Subscription } from 'rxjs';
import { problemOf } from '@parley/console/core';

/**
 * Uploads a CSV of contacts with a progress bar, then shows the report: created, updated, and each
 * row the API refused with the reason.
 */
@Component({
  selector: 'app-import-dialog',
  imports: [MatDialogModule, MatButtonModule, MatProgressBarModule],
  template: `
    <h2 mat-dialog-title>Import contacts</h2>
    <mat-dialog-content>
      <p>
        A CSV file with a header row and a <code>phone</code> column. <code>name</code>, <code>tags</code> (separated by
        <code>;</code>) and <code>opt_in</code> are recognized; every other column becomes an attribute.
      </p>
      <label class="file">
        <span>CSV file</span>
        <input
          #file
          type="file"
          accept=".csv,text/csv"
          (change)="upload(file)"
          [disabled]="progress() !== null && !report()"
        />
      </label>
      @if (progress() !== null && !report()) {
        <mat-progress-bar
          [mode]="progress()! < 100 ? 'determinate' : 'indeterminate'"
          [value]="progress()!"
          aria-label="Upload progress"
        />
        <p class="muted" role="status">{{ progress()! < 100 ? 'Uploading ' + progress() + '%' : 'Importing…' }}</p>
      }
      @if (error()) {
        <p class="error-text" role="alert">{{ error() }}</p>
      }
      @if (report(); as report) {
        <p role="status">
          <strong>{{ report.rows }}</strong> rows: <strong>{{ report.created }}</strong> created,
          <strong>{{ report.updated }}</strong> updated, {{ report.duplicates }} duplicates,
          {{ report.skipped }} skipped.
        </p>
        @if (report.errors.length) {
          <table class="errors">
            <caption>
              Rows not imported
            </caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              @for (problem of report.errors; track $index) {
                <tr>
                  <td>{{ problem.row }}</td>
                  <td>{{ problem.field }}</td>
                  <td>{{ problem.message }}</td>
                </tr>
              }
            </tbody>
          </table>
          @if (report.errorsTruncated) {
            <p class="muted">Only the first problems are listed.</p>
          }
        }
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-flat-button type="button" mat-dialog-close>{{ report() ? 'Done' : 'Close' }}</button>
    </mat-dialog-actions>
  `,
  styles: `
    .file {
      display: grid;
      gap: 4px;
      margin: 8px 0 16px;
    }
    .errors {
      width: 100%;
      border-collapse: collapse;
      font-size: 13px;
      caption {
        text-align: left;
        font-weight: 600;
        padding: 4px 0;
      }
      th,
      td {
        text-align: left;
        padding: 4px 8px;
        border-bottom: 1px solid var(--app-border);
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImportDialog {
  private readonly http = inject(HttpClient);
  private readonly config = inject(ApiConfiguration);
  private readonly data = inject<{ orgId: string }>(MAT_DIALOG_DATA);
  protected readonly progress = signal<number | null>(null);
  protected readonly report = signal<ImportReportDto | null>(null);
  protected readonly error = signal<string | null>(null);
  private subscription: Subscription | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.subscription?.unsubscribe());
  }

  protected upload(input: HTMLInputElement): void {
    const file = input.files?.[0];
    if (!file) return;
    this.report.set(null);
    this.error.set(null);
    this.progress.set(0);
    // The generated call, built with the generated request builder, asking for upload progress events.
    const builder = new RequestBuilder(this.config.rootUrl, importContacts.PATH, 'post');
    builder.path('orgId', this.data.orgId, {});
    builder.body({ file }, 'multipart/form-data');
    const request = builder.build({ responseType: 'json', accept: 'application/json' }).clone({ reportProgress: true });
    this.subscription = this.http.request<ImportReportDto>(request).subscribe({
      next: (event) => {
        if (event.type === HttpEventType.UploadProgress)
          this.progress.set(event.total ? Math.round((100 * event.loaded) / event.total) : 0);
        else if (event instanceof HttpResponse && event.body) this.report.set(event.body);
      },
      error: (error: unknown) => {
        this.progress.set(null);
        input.value = '';
        this.error.set(problemOf(error).summary);
      },
    });
  }
}
