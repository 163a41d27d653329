import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'app-brand',
  template: `<span class="brand"
    ><svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="#0b6e4f" />
      <path d="M9 10h14a3 3 0 0 1 3 3v6a3 3 0 0 1-3 3h-8l-5 4v-4H9a3 3 0 0 1-3-3v-6a3 3 0 0 1 3-3z" fill="#fff" /></svg
    >Parley</span
  >`,
  styles:
    '.brand { display: inline-flex; align-items: center; gap: 8px; font-weight: 600; font-size: 18px; color: #0b6e4f; }',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Brand {}
