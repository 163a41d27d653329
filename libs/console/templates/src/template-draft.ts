import type { TemplateDto } from '@parley/console/api-client';
import {
  type MessageProblem,
  placeholdersOf,
  type TemplateDraft,
  templateDefinitionProblems,
  templateParameterKeys,
  type TemplateParameterKey,
} from '@parley/whatsapp/cloud-api/shared';

export const HEADER_FORMATS = ['NONE', 'TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'] as const;
export type HeaderFormat = (typeof HEADER_FORMATS)[number];
export const BUTTON_TYPES = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE'] as const;
export type ButtonType = (typeof BUTTON_TYPES)[number];
export type ParameterFormat = 'POSITIONAL' | 'NAMED';

export interface ButtonDraft {
  type: ButtonType;
  /** The label (not shown for copy-code buttons, whose label WhatsApp sets). */
  text: string;
  url: string;
  phoneNumber: string;
}

/** What the editor holds: the template in the terms of its form, samples by parameter key. */
export interface EditorState {
  wabaAccountId: string;
  name: string;
  language: string;
  category: string;
  parameterFormat: ParameterFormat;
  headerFormat: HeaderFormat;
  headerText: string;
  body: string;
  footer: string;
  buttons: ButtonDraft[];
  /**
   * Samples Meta reviews the template with, keyed like `templateParameterKeys`: `header.<name>`,
   * `body.<name>`, `button.<index>` (a URL's `{{1}}` part, or the copy code); `header.1` of a media
   * header is the sample's handle from Meta's upload API.
   */
  examples: Record<string, string>;
}

export const emptyState = (wabaAccountId = ''): EditorState => ({
  wabaAccountId,
  name: '',
  language: 'en_US',
  category: 'UTILITY',
  parameterFormat: 'POSITIONAL',
  headerFormat: 'NONE',
  headerText: '',
  body: '',
  footer: '',
  buttons: [],
  examples: {},
});

export const newButton = (type: ButtonType): ButtonDraft => ({ type, text: '', url: '', phoneNumber: '' });

/** Where each component lands in the definition, so problems (`components[2].text`) find their input. */
export interface Layout {
  header: number | null;
  body: number;
  footer: number | null;
  buttons: number | null;
}

const distinct = (names: string[], named: boolean) => {
  const unique = [...new Set(names)];
  return named ? unique : unique.sort((a, b) => Number(a) - Number(b));
};

