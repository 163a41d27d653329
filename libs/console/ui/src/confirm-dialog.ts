import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

export interface ConfirmData {
  title: string;
  message: string;
  confirm: string;
  /** For what cannot be undone: the user types this to enable the button. */
  typeToConfirm?: string;
}

/** Asks before something destructive; closes with `true` when confirmed. */
@Component({
  selector: 'app-confirm-dialog',
  imports: [FormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <p>{{ data.message }}</p>
      @if (data.typeToConfirm) {
        <mat-form-field class="full">
          <mat-label>Type {{ data.typeToConfirm }} to confirm</mat-label>
          <input matInput [ngModel]="typed()" (ngModelChange)="typed.set($event)" autocomplete="off" />
        </mat-form-field>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button
        mat-flat-button
        class="danger"
        type="button"
        [mat-dialog-close]="true"
        [disabled]="!!data.typeToConfirm && typed().trim() !== data.typeToConfirm"
      >
        {{ data.confirm }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .full {
      width: 100%;
    }
    .danger:not([disabled]) {
      background: var(--app-danger);
      color: #fff;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConfirmDialog {
  protected readonly data = inject<ConfirmData>(MAT_DIALOG_DATA);
  protected readonly typed = signal('');
}
