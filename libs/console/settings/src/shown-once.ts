import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

/** A secret the API shows only on creation (an API key, a webhook's signing secret): copy it now, then done. */
@Component({
  selector: 'app-shown-once',
  imports: [MatButtonModule],
  template: `
    <div class="card secret" role="status" [attr.aria-labelledby]="testId() + '-title'">
      <h2 [id]="testId() + '-title'">Copy the {{ what() }} now: it is not shown again</h2>
      <code class="value" [attr.data-testid]="testId()">{{ value() }}</code>
      <ng-content />
      <div class="row">
        <button mat-button type="button" (click)="copy()">Copy</button>
        <button mat-button type="button" (click)="done.emit()">Done</button>
      </div>
    </div>
  `,
  styleUrl: './settings.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShownOnce {
  readonly value = input.required<string>();
  /** What it is, in words: "key", "signing secret". */
  readonly what = input.required<string>();
  readonly testId = input.required<string>();
  readonly done = output();

  protected copy(): void {
    void navigator.clipboard?.writeText(this.value()).catch(() => undefined);
  }
}
