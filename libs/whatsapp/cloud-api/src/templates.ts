import type { MessageProblem } from './limits';
import type { TemplateComponent, TemplateMessage, TemplateParameter } from './types/send';

/** A template as Meta defines it (`GET /{waba-id}/message_templates`): what a send must fill in. */
export interface TemplateDefinition {
  parameter_format?: 'NAMED' | 'POSITIONAL' | string;
  components: Record<string, unknown>[];
}

/** `{{1}}` or `{{first_name}}`. */
const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

/** The placeholders of a template text, in order of appearance (a name may repeat). */
export function placeholdersOf(text: unknown): string[] {
  return typeof text === 'string' ? [...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string) : [];
}

/** What one send component must carry: its parameter names (positional: '1', '2'...) or one media parameter. */
export interface TemplateSlot {
  /** Where a problem is reported: `template.components.body`, `template.components.button[1]`... */
  field: string;
  names: string[];
  /** For media headers: the parameter type expected (image, video, document, location). */
  mediaType?: string;
  /** Parameter types accepted for text slots. */
  types: readonly string[];
}

const TEXT_TYPES = ['text'] as const;
const BODY_TYPES = ['text', 'currency', 'date_time'] as const;

const upper = (value: unknown) => String(value ?? '').toUpperCase();

/** The slots a template's definition opens, keyed by send component (`header`, `body`, `button:<index>`). */
function slotsOf(definition: TemplateDefinition): Map<string, TemplateSlot> {
  const slots = new Map<string, TemplateSlot>();
  const distinct = (names: string[]) =>
    upper(definition.parameter_format) === 'NAMED' ? [...new Set(names)] : [...new Set(names)].sort(byNumber);
  for (const component of definition.components) {
    switch (upper(component['type'])) {
      case 'HEADER': {
        const format = upper(component['format'] || 'TEXT');
        if (format === 'TEXT') {
          const names = distinct(placeholdersOf(component['text']));
          if (names.length > 0) slots.set('header', { field: 'template.components.header', names, types: TEXT_TYPES });
        } else if (['IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'].includes(format)) {
          slots.set('header', {
            field: 'template.components.header',
            names: ['1'],
            mediaType: format.toLowerCase(),
            types: [format.toLowerCase()],
          });
        }
        break;
      }
      case 'BODY': {
        const names = distinct(placeholdersOf(component['text']));
        if (names.length > 0) slots.set('body', { field: 'template.components.body', names, types: BODY_TYPES });
        break;
      }
      case 'BUTTONS': {
        const buttons = Array.isArray(component['buttons']) ? (component['buttons'] as Record<string, unknown>[]) : [];
        buttons.forEach((button, index) => {
          const field = `template.components.button[${index}]`;
          const type = upper(button['type']);
          if (type === 'URL' && placeholdersOf(button['url']).length > 0)
            slots.set(`button:${index}`, { field, names: ['1'], types: TEXT_TYPES });
          else if (type === 'COPY_CODE') slots.set(`button:${index}`, { field, names: ['1'], types: ['coupon_code'] });
        });
        break;
      }
    }
  }
  return slots;
}

/** The parameters a send of this template must fill, by send component (`header`, `body`, `button:<index>`). */
export function templateSlots(definition: TemplateDefinition): (TemplateSlot & { key: string })[] {
  return [...slotsOf(definition)].map(([key, slot]) => ({ key, ...slot }));
}

function byNumber(a: string, b: string): number {
  return Number(a) - Number(b);
}

function keyOf(component: TemplateComponent): string | null {
  if (component.type === 'header' || component.type === 'body') return component.type;
  if (component.type === 'button') return `button:${Number(component.index)}`;
  return null;
}

function parameterProblem(slot: TemplateSlot, parameter: TemplateParameter, at: string): MessageProblem | null {
  if (!slot.types.includes(parameter.type)) {
    return { field: at, message: `${at} must be of type ${slot.types.join(' or ')} (got ${parameter.type})` };
  }
  if (parameter.type === 'text' && (typeof parameter.text !== 'string' || parameter.text.trim() === '')) {
    return { field: `${at}.text`, message: `${at}.text must be a non-empty string` };
  }
  return null;
}

