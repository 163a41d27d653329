import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormArray, FormBuilder, FormGroup, FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import {
  type AiSettingsDto,
  type AiTestResultDto,
  Api,
  getAiSettings,
  testAiSettings,
  updateAiSettings,
} from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { Icon } from '@parley/console/ui';
import {
  type AiProvider,
  type AiSettingsFormValue,
  DEFAULT_BASE_URLS,
  formValueOf,
  type IntentRow,
  PROVIDERS,
  settingsBody,
  testOutcome,
} from './ai-settings-form';
import { SettingsNav } from './settings-nav';

type IntentGroup = FormGroup<{
  name: FormControl<string>;
  description: FormControl<string>;
  keywords: FormControl<string>;
}>;

/**
 * AI triage for the org: which provider reads customer messages (the local heuristics by default,
 * or an OpenAI-compatible or Anthropic model with its key), the intents messages are sorted into,
 * whether triage runs on its own, and the daily budget of calls; with a button that tries the
 * settings on the form before they are saved.
 */
@Component({
  selector: 'app-ai-settings',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
    Icon,
    SettingsNav,
  ],
  templateUrl: './ai.page.html',
  styleUrls: ['./settings.scss', './ai.page.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AiSettingsPage {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  private readonly snackBar = inject(MatSnackBar);
  private readonly fb = inject(FormBuilder).nonNullable;

  protected readonly providers = PROVIDERS;
  protected readonly saved = signal<AiSettingsDto | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly testResult = signal<AiTestResultDto | null>(null);
  protected readonly outcome = computed(() => {
    const result = this.testResult();
    return result ? testOutcome(result) : '';
  });
  /** Remove the saved key on the next save. */
  protected readonly removeKey = signal(false);

  protected readonly form = this.fb.group({
    provider: this.fb.control<AiProvider>('local'),
    baseUrl: [''],
    model: [''],
    apiKey: [''],
    autoTriage: [true],
    dailyBudget: [1000, [Validators.required, Validators.min(0), Validators.max(1_000_000)]],
    summaryAfter: [5, [Validators.required, Validators.min(1), Validators.max(100)]],
    timeoutSeconds: [20, [Validators.required, Validators.min(1), Validators.max(120)]],
    intents: this.fb.array<IntentGroup>([]),
  });
  protected readonly provider = toSignal(this.form.controls.provider.valueChanges, {
    initialValue: 'local' as AiProvider,
  });
  protected readonly remote = computed(() => this.provider() !== 'local');
  protected readonly baseUrlPlaceholder = computed(() => {
    const provider = this.provider();
    return provider === 'local' ? '' : DEFAULT_BASE_URLS[provider];
  });
  protected readonly providerHint = computed(
    () => this.providers.find((provider) => provider.value === this.provider())?.hint ?? '',
  );

  constructor() {
    effect(() => {
      this.session.orgId();
      untracked(() => void this.run(() => this.load()));
    });
  }

  protected get intents(): FormArray<IntentGroup> {
    return this.form.controls.intents;
  }

  private intentGroup(intent: IntentRow): IntentGroup {
    return this.fb.group({
      name: [intent.name, [Validators.required, Validators.pattern(/^[a-z][a-z0-9_]{0,39}$/)]],
      description: [intent.description],
      keywords: [intent.keywords],
    });
  }

  private async load(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    this.show(await this.api.invoke(getAiSettings, { orgId }));
  }

  private show(settings: AiSettingsDto): void {
    this.saved.set(settings);
    this.removeKey.set(false);
    const value = formValueOf(settings);
    this.intents.clear();
    for (const intent of value.intents) this.intents.push(this.intentGroup(intent));
    this.form.reset(value);
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.error.set(null);
    this.busy.set(true);
    try {
      await action();
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.busy.set(false);
    }
  }

  protected addIntent(): void {
    this.intents.push(this.intentGroup({ name: '', description: '', keywords: '' }));
  }

  protected removeIntent(index: number): void {
    this.intents.removeAt(index);
  }

  private value(): AiSettingsFormValue {
    return this.form.getRawValue();
  }

  protected save(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return Promise.resolve();
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return Promise.resolve();
    }
    return this.run(async () => {
      const body = settingsBody(this.value(), { removeKey: this.removeKey() });
      this.show(await this.api.invoke(updateAiSettings, { orgId, body }));
      this.snackBar.open('AI settings saved', undefined, { duration: 2500 });
    });
  }

  /** Tries the settings on the form (a typed key, or the saved one) without saving them. */
  protected test(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId || this.form.invalid) {
      this.form.markAllAsTouched();
      return Promise.resolve();
    }
    this.testResult.set(null);
    return this.run(async () => {
      this.testResult.set(await this.api.invoke(testAiSettings, { orgId, body: settingsBody(this.value()) }));
    });
  }
}
