import { DecimalPipe, Location } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import {
  Api,
  type AudienceEstimateDto,
  type CampaignDto,
  createCampaign,
  estimateCampaignAudience,
  getCampaign,
  launchCampaign,
  listPhoneNumbers,
  listTemplates,
  listWabaAccounts,
  type PhoneNumberDto,
  type TemplateDto,
  updateCampaign,
} from '@parley/console/api-client';
import { problemOf, Session } from '@parley/console/core';
import { type ConfirmData, ConfirmDialog, Icon } from '@parley/console/ui';
import { previewTemplate, type TemplateDefinition, templateParameterKeys } from '@parley/whatsapp/cloud-api/shared';
import { firstValueFrom } from 'rxjs';
import {
  ATTRIBUTE_OPS,
  type AttributeOp,
  type AudienceForm,
  audienceOf,
  EMPTY_AUDIENCE,
  formOf,
  needsValue,
} from './audience';
import { MessagePreview } from './message-preview';
import { ParameterMapping } from './parameter-mapping';
import { type MappingRow, mappingRows, parametersOf, previewValues, rowProblem } from './parameters';
import { parsePhones, type PhoneList } from './phones-csv';
import { browserTimeZone, isoToZoned, timeZones, zonedToIso } from './schedule';
import { reasonRows } from './status';

/** How long the audience inputs rest before the count is asked again. */
const ESTIMATE_DEBOUNCE_MS = 300;

interface NumberOption {
  number: PhoneNumberDto;
  accountName: string;
}

type TagList = 'any' | 'all' | 'none';

const definitionOf = (template: TemplateDto): TemplateDefinition => ({
  parameter_format: template.parameterFormat,
  components: template.components,
});

/**
 * Builds a campaign: name and sending number, an approved template with a live preview, where
 * each parameter's value comes from, the audience with a live count, and when to send. Saves a
 * draft, or launches after a confirmation that says how many people will be messaged.
 */