/**
 * Checks a template send against the approved definition: every placeholder filled (by position, or
 * by `parameter_name` for named templates), nothing extra, media headers with the right media,
 * URL and copy-code buttons with their value. Meta would fail the message later with 132000 or
 * 132012; this names the parameter at fault now. Empty when the send fits.
 */
export function templateParameterProblems(definition: TemplateDefinition, send: TemplateMessage): MessageProblem[] {
  const problems: MessageProblem[] = [];
  const slots = slotsOf(definition);
  const named = upper(definition.parameter_format) === 'NAMED';
  const given = new Map<string, TemplateComponent>();
  (send.components ?? []).forEach((component, index) => {
    const key = keyOf(component);
    if (key === null || (component.type === 'button' && component.sub_type === 'quick_reply')) return;
    if (!slots.has(key)) {
      problems.push({
        field: `template.components[${index}]`,
        message: `template.components[${index}]: the template has no parameters in its ${key.replace(':', ' ')}`,
      });
    } else {
      given.set(key, component);
    }
  });
  for (const [key, slot] of slots) {
    const parameters = Array.isArray(given.get(key)?.parameters) ? (given.get(key)?.parameters ?? []) : [];
    const field = `${slot.field}.parameters`;
    if (named && !slot.mediaType && !key.startsWith('button')) {
      const byName = new Map(parameters.map((p) => ['parameter_name' in p ? p.parameter_name : undefined, p]));
      const missing = slot.names.filter((name) => !byName.has(name));
      const extra = [...byName.keys()].filter((name) => !name || !slot.names.includes(name));
      if (missing.length > 0) problems.push({ field, message: `${field}: missing ${missing.join(', ')}` });
      if (extra.length > 0)
        problems.push({ field, message: `${field}: unexpected ${extra.map((n) => n ?? 'unnamed').join(', ')}` });
    } else if (parameters.length !== slot.names.length) {
      problems.push({
        field,
        message: `${field}: the template expects ${slot.names.length} parameter${slot.names.length === 1 ? '' : 's'}, got ${parameters.length}`,
      });
      continue;
    }
    parameters.forEach((parameter, i) => {
      const problem = parameterProblem(slot, parameter, `${field}[${i}]`);
      if (problem) problems.push(problem);
    });
  }
  return problems;
}

/** A parameter as the customer reads it. */
function shown(parameter: TemplateParameter | undefined): string | null {
  if (!parameter) return null;
  switch (parameter.type) {
    case 'text':
      return parameter.text;
    case 'currency':
      return parameter.currency.fallback_value;
    case 'date_time':
      return parameter.date_time.fallback_value;
    default:
      return null;
  }
}

/**
 * A template message as WhatsApp shows it: header, body and footer text with the parameters of
 * the send in place, one per line; unfilled placeholders stay as `{{x}}`.
 */
export function renderTemplate(definition: TemplateDefinition, send: Pick<TemplateMessage, 'components'>): string {
  const named = isNamedFormat(definition);
  const values = new Map<string, string>();
  for (const component of send.components ?? []) {
    if (component.type !== 'header' && component.type !== 'body') continue;
    (component.parameters ?? []).forEach((parameter, i) => {
      const text = shown(parameter);
      const name = named ? ('parameter_name' in parameter ? parameter.parameter_name : undefined) : String(i + 1);
      const key = `${component.type}.${name}`;
      if (text !== null && name && !values.has(key)) values.set(key, text);
    });
  }
  return templatePreviewText(previewOf(definition, (key) => values.get(key) ?? null));
}

// ---------------------------------------------------------------------------------------------
// Template definitions: Meta's creation rules, and one way to address a send's parameter values.
// ---------------------------------------------------------------------------------------------

