import { computed, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { Api, listWabaAccounts, type WabaAccountDto } from '@parley/console/api-client';
import { Session } from './session';

/** How often the verdicts are asked again while the console stays open (the worker checks tokens daily). */
const REFRESH_MS = 5 * 60_000;

/**
 * The org's WhatsApp accounts whose access token is invalid or about to expire, for the banner over
 * every page. Reloaded when the org changes, every few minutes, and by pages that change accounts.
 */
@Injectable({ providedIn: 'root' })
export class TokenHealth {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  private readonly accounts = signal<WabaAccountDto[]>([]);
  readonly unhealthy = computed(() =>
    this.accounts().filter((account) => ['invalid', 'expiring'].includes(account.tokenHealth.status)),
  );

  constructor() {
    effect(() => {
      this.session.orgId();
      untracked(() => void this.refresh());
    });
    setInterval(() => void this.refresh(), REFRESH_MS);
  }

  async refresh(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return this.accounts.set([]);
    try {
      const page = await this.api.invoke(listWabaAccounts, { orgId, limit: 50 });
      if (this.session.orgId() === orgId) this.accounts.set(page.data);
    } catch {
      // A hint, not a page: a failed look leaves the banner as it was until the next one.
    }
  }
}
