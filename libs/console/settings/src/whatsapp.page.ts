import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, effect, inject, signal, untracked } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { DatePipe } from '@angular/common';
import {
  Api,
  checkWabaToken,
  connectSandbox,
  createWabaAccount,
  getPlatformInfo,
  listPhoneNumbers,
  listWabaAccounts,
  type PhoneNumberDto,
  type PlatformInfoDto,
  syncTemplates,
  testWabaConnection,
  updateWabaAccount,
  type UpdateWabaAccountDto,
  type WabaAccountDto,
} from '@parley/console/api-client';
import { problemOf, Session, TokenHealth } from '@parley/console/core';
import { Icon } from '@parley/console/ui';
import { SettingsNav } from './settings-nav';

interface AccountView {
  account: WabaAccountDto;
  numbers: PhoneNumberDto[];
  test: { ok: boolean; message: string } | null;
  busy: boolean;
}

/** How each token verdict reads on an account. */
export const TOKEN_LABELS: Record<WabaAccountDto['tokenHealth']['status'], string> = {
  unchecked: 'Not checked yet',
  valid: 'Valid',
  expiring: 'Expiring soon',
  invalid: 'Invalid',
};

/**
 * Onboarding and settings of WhatsApp Business Accounts: connect one (or the sandbox in one click),
 * copy the webhook URL and verify token into Meta's app dashboard, and test the connection, which
 * proves the token and pulls the account's phone numbers. Accounts are edited in place: rename,
 * rotate the access token or app secret (checked against Meta at once), change the API version.
 */
@Component({
  selector: 'app-whatsapp',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    Icon,
    SettingsNav,
  ],
  templateUrl: './whatsapp.page.html',
  styleUrl: './whatsapp.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WhatsAppPage {
  private readonly api = inject(Api);
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(Session);
  private readonly tokenHealth = inject(TokenHealth);

  protected readonly platform = signal<PlatformInfoDto | null>(null);
  protected readonly accounts = signal<AccountView[]>([]);
  protected readonly loading = signal(true);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly showForm = signal(false);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: [''],
    wabaId: ['', [Validators.required, Validators.pattern(/^\d{5,20}$/)]],
    appId: ['', [Validators.required, Validators.pattern(/^\d{5,20}$/)]],
    appSecret: ['', Validators.required],
    accessToken: ['', Validators.required],
    verifyToken: [''],
  });

  protected readonly tokenLabels = TOKEN_LABELS;
  /** The account being edited, if any. */
  protected readonly editing = signal<string | null>(null);
  protected readonly editForm = inject(FormBuilder).nonNullable.group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    graphApiVersion: ['', [Validators.required, Validators.pattern(/^v\d{1,2}\.\d$/)]],
    accessToken: ['', [Validators.minLength(16)]],
    appSecret: ['', [Validators.minLength(8)]],
    verifyToken: ['', [Validators.pattern(/^[\x21-\x7e]{8,128}$/)]],
  });

  constructor() {
    void this.api.invoke(getPlatformInfo).then(
      (info) => this.platform.set(info),
      () => this.platform.set(null),
    );
    effect(() => {
      this.session.orgId();
      untracked(() => void this.load());
    });
  }

  private async load(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    this.loading.set(true);
    try {
      const page = await this.api.invoke(listWabaAccounts, { orgId, limit: 50 });
      const views = await Promise.all(
        page.data.map(async (account) => ({
          account,
          numbers: (await this.api.invoke(listPhoneNumbers, { orgId, id: account.id, limit: 100 })).data,
          test: null,
          busy: false,
        })),
      );
      this.accounts.set(views);
      this.showForm.set(views.length === 0 && !this.platform()?.sandbox);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.loading.set(false);
    }
  }

  private patch(id: string, change: Partial<AccountView>): void {
    this.accounts.update((views) => views.map((view) => (view.account.id === id ? { ...view, ...change } : view)));
  }

  protected copy(text: string, what: string): void {
    this.clipboard.copy(text);
    this.snackBar.open(`${what} copied`, undefined, { duration: 2000 });
  }

  protected async connect(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, verifyToken, ...required } = this.form.getRawValue();
    await this.run(async () => {
      const account = await this.api.invoke(createWabaAccount, {
        orgId,
        body: { ...required, ...(name.trim() && { name: name.trim() }), ...(verifyToken.trim() && { verifyToken }) },
      });
      this.form.reset();
      this.showForm.set(false);
      await this.load();
      this.snackBar.open('Account connected. Paste the webhook URL and verify token into Meta, then test.', 'OK');
      await this.test(account);
    });
  }

  protected async useSandbox(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    await this.run(async () => {
      const account = await this.api.invoke(connectSandbox, { orgId, body: {} });
      await this.load();
      this.patch(account.id, {
        test: { ok: true, message: 'Connected to the sandbox, with a phone number and sample templates.' },
      });
    });
  }

  protected async test(account: WabaAccountDto): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    this.patch(account.id, { busy: true, test: null });
    try {
      const result = await this.api.invoke(testWabaConnection, { orgId, id: account.id });
      const count = result.phoneNumbers.length;
      this.patch(account.id, {
        numbers: result.phoneNumbers,
        test: {
          ok: true,
          message: `Connected to ${result.business.name || result.business.id}: ${count} phone number${count === 1 ? '' : 's'}.`,
        },
      });
    } catch (error) {
      this.patch(account.id, { test: { ok: false, message: problemOf(error).summary } });
    } finally {
      this.patch(account.id, { busy: false });
    }
  }

  protected edit(account: WabaAccountDto): void {
    this.editForm.reset({ name: account.name, graphApiVersion: account.graphApiVersion });
    this.editing.set(account.id);
  }

  /** Saves what changed; new credentials are checked against Meta right away. */
  protected async save(account: WabaAccountDto): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    if (this.editForm.invalid) {
      this.editForm.markAllAsTouched();
      return;
    }
    const { name, graphApiVersion, accessToken, appSecret, verifyToken } = this.editForm.getRawValue();
    const body: UpdateWabaAccountDto = {
      ...(name.trim() !== account.name && { name: name.trim() }),
      ...(graphApiVersion !== account.graphApiVersion && { graphApiVersion }),
      ...(accessToken && { accessToken }),
      ...(appSecret && { appSecret }),
      ...(verifyToken && { verifyToken }),
    };
    await this.run(async () => {
      let updated = await this.api.invoke(updateWabaAccount, { orgId, id: account.id, body });
      if (accessToken || appSecret) updated = await this.api.invoke(checkWabaToken, { orgId, id: account.id });
      this.patch(account.id, { account: updated });
      void this.tokenHealth.refresh();
      this.editing.set(null);
      this.editForm.reset();
      this.snackBar.open(
        accessToken || appSecret ? `Saved. Token: ${TOKEN_LABELS[updated.tokenHealth.status]}` : 'Saved',
        undefined,
        { duration: 3000 },
      );
    });
  }

  protected async checkToken(account: WabaAccountDto): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    await this.run(async () => {
      const updated = await this.api.invoke(checkWabaToken, { orgId, id: account.id });
      this.patch(account.id, { account: updated });
      void this.tokenHealth.refresh();
    });
  }

  protected async sync(account: WabaAccountDto): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    await this.run(async () => {
      const result = await this.api.invoke(syncTemplates, { orgId, body: { wabaAccountId: account.id } });
      this.snackBar.open(`Templates synced: ${result.synced} current, ${result.removed} removed`, undefined, {
        duration: 3000,
      });
    });
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await action();
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.busy.set(false);
    }
  }
}