/** A template as a create call sends it to Meta (`POST /{waba-id}/message_templates`). */
export interface TemplateDraft extends TemplateDefinition {
  name: string;
  language: string;
  category: string;
}

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export const TEMPLATE_HEADER_FORMATS = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'] as const;
export const TEMPLATE_BUTTON_TYPES = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE'] as const;

/** Meta's limits on a template at creation (CLOUD-API.md §5.6). */
export const TEMPLATE_LIMITS = {
  name: 512,
  bodyText: 1024,
  headerText: 60,
  footerText: 60,
  buttons: 10,
  urlButtons: 2,
  phoneButtons: 1,
  copyCodeButtons: 1,
  buttonText: 25,
  url: 2000,
  phoneNumber: 20,
  copyCode: 15,
} as const;

/** Button types Meta has beyond the four the console edits; accepted as they are (synced templates carry them). */
const OTHER_BUTTON_TYPES = ['OTP', 'FLOW', 'VOICE_CALL', 'CATALOG', 'MPM', 'SPM', 'REQUEST_CONTACT_INFO'];
const COMPONENT_TYPES = ['HEADER', 'BODY', 'FOOTER', 'BUTTONS'];
/** Any `{{...}}`, well formed or not: what the rules look at. */
const ANY_PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const NAMED_PARAMETER = /^[a-z_][a-z0-9_]*$/;
const POSITIONAL_PARAMETER = /^[1-9][0-9]*$/;

const count = (n: number) => n.toLocaleString('en-US');
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const recordsOf = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter(isRecord) : []);
const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const isNamedFormat = (definition: TemplateDefinition) => upper(definition.parameter_format) === 'NAMED';

type Report = (field: string, message: string) => void;

/**
 * What Meta would refuse in a template at creation (CLOUD-API.md §5.6): the name, category and
 * language, one BODY, the header, footer and buttons with their limits, parameters numbered
 * `{{1}}`..`{{n}}` or named (never both), and a sample for every parameter (Meta reviews templates
 * with their examples). Each problem names its field (`components[1].text`,
 * `components[3].buttons[2].url`) and reads as a sentence an admin can act on. Empty when Meta
 * should accept it.
 */
export function templateDefinitionProblems(template: TemplateDraft): MessageProblem[] {
  const problems: MessageProblem[] = [];
  const report: Report = (field, message) => problems.push({ field, message });

  const name: unknown = template.name;
  if (typeof name !== 'string' || name === '') report('name', 'name is required');
  else if (name.length > TEMPLATE_LIMITS.name)
    report('name', `name is ${count(name.length)} characters; Meta allows ${count(TEMPLATE_LIMITS.name)}`);
  else if (!/^[a-z0-9_]+$/.test(name))
    report('name', 'name may hold only lowercase letters, digits and underscores, such as order_update');

  if (!(TEMPLATE_CATEGORIES as readonly string[]).includes(upper(template.category)))
    report('category', `category must be ${TEMPLATE_CATEGORIES.join(', ')}`);
  if (typeof template.language !== 'string' || !/^[a-z]{2,3}(_[A-Z]{2})?$/.test(template.language))
    report('language', "language must be one of Meta's language codes, such as en, en_US or pt_BR");

  const format = template.parameter_format === undefined ? 'POSITIONAL' : upper(template.parameter_format);
  if (format !== 'POSITIONAL' && format !== 'NAMED')
    report('parameter_format', 'parameter_format must be POSITIONAL ({{1}}, {{2}}…) or NAMED ({{first_name}}…)');
  const named = format === 'NAMED';

  if (!Array.isArray(template.components)) {
    report('components', 'components must list the HEADER, BODY, FOOTER and BUTTONS of the template');
    return problems;
  }
  const seen = new Map<string, number>();
  template.components.forEach((component: unknown, i) => {
    const at = `components[${i}]`;
    const type = isRecord(component) ? upper(component['type']) : '';
    if (!isRecord(component) || !COMPONENT_TYPES.includes(type)) {
      report(`${at}.type`, `${at}: type must be HEADER, BODY, FOOTER or BUTTONS`);
      return;
    }
    const where = `${at} (${type})`;
    const first = seen.get(type);
    if (first !== undefined) {
      report(`${at}.type`, `${where}: a template has one ${type}, and components[${first}] is one already`);
      return;
    }
    seen.set(type, i);
    if (type === 'BODY') bodyProblems(component, at, where, named, report);
    else if (type === 'HEADER') headerProblems(component, at, where, named, report);
    else if (type === 'FOOTER') footerProblems(component, at, where, report);
    else buttonsProblems(component, at, where, report);
  });
  if (!seen.has('BODY')) report('components', 'The template needs a BODY component with its text');
  return problems;
}