@Component({
  selector: 'app-campaign-builder',
  imports: [
    DecimalPipe,
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatChipsModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    Icon,
    MessagePreview,
    ParameterMapping,
  ],
  templateUrl: './campaign-builder.page.html',
  styleUrl: './campaign-builder.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CampaignBuilderPage {
  private readonly api = inject(Api);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly location = inject(Location);
  protected readonly session = inject(Session);

  protected readonly attributeOps = ATTRIBUTE_OPS;
  protected readonly needsValue = needsValue;
  protected readonly reasonRows = reasonRows;
  protected readonly tagLists: { list: TagList; label: string; hint: string }[] = [
    { list: 'any', label: 'Any of these tags', hint: 'Contacts with at least one of them' },
    { list: 'all', label: 'All of these tags', hint: 'Contacts with every one of them' },
    { list: 'none', label: 'None of these tags', hint: 'Leaves out contacts with any of them' },
  ];

  /** The saved campaign being edited (null until the first save of a new one). */
  protected readonly campaignId = signal<string | null>(null);
  protected readonly status = signal<CampaignDto['status']>('draft');
  protected readonly loading = signal(true);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The API's messages by field (`name`, `parameters.body.2`, `audience.attributes[0].value`). */
  protected readonly fieldErrors = signal<Record<string, string>>({});
  /** Set once a save was tried: the form then shows what is missing. */
  protected readonly tried = signal(false);

  protected readonly name = signal('');
  protected readonly numbers = signal<NumberOption[]>([]);
  protected readonly phoneNumberId = signal('');
  protected readonly templates = signal<TemplateDto[]>([]);
  protected readonly templatesLoading = signal(false);
  protected readonly templateId = signal('');
  protected readonly rows = signal<MappingRow[]>([]);
  protected readonly audience = signal<AudienceForm>(EMPTY_AUDIENCE);
  protected readonly phoneList = signal<PhoneList | null>(null);
  protected readonly phonesSource = signal<string | null>(null);
  protected readonly when = signal<'now' | 'later'>('now');
  protected readonly sendAt = signal(isoToZoned(new Date(Date.now() + 3_600_000).toISOString(), browserTimeZone()));
  protected readonly timezone = signal(browserTimeZone());
  protected readonly zones = timeZones(browserTimeZone());

  protected readonly estimate = signal<AudienceEstimateDto | null>(null);
  protected readonly estimating = signal(false);
  protected readonly estimateError = signal<string | null>(null);

  protected readonly number = computed(
    () => this.numbers().find((option) => option.number.id === this.phoneNumberId())?.number ?? null,
  );
  protected readonly template = computed(() => this.templates().find((t) => t.id === this.templateId()) ?? null);
  protected readonly keys = computed(() => {
    const template = this.template();
    return template ? templateParameterKeys(definitionOf(template)) : [];
  });
  protected readonly preview = computed(() => {
    const template = this.template();
    return template ? previewTemplate(definitionOf(template), previewValues(this.rows())) : null;
  });
  protected readonly parameters = computed(() => parametersOf(this.rows()));
  protected readonly mappingComplete = computed(() => this.rows().every((row) => rowProblem(row) === null));
  protected readonly audienceDto = computed(() => audienceOf(this.audience()));
  protected readonly scheduledAt = computed(() =>
    this.when() === 'later' ? zonedToIso(this.sendAt(), this.timezone()) : null,
  );

  /** What must be done before saving, by field (the same keys as the API's errors). */
  protected readonly problems = computed(() => {
    const problems: Record<string, string> = {};
    if (!this.name().trim()) problems['name'] = 'Name the campaign';
    if (!this.phoneNumberId()) problems['phoneNumberId'] = 'Choose the number that sends';
    if (!this.templateId()) problems['templateId'] = 'Choose an approved template';
    this.rows().forEach((row) => {
      const problem = rowProblem(row);
      if (problem) problems[`parameters.${row.key}`] = problem;
    });
    const audience = this.audience();
    if (audience.mode === 'phones' && audience.phones.length === 0)
      problems['audience.phones'] = 'Paste or upload at least one phone number';
    if (audience.mode === 'filters')
      audience.attributes.forEach((condition, i) => {
        if (!condition.key.trim()) problems[`audience.attributes[${i}].key`] = 'Name the attribute';
        else if (needsValue(condition.op) && !condition.value?.trim())
          problems[`audience.attributes[${i}].value`] = 'Give a value';
      });
    if (this.when() === 'later') {
      const at = this.scheduledAt();
      if (!at) problems['scheduledAt'] = 'Choose a date and time';
      else if (new Date(at).getTime() < Date.now() + 60_000) problems['scheduledAt'] = 'Choose a time in the future';
    }
    return problems;
  });

  /** The API's message for a field, else (after a save was tried) what the form found missing. */
  protected errorFor(field: string): string | null {
    return this.fieldErrors()[field] ?? (this.tried() ? (this.problems()[field] ?? null) : null);
  }

  private estimateTimer: ReturnType<typeof setTimeout> | undefined;
  private estimateRun = 0;
  /** The saved mapping, applied when the saved template's rows are built. */
  private savedParameters: { templateId: string; parameters: Record<string, unknown> } | null = null;

  constructor() {
    const id = inject(ActivatedRoute).snapshot.paramMap.get('id');
    void this.load(id);
    // The live count: the audience (with the mapping, once complete, so missing values count as skips).
    effect(() => {
      const audience = this.audienceDto();
      const templateId = this.mappingComplete() ? this.templateId() : '';
      const parameters = this.parameters();
      const orgId = this.session.orgId();
      if (this.loading() || !orgId) return;
      untracked(() => this.scheduleEstimate(orgId, audience, templateId, parameters));
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.estimateTimer));
  }

  private async load(id: string | null): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    try {
      const [numbers, campaign] = await Promise.all([
        this.loadNumbers(orgId),
        id ? this.api.invoke(getCampaign, { orgId, id }) : Promise.resolve(null),
      ]);
      this.numbers.set(numbers);
      if (campaign) this.fill(campaign);
      else if (numbers.length === 1) this.phoneNumberId.set(numbers[0]?.number.id ?? '');
      if (this.phoneNumberId()) await this.loadTemplates(this.phoneNumberId());
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.loading.set(false);
    }
  }

  private async loadNumbers(orgId: string): Promise<NumberOption[]> {
    const accounts = (await this.api.invoke(listWabaAccounts, { orgId, limit: 100 })).data;
    const lists = await Promise.all(
      accounts.map(async (account) =>
        (await this.api.invoke(listPhoneNumbers, { orgId, id: account.id, limit: 100 })).data.map((number) => ({
          number,
          accountName: account.name || account.wabaId,
        })),
      ),
    );
    return lists.flat();
  }

  private fill(campaign: CampaignDto): void {
    this.campaignId.set(campaign.id);
    this.status.set(campaign.status);
    this.name.set(campaign.name);
    this.phoneNumberId.set(campaign.phoneNumberId);
    this.templateId.set(campaign.templateId);
    this.savedParameters = { templateId: campaign.templateId, parameters: campaign.parameters };
    const audience = formOf(campaign.audience);
    this.audience.set(audience);
    if (audience.mode === 'phones') {
      this.phoneList.set({ phones: audience.phones, duplicates: 0, invalid: 0, invalidRows: [] });
      this.phonesSource.set('saved list');
    }
    if (campaign.scheduledAt) {
      const zone = campaign.timezone ?? browserTimeZone();
      this.when.set('later');
      this.timezone.set(zone);
      this.sendAt.set(isoToZoned(campaign.scheduledAt, zone));
    }
  }

  /** The approved templates of the number's WhatsApp account. */
  private async loadTemplates(phoneNumberId: string): Promise<void> {
    const orgId = this.session.orgId();
    const number = this.numbers().find((option) => option.number.id === phoneNumberId)?.number;
    if (!orgId || !number) return;
    this.templatesLoading.set(true);
    try {
      const page = await this.api.invoke(listTemplates, {
        orgId,
        wabaAccountId: number.wabaAccountId,
        status: 'APPROVED',
        limit: 100,
      });
      this.templates.set(page.data);
      if (!page.data.some((template) => template.id === this.templateId())) this.templateId.set('');
      this.buildRows();
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.templatesLoading.set(false);
    }
  }

  private buildRows(): void {
    const saved = this.savedParameters?.templateId === this.templateId() ? this.savedParameters.parameters : {};
    this.rows.set(mappingRows(this.keys(), saved));
  }

  protected chooseNumber(id: string): void {
    this.phoneNumberId.set(id);
    this.clearError('phoneNumberId');
    void this.loadTemplates(id);
  }

  protected chooseTemplate(id: string): void {
    this.templateId.set(id);
    this.clearError('templateId');
    this.buildRows();
  }

  protected setRows(rows: MappingRow[]): void {
    this.rows.set(rows);
    // A changed row's server message no longer applies.
    this.fieldErrors.update((errors) =>
      Object.fromEntries(Object.entries(errors).filter(([field]) => !field.startsWith('parameters.'))),
    );
  }

  protected setName(name: string): void {
    this.name.set(name);
    this.clearError('name');
  }

  private clearError(field: string): void {
    if (this.fieldErrors()[field]) this.fieldErrors.update(({ [field]: _, ...rest }) => rest);
  }

  // The audience.

  protected setMode(mode: AudienceForm['mode']): void {
    this.audience.update((audience) => ({ ...audience, mode }));
  }

  /** The tags typed (comma separated) join the list; Enter adds them without submitting anything. */
  protected addTags(list: TagList, input: HTMLInputElement, event?: Event): void {
    event?.preventDefault();
    const tags = input.value
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean);
    input.value = '';
    if (tags.length === 0) return;
    this.audience.update((audience) => ({ ...audience, [list]: [...new Set([...audience[list], ...tags])] }));
  }

  protected removeTag(list: TagList, tag: string): void {
    this.audience.update((audience) => ({ ...audience, [list]: audience[list].filter((t) => t !== tag) }));
  }

  protected addCondition(): void {
    this.audience.update((audience) => ({
      ...audience,
      attributes: [...audience.attributes, { key: '', op: 'eq', value: '' }],
    }));
  }

  protected setCondition(index: number, change: { key?: string; op?: string; value?: string }): void {
    this.fieldErrors.update((errors) =>
      Object.fromEntries(
        Object.entries(errors).filter(([field]) => !field.startsWith(`audience.attributes[${index}]`)),
      ),
    );
    this.audience.update((audience) => ({
      ...audience,
      attributes: audience.attributes.map((condition, i) =>
        i === index
          ? {
              ...condition,
              ...(change.key !== undefined && { key: change.key }),
              ...(change.op !== undefined && { op: change.op as AttributeOp }),
              ...(change.value !== undefined && { value: change.value }),
            }
          : condition,
      ),
    }));
  }

  protected removeCondition(index: number): void {
    this.fieldErrors.set({});
    this.audience.update((audience) => ({
      ...audience,
      attributes: audience.attributes.filter((_, i) => i !== index),
    }));
  }

  protected pastePhones(text: string): void {
    this.usePhones(text.trim() ? parsePhones(text) : null, text.trim() ? 'pasted list' : null);
  }

  protected async uploadPhones(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    if (!file) return;
    this.usePhones(parsePhones(await file.text()), file.name);
    input.value = '';
  }

  private usePhones(list: PhoneList | null, source: string | null): void {
    this.phoneList.set(list);
    this.phonesSource.set(source);
    this.clearError('audience.phones');
    this.audience.update((audience) => ({ ...audience, phones: list?.phones ?? [] }));
  }

  private scheduleEstimate(
    orgId: string,
    audience: ReturnType<typeof audienceOf>,
    templateId: string,
    parameters: ReturnType<typeof parametersOf>,
  ): void {
    clearTimeout(this.estimateTimer);
    const run = ++this.estimateRun;
    if (audience.phones?.length === 0) {
      this.estimate.set(null);
      return;
    }
    this.estimating.set(true);
    this.estimateTimer = setTimeout(async () => {
      try {
        const estimate = await this.api.invoke(estimateCampaignAudience, {
          orgId,
          body: { audience, ...(templateId && { templateId, parameters }) },
        });
        if (run !== this.estimateRun) return;
        this.estimate.set(estimate);
        this.estimateError.set(null);
      } catch (error) {
        if (run !== this.estimateRun) return;
        this.estimate.set(null);
        this.estimateError.set(problemOf(error).summary);
      } finally {
        if (run === this.estimateRun) this.estimating.set(false);
      }
    }, ESTIMATE_DEBOUNCE_MS);
  }

  // Saving and launching.

  private body() {
    return {
      name: this.name().trim(),
      phoneNumberId: this.phoneNumberId(),
      templateId: this.templateId(),
      parameters: this.parameters(),
      audience: this.audienceDto(),
      scheduledAt: this.scheduledAt(),
      timezone: this.when() === 'later' ? this.timezone() : null,
    };
  }

  /** Creates or updates the campaign; null (with the errors shown) when the form or the API refused. */
  private async save(): Promise<CampaignDto | null> {
    const orgId = this.session.orgId();
    this.tried.set(true);
    if (!orgId || Object.keys(this.problems()).length > 0) {
      this.error.set('Some fields need attention.');
      return null;
    }
    this.error.set(null);
    this.fieldErrors.set({});
    try {
      const id = this.campaignId();
      const saved = id
        ? await this.api.invoke(updateCampaign, { orgId, id, body: this.body() })
        : await this.api.invoke(createCampaign, { orgId, body: this.body() });
      if (!id) {
        this.campaignId.set(saved.id);
        // Later saves update this draft; the address says so.
        this.location.replaceState(`/campaigns/${saved.id}/edit`);
      }
      return saved;
    } catch (error) {
      this.showProblem(error);
      return null;
    }
  }

  private showProblem(error: unknown): void {
    const problem = problemOf(error);
    this.fieldErrors.set(Object.fromEntries(problem.fields.map((field) => [field.field, field.message])));
    this.error.set(problem.summary);
  }

  protected async saveDraft(): Promise<void> {
    if (this.busy()) return;
    this.busy.set(true);
    try {
      if (await this.save()) this.snackBar.open('Draft saved', undefined, { duration: 3000 });
    } finally {
      this.busy.set(false);
    }
  }

  /** Asks with the number of people who will be messaged, saves, and launches (or schedules). */
  protected async launch(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId || this.busy()) return;
    this.tried.set(true);
    if (Object.keys(this.problems()).length > 0) {
      this.error.set('Some fields need attention.');
      return;
    }
    this.busy.set(true);
    try {
      const estimate = await this.api.invoke(estimateCampaignAudience, {
        orgId,
        body: { audience: this.audienceDto(), templateId: this.templateId(), parameters: this.parameters() },
      });
      this.estimate.set(estimate);
      if (!(await this.confirmLaunch(estimate))) return;
      const saved = await this.save();
      if (!saved) return;
      const launched = await this.api.invoke(launchCampaign, { orgId, id: saved.id, body: {} });
      this.snackBar.open(launched.status === 'scheduled' ? 'Campaign scheduled' : 'Campaign launched', undefined, {
        duration: 3000,
      });
      await this.router.navigate(['/campaigns', launched.id]);
    } catch (error) {
      this.showProblem(error);
    } finally {
      this.busy.set(false);
    }
  }

  private confirmLaunch(estimate: AudienceEstimateDto): Promise<boolean | undefined> {
    const people = `${estimate.eligible.toLocaleString()} ${estimate.eligible === 1 ? 'person' : 'people'}`;
    const at = this.scheduledAt();
    const when = at
      ? `on ${new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: this.timezone() })} (${this.timezone()})`
      : 'now';
    const skipped = estimate.skipped > 0 ? ` ${estimate.skipped.toLocaleString()} will be skipped.` : '';
    const data: ConfirmData = {
      title: at ? 'Schedule this campaign?' : 'Launch this campaign?',
      message: `${people} will be messaged with ${this.template()?.name ?? 'the template'} ${when}.${skipped} This cannot be undone once sent.`,
      confirm: at
        ? `Schedule for ${estimate.eligible.toLocaleString()}`
        : `Send to ${estimate.eligible.toLocaleString()}`,
    };
    return firstValueFrom(this.dialog.open(ConfirmDialog, { data, width: '480px' }).afterClosed());
  }
}
