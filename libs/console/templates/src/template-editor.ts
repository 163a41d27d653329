import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  input,
  linkedSignal,
  output,
  untracked,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatSelectModule } from '@angular/material/select';
import { MatTooltipModule } from '@angular/material/tooltip';
import type { CreateTemplateDto, TemplateDto, WabaAccountDto } from '@parley/console/api-client';
import { Icon } from '@parley/console/ui';
import { previewTemplate } from '@parley/whatsapp/cloud-api/shared';
import { PhonePreview } from './phone-preview';
import {
  addButton,
  BUTTON_TYPES,
  type ButtonDraft,
  type ButtonType,
  canAddButton,
  definitionOf,
  editorProblems,
  type EditorState,
  emptyState,
  exampleFields,
  HEADER_FORMATS,
  problemsBySection,
  removeButton,
  stateOf,
} from './template-draft';

/** How far a template can be changed, by its status. */
export type EditMode = 'draft' | 'at-meta' | 'locked';

/** The statuses in which Meta lets a submitted template be edited. */
const EDITABLE_AT_META = ['APPROVED', 'REJECTED', 'PAUSED'];

export const BUTTON_LABELS: Record<ButtonType, string> = {
  QUICK_REPLY: 'Quick reply',
  URL: 'Visit website',
  PHONE_NUMBER: 'Call phone number',
  COPY_CODE: 'Copy offer code',
};

export const HEADER_LABELS: Record<(typeof HEADER_FORMATS)[number], string> = {
  NONE: 'None',
  TEXT: 'Text',
  IMAGE: 'Image',
  VIDEO: 'Video',
  DOCUMENT: 'Document',
  LOCATION: 'Location',
};

/** Common WhatsApp template languages; any other code of Meta's can be typed. */
export const LANGUAGES = ['en', 'en_US', 'en_GB', 'es', 'es_MX', 'pt_BR', 'pt_PT', 'fr', 'de', 'it', 'nl', 'id', 'hi'];

/**
 * The template form with a live phone preview. Meta's rules are checked as the admin types
 * (`templateDefinitionProblems`) and shown under the part at fault, with the API's own field
 * errors (`serverProblems`) beside them. It emits what to save; the page talks to the API.
 */