/** The text of a component, checked for presence and length; null when missing. */
function checkedText(component: Record<string, unknown>, at: string, where: string, max: number, report: Report) {
  const text = component['text'];
  if (!nonEmpty(text)) {
    report(`${at}.text`, `${where}: text is required`);
    return null;
  }
  if (text.length > max)
    report(`${at}.text`, `${where}: text is ${count(text.length)} characters; Meta allows ${count(max)}`);
  return text;
}

/**
 * The distinct, well-formed parameters of a text, after reporting the malformed ones, those of the
 * wrong format and gaps in the numbering.
 */
function checkedParameters(text: string, at: string, where: string, named: boolean, report: Report): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(ANY_PLACEHOLDER)) {
    const name = (match[1] ?? '').trim();
    if (named && POSITIONAL_PARAMETER.test(name))
      report(
        `${at}.text`,
        `${where}: {{${name}}} is a positional parameter, but this template's parameters are NAMED; use a name such as {{first_name}}`,
      );
    else if (!named && NAMED_PARAMETER.test(name))
      report(
        `${at}.text`,
        `${where}: {{${name}}} is a named parameter, but this template's parameters are POSITIONAL; use {{1}}, {{2}}… or switch to named parameters`,
      );
    else if (named ? !NAMED_PARAMETER.test(name) : !POSITIONAL_PARAMETER.test(name))
      report(
        `${at}.text`,
        named
          ? `${where}: {{${name}}} is not a parameter name; use lowercase letters, digits and underscores, starting with a letter`
          : `${where}: {{${name}}} is not a parameter; number them {{1}}, {{2}}…`,
      );
    else if (!names.includes(name)) names.push(name);
  }
  if (!named && names.length > 0) {
    const numbers = names.map(Number);
    const missing = Array.from({ length: Math.max(...numbers) }, (_, n) => n + 1).filter((n) => !numbers.includes(n));
    if (missing.length > 0)
      report(
        `${at}.text`,
        `${where}: parameters must be numbered {{1}} to {{${numbers.length}}} without gaps; ${missing.map((n) => `{{${n}}}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`,
      );
  }
  return names;
}

/** Reports the parameters without a sample in `example` (`body_text` [[...]] or `header_text` [...], or the named lists). */
function exampleProblems(
  component: Record<string, unknown>,
  part: 'body' | 'header',
  names: string[],
  named: boolean,
  at: string,
  where: string,
  report: Report,
): void {
  if (names.length === 0) return;
  const example = isRecord(component['example']) ? component['example'] : {};
  const key = named ? `${part}_text_named_params` : `${part}_text`;
  const missing = names.filter((name) => !nonEmpty(textExampleOf(component, part, name, named)));
  if (missing.length > 0)
    report(
      `${at}.example.${key}`,
      `${where}: Meta needs a sample value for ${missing.map((n) => `{{${n}}}`).join(', ')} in example.${key}`,
    );
  if (named) {
    const extra = recordsOf(example[key])
      .map((p) => String(p['param_name'] ?? ''))
      .filter((name) => !names.includes(name));
    if (extra.length > 0)
      report(`${at}.example.${key}`, `${where}: example.${key} names ${extra.join(', ')}, which the text does not use`);
  }
}

function bodyProblems(component: Record<string, unknown>, at: string, where: string, named: boolean, report: Report) {
  const text = checkedText(component, at, where, TEMPLATE_LIMITS.bodyText, report);
  if (text === null) return;
  const names = checkedParameters(text, at, where, named, report);
  // Meta's review refuses a body that opens or closes on a parameter.
  if (/^\{\{[^{}]*\}\}/.test(text.trim()) || /\{\{[^{}]*\}\}$/.test(text.trim()))
    report(
      `${at}.text`,
      `${where}: text can't start or end with a parameter; Meta rejects that, so add words around it`,
    );
  exampleProblems(component, 'body', names, named, at, where, report);
}