/** The template as Meta takes it (`components` with their `example`s), and where each component is. */
export function definitionOf(state: EditorState): { draft: TemplateDraft; layout: Layout } {
  const named = state.parameterFormat === 'NAMED';
  const sample = (key: string) => state.examples[key]?.trim() ?? '';
  const components: Record<string, unknown>[] = [];
  const layout: Layout = { header: null, body: 0, footer: null, buttons: null };

  if (state.headerFormat !== 'NONE') {
    layout.header = components.length;
    if (state.headerFormat === 'TEXT') {
      const names = distinct(placeholdersOf(state.headerText), named);
      const example =
        names.length === 0
          ? undefined
          : named
            ? { header_text_named_params: names.map((n) => ({ param_name: n, example: sample(`header.${n}`) })) }
            : { header_text: names.map((n) => sample(`header.${n}`)) };
      components.push({ type: 'HEADER', format: 'TEXT', text: state.headerText, ...(example && { example }) });
    } else if (state.headerFormat === 'LOCATION') {
      components.push({ type: 'HEADER', format: 'LOCATION' });
    } else {
      const handle = sample('header.1');
      components.push({
        type: 'HEADER',
        format: state.headerFormat,
        ...(handle && { example: { header_handle: [handle] } }),
      });
    }
  }

  layout.body = components.length;
  const names = distinct(placeholdersOf(state.body), named);
  const positions = Math.max(0, ...names.map(Number).filter(Number.isInteger));
  const bodyExample =
    names.length === 0
      ? undefined
      : named
        ? { body_text_named_params: names.map((n) => ({ param_name: n, example: sample(`body.${n}`) })) }
        : { body_text: [Array.from({ length: positions }, (_, i) => sample(`body.${i + 1}`))] };
  components.push({ type: 'BODY', text: state.body, ...(bodyExample && { example: bodyExample }) });

  if (state.footer.trim()) {
    layout.footer = components.length;
    components.push({ type: 'FOOTER', text: state.footer });
  }

  if (state.buttons.length > 0) {
    layout.buttons = components.length;
    components.push({
      type: 'BUTTONS',
      buttons: state.buttons.map((button, index) => {
        const value = sample(`button.${index}`);
        switch (button.type) {
          case 'URL':
            return {
              type: 'URL',
              text: button.text,
              url: button.url,
              ...(placeholdersOf(button.url).length > 0 && { example: [button.url.replace(/\{\{[^{}]*\}\}/, value)] }),
            };
          case 'PHONE_NUMBER':
            return { type: 'PHONE_NUMBER', text: button.text, phone_number: button.phoneNumber };
          case 'COPY_CODE':
            return { type: 'COPY_CODE', example: value };
          default:
            return { type: 'QUICK_REPLY', text: button.text };
        }
      }),
    });
  }

  return {
    draft: {
      name: state.name.trim(),
      language: state.language.trim(),
      category: state.category,
      parameter_format: state.parameterFormat,
      components,
    },
    layout,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' ? value : '');
const upper = (value: unknown) => text(value).toUpperCase();

/** A stored template in the editor's terms. */
export function stateOf(template: TemplateDto): EditorState {
  const components = template.components.filter(isRecord);
  const of = (type: string) => components.find((c) => upper(c['type']) === type);
  const header = of('HEADER');
  const headerFormat = header ? upper(header['format']) || 'TEXT' : 'NONE';
  const definition = { parameter_format: template.parameterFormat, components };
  const examples: Record<string, string> = Object.fromEntries(
    templateParameterKeys(definition).flatMap((k) => (k.example === undefined ? [] : [[k.key, k.example]])),
  );
  const handle = isRecord(header?.['example']) ? header['example']['header_handle'] : undefined;
  if (Array.isArray(handle) && typeof handle[0] === 'string') examples['header.1'] = handle[0];
  const buttons = of('BUTTONS')?.['buttons'];
  return {
    wabaAccountId: template.wabaAccountId,
    name: template.name,
    language: template.language,
    category: template.category,
    parameterFormat: template.parameterFormat,
    headerFormat: (HEADER_FORMATS as readonly string[]).includes(headerFormat)
      ? (headerFormat as HeaderFormat)
      : 'NONE',
    headerText: text(header?.['text']),
    body: text(of('BODY')?.['text']),
    footer: text(of('FOOTER')?.['text']),
    buttons: (Array.isArray(buttons) ? buttons.filter(isRecord) : []).map((button) => ({
      type: (BUTTON_TYPES as readonly string[]).includes(upper(button['type']))
        ? (upper(button['type']) as ButtonType)
        : 'QUICK_REPLY',
      text: text(button['text']),
      url: text(button['url']),
      phoneNumber: text(button['phone_number']),
    })),
    examples,
  };
}

/** The samples the form asks for: one per placeholder of the header and body. Button samples sit with their button. */
export function exampleFields(state: EditorState): TemplateParameterKey[] {
  const { draft } = definitionOf(state);
  return templateParameterKeys(draft).filter((k) => !k.key.startsWith('button.') && !k.mediaType);
}

export const BUTTON_LIMITS: Record<ButtonType, number> = { QUICK_REPLY: 10, URL: 2, PHONE_NUMBER: 1, COPY_CODE: 1 };
export const MAX_BUTTONS = 10;

/** Whether one more button of `type` fits Meta's limits. */
export function canAddButton(state: EditorState, type: ButtonType): boolean {
  return (
    state.buttons.length < MAX_BUTTONS && state.buttons.filter((b) => b.type === type).length < BUTTON_LIMITS[type]
  );
}

/** Button samples follow their button when buttons move: `button.<i>` keys renumbered by `move`. */
function renumberButtonExamples(examples: Record<string, string>, move: (index: number) => number | null) {
  return Object.fromEntries(
    Object.entries(examples).flatMap(([key, value]) => {
      if (!key.startsWith('button.')) return [[key, value]];
      const index = move(Number(key.slice('button.'.length)));
      return index === null ? [] : [[`button.${index}`, value]];
    }),
  );
}

/** Adds a button; a quick reply goes after the other quick replies, as Meta wants them grouped. */
export function addButton(state: EditorState, type: ButtonType): EditorState {
  const lastQuickReply = state.buttons.map((b) => b.type).lastIndexOf('QUICK_REPLY');
  const at = type === 'QUICK_REPLY' && lastQuickReply >= 0 ? lastQuickReply + 1 : state.buttons.length;
  const buttons = [...state.buttons.slice(0, at), newButton(type), ...state.buttons.slice(at)];
  return { ...state, buttons, examples: renumberButtonExamples(state.examples, (i) => (i >= at ? i + 1 : i)) };
}

export function removeButton(state: EditorState, at: number): EditorState {
  return {
    ...state,
    buttons: state.buttons.filter((_, i) => i !== at),
    examples: renumberButtonExamples(state.examples, (i) => (i === at ? null : i > at ? i - 1 : i)),
  };
}

/**
 * Which part of the form a problem belongs to: `name`, `language`, `category`, `parameterFormat`,
 * `header`, `body`, `footer`, `buttons`, `button.<index>`, `examples` (header and body samples) or
 * `components` (the template as a whole). Works for the API's fields and `templateDefinitionProblems`'.
 */
export function sectionOf(field: string, layout: Layout): string {
  if (field === 'parameter_format') return 'parameterFormat';
  const match = /^components\[(\d+)\](\.buttons\[(\d+)\])?(.*)$/.exec(field);
  if (!match) return field;
  const [, at, , button, rest = ''] = match;
  const index = Number(at);
  if (index === layout.buttons) return button === undefined ? 'buttons' : `button.${button}`;
  if (rest.startsWith('.example') && (index === layout.body || index === layout.header)) {
    return index === layout.header && rest.includes('header_handle') ? 'header' : 'examples';
  }
  if (index === layout.header) return 'header';
  if (index === layout.body) return 'body';
  if (index === layout.footer) return 'footer';
  return 'components';
}

/** Problems by section, messages joined; the form shows each under its input. */
export function problemsBySection(problems: MessageProblem[], layout: Layout): Record<string, string[]> {
  const sections: Record<string, string[]> = {};
  for (const problem of problems) (sections[sectionOf(problem.field, layout)] ??= []).push(problem.message);
  return sections;
}

/** What Meta would refuse in the editor's template, by section of the form. */
export function editorProblems(state: EditorState): Record<string, string[]> {
  const { draft, layout } = definitionOf(state);
  return problemsBySection(templateDefinitionProblems(draft), layout);
}