@Component({
  selector: 'app-template-editor',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatMenuModule,
    MatSelectModule,
    MatTooltipModule,
    Icon,
    PhonePreview,
  ],
  templateUrl: './template-editor.html',
  styleUrl: './template-editor.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TemplateEditor {
  /** The stored template, or null for a new one. */
  readonly template = input<TemplateDto | null>(null);
  readonly accounts = input<WabaAccountDto[]>([]);
  /** Field errors the API answered with (`name`, `components[1].text`...). */
  readonly serverProblems = input<{ field: string; message: string }[]>([]);
  readonly busy = input(false);

  /** Save a draft (or, for a template at Meta, send the edit to Meta). */
  readonly save = output<CreateTemplateDto>();
  /** Save the draft and submit it to Meta for review. */
  readonly submitToMeta = output<CreateTemplateDto>();
  readonly remove = output<void>();

  protected readonly headerFormats = HEADER_FORMATS;
  protected readonly headerLabels = HEADER_LABELS;
  protected readonly buttonTypes = BUTTON_TYPES;
  protected readonly buttonLabels = BUTTON_LABELS;
  protected readonly languages = LANGUAGES;
  /** Problems shown under the first part of the form: its fields, and the template as a whole. */
  protected readonly generalSections = [
    'name',
    'language',
    'category',
    'parameterFormat',
    'wabaAccountId',
    'components',
  ];
  /** Texts that show `{{…}}` literally (a template would read them as interpolations). */
  protected readonly text = {
    positionalOption: 'Numbered: {{1}}, {{2}}…',
    namedOption: 'Named: {{first_name}}…',
    positionalHint: 'Parameters: {{1}}, {{2}}… · *bold* _italic_',
    namedHint: 'Parameters: {{first_name}}… · *bold* _italic_',
    urlLabel: 'URL (may end with {{1}})',
    urlPlaceholder: 'https://shop.example/track/{{1}}',
    urlSample: 'Sample for {{1}}',
  };

  protected readonly state = linkedSignal<TemplateDto | null, EditorState>({
    source: this.template,
    computation: (template) => (template ? stateOf(template) : emptyState(this.accounts()[0]?.id ?? '')),
  });
  /** Problems show once the admin has changed something or tried to save, not on an empty form. */
  protected readonly touched = linkedSignal({ source: this.template, computation: () => false });

  protected readonly mode = computed<EditMode>(() => {
    const status = this.template()?.status ?? 'DRAFT';
    if (status === 'DRAFT') return 'draft';
    return EDITABLE_AT_META.includes(status) ? 'at-meta' : 'locked';
  });
  protected readonly definition = computed(() => definitionOf(this.state()));
  protected readonly preview = computed(() => previewTemplate(this.definition().draft, {}));
  protected readonly exampleFields = computed(() => exampleFields(this.state()));
  protected readonly problems = computed(() => editorProblems(this.state()));
  private readonly serverBySection = computed(() => problemsBySection(this.serverProblems(), this.definition().layout));
  /** Messages by section: Meta's rules (once touched) and the API's answer, without repeats. */
  protected readonly shown = computed(() => {
    const sections: Record<string, string[]> = {};
    const add = (from: Record<string, string[]>) => {
      for (const [section, messages] of Object.entries(from))
        sections[section] = [...new Set([...(sections[section] ?? []), ...messages])];
    };
    if (this.touched()) add(this.problems());
    add(this.serverBySection());
    return sections;
  });
  protected readonly problemCount = computed(() => Object.values(this.problems()).flat().length);

  constructor() {
    // A new template goes to the first account once the accounts have loaded.
    effect(() => {
      const first = this.accounts()[0]?.id;
      if (first && !untracked(this.state).wabaAccountId) this.state.update((s) => ({ ...s, wabaAccountId: first }));
    });
  }

  protected readonly locked = (field: 'identity' | 'category' | 'content') => {
    const mode = this.mode();
    if (mode === 'locked') return true;
    if (mode === 'draft') return false;
    if (field === 'identity') return true;
    if (field === 'category') return this.template()?.status === 'APPROVED';
    return false;
  };

  protected messages(section: string): string[] {
    return this.shown()[section] ?? [];
  }

  protected patch(changes: Partial<EditorState>): void {
    this.state.update((s) => ({ ...s, ...changes }));
    this.touched.set(true);
  }

  protected patchButton(index: number, changes: Partial<ButtonDraft>): void {
    this.patch({ buttons: this.state().buttons.map((b, i) => (i === index ? { ...b, ...changes } : b)) });
  }

  /** The sample for a parameter key, or '' (the form's inputs show every key, filled or not). */
  protected example(key: string): string {
    return this.state().examples[key] ?? '';
  }

  protected setExample(key: string, value: string): void {
    this.patch({ examples: { ...this.state().examples, [key]: value } });
  }

  protected canAdd(type: ButtonType): boolean {
    return canAddButton(this.state(), type);
  }

  protected addButton(type: ButtonType): void {
    this.state.update((s) => addButton(s, type));
    this.touched.set(true);
  }

  protected removeButton(index: number): void {
    this.state.update((s) => removeButton(s, index));
    this.touched.set(true);
  }

  private body(): CreateTemplateDto | null {
    this.touched.set(true);
    if (this.problemCount() > 0) return null;
    const { draft } = this.definition();
    const state = this.state();
    return {
      wabaAccountId: state.wabaAccountId,
      name: draft.name,
      language: draft.language,
      category: state.category as CreateTemplateDto['category'],
      parameterFormat: state.parameterFormat,
      components: draft.components,
    };
  }

  protected onSave(): void {
    const body = this.body();
    if (body) this.save.emit(body);
  }

  protected onSubmit(): void {
    const body = this.body();
    if (body) this.submitToMeta.emit(body);
  }

  protected hasPlaceholder(url: string): boolean {
    return /\{\{[^{}]*\}\}/.test(url);
  }
}