function headerProblems(component: Record<string, unknown>, at: string, where: string, named: boolean, report: Report) {
  const format = upper(component['format']);
  if (!(TEMPLATE_HEADER_FORMATS as readonly string[]).includes(format)) {
    report(`${at}.format`, `${where}: format must be ${TEMPLATE_HEADER_FORMATS.join(', ')}`);
    return;
  }
  if (format === 'TEXT') {
    const text = checkedText(component, at, where, TEMPLATE_LIMITS.headerText, report);
    if (text === null) return;
    const names = checkedParameters(text, at, where, named, report);
    if (names.length > 1)
      report(`${at}.text`, `${where}: a text header has at most one parameter (found ${names.length})`);
    exampleProblems(component, 'header', names, named, at, where, report);
  } else if (format !== 'LOCATION') {
    const example = isRecord(component['example']) ? component['example'] : {};
    const handles = example['header_handle'];
    if (!Array.isArray(handles) || !nonEmpty(handles[0]))
      report(
        `${at}.example.header_handle`,
        `${where}: an ${format} header needs a sample ${format.toLowerCase()} in example.header_handle (a handle from Meta's upload API)`,
      );
  }
}

function footerProblems(component: Record<string, unknown>, at: string, where: string, report: Report) {
  const text = checkedText(component, at, where, TEMPLATE_LIMITS.footerText, report);
  if (text !== null && /\{\{[^{}]*\}\}/.test(text)) report(`${at}.text`, `${where}: a footer can't have parameters`);
}

function buttonsProblems(component: Record<string, unknown>, at: string, where: string, report: Report) {
  const buttons = component['buttons'];
  if (!Array.isArray(buttons) || buttons.length === 0) {
    report(`${at}.buttons`, `${where}: buttons must list 1 to ${TEMPLATE_LIMITS.buttons} buttons`);
    return;
  }
  if (buttons.length > TEMPLATE_LIMITS.buttons)
    report(`${at}.buttons`, `${where}: ${buttons.length} buttons; Meta allows ${TEMPLATE_LIMITS.buttons}`);
  const typeOf = (button: unknown) => (isRecord(button) ? upper(button['type']) : '');
  const ofType = (type: string) => buttons.filter((b) => typeOf(b) === type).length;
  for (const [type, label, max] of [
    ['URL', 'URL', TEMPLATE_LIMITS.urlButtons],
    ['PHONE_NUMBER', 'phone number', TEMPLATE_LIMITS.phoneButtons],
    ['COPY_CODE', 'copy code', TEMPLATE_LIMITS.copyCodeButtons],
  ] as const) {
    if (ofType(type) > max) report(`${at}.buttons`, `${where}: ${ofType(type)} ${label} buttons; Meta allows ${max}`);
  }
  const quickReplies = buttons.flatMap((b, j) => (typeOf(b) === 'QUICK_REPLY' ? [j] : []));
  const [firstQuickReply = 0, lastQuickReply = 0] = [quickReplies[0], quickReplies[quickReplies.length - 1]];
  if (quickReplies.length > 0 && lastQuickReply - firstQuickReply >= quickReplies.length)
    report(`${at}.buttons`, `${where}: quick reply buttons must be next to each other, not between other buttons`);

  buttons.forEach((button: unknown, j) => {
    const bat = `${at}.buttons[${j}]`;
    const type = typeOf(button);
    const bwhere = `${where} button ${j + 1}${type ? ` (${type})` : ''}`;
    if (
      !isRecord(button) ||
      (!(TEMPLATE_BUTTON_TYPES as readonly string[]).includes(type) && !OTHER_BUTTON_TYPES.includes(type))
    ) {
      report(`${bat}.type`, `${bwhere}: type must be ${TEMPLATE_BUTTON_TYPES.join(', ')}`);
      return;
    }
    const value = (key: string, label: string, max: number): string | null => {
      const text = button[key];
      if (!nonEmpty(text)) {
        report(`${bat}.${key}`, `${bwhere}: ${label} is required`);
        return null;
      }
      if (text.length > max)
        report(`${bat}.${key}`, `${bwhere}: ${label} is ${count(text.length)} characters; Meta allows ${count(max)}`);
      return text;
    };
    if (type === 'QUICK_REPLY' || type === 'URL' || type === 'PHONE_NUMBER')
      value('text', 'the label (text)', TEMPLATE_LIMITS.buttonText);
    if (type === 'PHONE_NUMBER') value('phone_number', 'phone_number', TEMPLATE_LIMITS.phoneNumber);
    if (type === 'URL') {
      const url = value('url', 'url', TEMPLATE_LIMITS.url);
      if (url === null) return;
      if (!/^https?:\/\/[^\s/]+\.[^\s]/i.test(url))
        report(`${bat}.url`, `${bwhere}: url must be a web address starting with https://`);
      const variables = [...url.matchAll(ANY_PLACEHOLDER)];
      if (variables.length > 1 || (variables.length === 1 && !/\{\{1\}\}$/.test(url)))
        report(`${bat}.url`, `${bwhere}: url may end with one parameter, {{1}}, and have no other`);
      else if (variables.length === 1 && !nonEmpty(exampleValueOf(button['example'])))
        report(
          `${bat}.example`,
          `${bwhere}: Meta needs a sample of the full URL in example, such as ${url.replace('{{1}}', 'summer2025')}`,
        );
    }
    if (type === 'COPY_CODE') {
      const code = exampleValueOf(button['example']);
      if (!nonEmpty(code)) report(`${bat}.example`, `${bwhere}: Meta needs a sample code in example`);
      else if (code.length > TEMPLATE_LIMITS.copyCode)
        report(
          `${bat}.example`,
          `${bwhere}: the sample code is ${code.length} characters; Meta allows ${TEMPLATE_LIMITS.copyCode}`,
        );
    }
  });
}

/** A button's `example`: Meta takes a string or a one-item list. */
function exampleValueOf(example: unknown): string | undefined {
  const value: unknown = Array.isArray(example) ? example[0] : example;
  return typeof value === 'string' ? value : undefined;
}

/** The sample the definition gives for a header or body parameter. */
function textExampleOf(
  component: Record<string, unknown> | undefined,
  part: 'header' | 'body',
  name: string,
  named: boolean,
): string | undefined {
  const example = isRecord(component?.['example']) ? component['example'] : {};
  if (named) {
    const found = recordsOf(example[`${part}_text_named_params`]).find((p) => p['param_name'] === name)?.['example'];
    return typeof found === 'string' ? found : undefined;
  }
  const list: unknown = part === 'body' ? (example['body_text'] as unknown[] | undefined)?.[0] : example['header_text'];
  const found: unknown = Array.isArray(list) ? list[Number(name) - 1] : undefined;
  return typeof found === 'string' ? found : undefined;
}

/** One value a send of a template needs, addressed the same way by previews, the console and campaigns. */
export interface TemplateParameterKey {
  /** `header.<name>` (a media header: `header.1`), `body.<name>` (`body.1`, `body.first_name`), `button.<index>`. */
  key: string;
  /** Where `templateParameterProblems` reports this value in a send built by `templateComponentsFrom`. */
  field: string;
  /** For a form: `Body {{1}}`, `Header image (link or media id)`, `Button 2 URL {{1}}`. */
  label: string;
  /** Media headers: image, video, document or location. */
  mediaType?: string;
  /** The definition's sample for it, when it has a non-blank one (a URL button's is the part that fills `{{1}}`). */
  example?: string;
}

const componentOf = (definition: TemplateDefinition, type: string) =>
  definition.components.find((component) => upper(component['type']) === type);
const buttonsOf = (definition: TemplateDefinition) => recordsOf(componentOf(definition, 'BUTTONS')?.['buttons']);

/**
 * Every value a send of the template needs, in the order a customer reads them: header, body,
 * buttons. Keys are `header.<name>`, `body.<name>` and `button.<index>` (0-based within BUTTONS);
 * a media header's value is a https link or a media id, a location header's `latitude,longitude`.
 */
export function templateParameterKeys(definition: TemplateDefinition): TemplateParameterKey[] {
  const named = isNamedFormat(definition);
  return templateSlots(definition).flatMap((slot): TemplateParameterKey[] => {
    if (slot.key === 'header' && slot.mediaType) {
      const handle = exampleValueOf(
        (componentOf(definition, 'HEADER')?.['example'] as Record<string, unknown> | undefined)?.['header_handle'],
      );
      return [
        {
          key: 'header.1',
          field: `${slot.field}.parameters[0]`,
          label:
            slot.mediaType === 'location'
              ? 'Header location (latitude,longitude)'
              : `Header ${slot.mediaType} (link or media id)`,
          mediaType: slot.mediaType,
          ...(handle && /^https:\/\//i.test(handle) && { example: handle }),
        },
      ];
    }
    if (slot.key === 'header' || slot.key === 'body') {
      const part = slot.key;
      const component = componentOf(definition, part.toUpperCase());
      return slot.names.map((name, i) => {
        const example = textExampleOf(component, part, name, named);
        return {
          key: `${part}.${name}`,
          field: `${slot.field}.parameters[${i}]`,
          label: `${part === 'body' ? 'Body' : 'Header'} {{${name}}}`,
          ...(nonEmpty(example) && { example }),
        };
      });
    }
    const index = Number(slot.key.slice('button:'.length));
    const button = buttonsOf(definition)[index] ?? {};
    const coupon = slot.types.includes('coupon_code');
    const sample = exampleValueOf(button['example']);
    const prefix = String(button['url'] ?? '').split('{{')[0] ?? '';
    const example = coupon ? sample : sample?.startsWith(prefix) ? sample.slice(prefix.length) : undefined;
    return [
      {
        key: `button.${index}`,
        field: `${slot.field}.parameters[0]`,
        label: coupon ? `Button ${index + 1} coupon code` : `Button ${index + 1} URL {{1}}`,
        ...(nonEmpty(example) && { example }),
      },
    ];
  });
}

/** A media header's parameter: a https link as `link`, anything else as Meta's media id. */
function mediaParameter(mediaType: string, value: string): TemplateParameter {
  if (mediaType === 'location') {
    const [latitude = '', longitude = '', ...name] = value.split(',').map((part) => part.trim());
    return { type: 'location', location: { latitude, longitude, ...(name.length > 0 && { name: name.join(', ') }) } };
  }
  const ref = /^https:\/\//i.test(value.trim()) ? { link: value.trim() } : { id: value.trim() };
  if (mediaType === 'video') return { type: 'video', video: ref };
  if (mediaType === 'document') return { type: 'document', document: ref };
  return { type: 'image', image: ref };
}

/**
 * Meta's send `components` for the template with `values` (keyed as `templateParameterKeys` says) in
 * place: named parameters carry `parameter_name`, URL buttons are `url`, copy-code buttons
 * `copy_code`. A missing value goes as an empty text, which `templateParameterProblems` then names.
 */
export function templateComponentsFrom(
  definition: TemplateDefinition,
  values: Record<string, string>,
): TemplateComponent[] {
  const named = isNamedFormat(definition);
  return templateSlots(definition).map((slot): TemplateComponent => {
    if (slot.key.startsWith('button:')) {
      const index = slot.key.slice('button:'.length);
      const value = values[`button.${index}`] ?? '';
      return slot.types.includes('coupon_code')
        ? { type: 'button', sub_type: 'copy_code', index, parameters: [{ type: 'coupon_code', coupon_code: value }] }
        : { type: 'button', sub_type: 'url', index, parameters: [{ type: 'text', text: value }] };
    }
    const part = slot.key as 'header' | 'body';
    if (slot.mediaType) return { type: part, parameters: [mediaParameter(slot.mediaType, values['header.1'] ?? '')] };
    return {
      type: part,
      parameters: slot.names.map((name): TemplateParameter => {
        const text = values[`${part}.${name}`] ?? '';
        return named ? { type: 'text', text, parameter_name: name } : { type: 'text', text };
      }),
    };
  });
}

/** A template as the customer's phone shows it. */
export interface TemplatePreview {
  /** TEXT headers carry `text`; media headers the link or id given (or the sample), if any. */
  header: { format: string; text?: string; media?: string } | null;
  body: string;
  footer: string | null;
  buttons: { type: string; text: string; url?: string; phoneNumber?: string; code?: string }[];
}

/** Fills `{{x}}` in a header or body text; `valueOf` null keeps the placeholder. */
function filled(text: string, part: string, valueOf: (key: string) => string | null): string {
  return text.replace(PLACEHOLDER, (placeholder, name: string) => valueOf(`${part}.${name}`) ?? placeholder);
}

function previewOf(definition: TemplateDefinition, valueOf: (key: string) => string | null): TemplatePreview {
  const header = componentOf(definition, 'HEADER');
  const format = header ? upper(header['format'] || 'TEXT') : null;
  const footer = componentOf(definition, 'FOOTER')?.['text'];
  return {
    header:
      header && format
        ? format === 'TEXT'
          ? { format, text: filled(String(header['text'] ?? ''), 'header', valueOf) }
          : { format, ...(valueOf('header.1') !== null && { media: valueOf('header.1') as string }) }
        : null,
    body: filled(String(componentOf(definition, 'BODY')?.['text'] ?? ''), 'body', valueOf),
    footer: typeof footer === 'string' ? footer : null,
    buttons: buttonsOf(definition).map((button, index) => {
      const type = upper(button['type']);
      const value = valueOf(`button.${index}`);
      const text = String(button['text'] ?? '');
      if (type === 'URL')
        return { type, text, url: String(button['url'] ?? '').replace(PLACEHOLDER, (p) => value ?? p) };
      if (type === 'PHONE_NUMBER') return { type, text, phoneNumber: String(button['phone_number'] ?? '') };
      if (type === 'COPY_CODE')
        return { type, text: text || 'Copy offer code', ...(value !== null && { code: value }) };
      return { type, text: text || type };
    }),
  };
}

/**
 * The template as WhatsApp shows it, with `values` (keyed as `templateParameterKeys` says) in place.
 * A value not given (or blank) shows the definition's sample instead, so a draft's preview reads as
 * a real message; a parameter with neither stays as `{{x}}`.
 */
export function previewTemplate(definition: TemplateDefinition, values: Record<string, string>): TemplatePreview {
  const examples = new Map(templateParameterKeys(definition).map((k) => [k.key, k.example]));
  return previewOf(definition, (key) => (nonEmpty(values[key]) ? values[key] : (examples.get(key) ?? null)));
}

/** A preview as plain text: header text, body and footer, one per line. */
export function templatePreviewText(preview: TemplatePreview): string {
  return [preview.header?.text, preview.body, preview.footer].filter(nonEmpty).join('\n');
}
