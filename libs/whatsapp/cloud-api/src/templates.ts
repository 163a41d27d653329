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

/** A text with its placeholders filled by name (named templates) or by number; unfilled ones stay as `{{x}}`. */
function fill(text: string, parameters: TemplateParameter[], named: boolean): string {
  return text.replace(PLACEHOLDER, (placeholder, key: string) => {
    const parameter = named
      ? parameters.find((p) => 'parameter_name' in p && p.parameter_name === key)
      : parameters[Number(key) - 1];
    return shown(parameter) ?? placeholder;
  });
}

/**
 * A template message as WhatsApp shows it: header, body and footer text with the parameters of
 * the send in place, one per line.
 */
export function renderTemplate(definition: TemplateDefinition, send: Pick<TemplateMessage, 'components'>): string {
  const parametersOf = (type: 'header' | 'body') =>
    send.components?.find((component) => component.type === type)?.parameters ?? [];
  const named = upper(definition.parameter_format) === 'NAMED';
  const lines: string[] = [];
  for (const component of definition.components) {
    const type = upper(component['type']);
    const text = typeof component['text'] === 'string' ? component['text'] : null;
    if (!text) continue;
    if (type === 'HEADER' && upper(component['format'] || 'TEXT') === 'TEXT')
      lines.push(fill(text, parametersOf('header'), named));
    else if (type === 'BODY') lines.push(fill(text, parametersOf('body'), named));
    else if (type === 'FOOTER') lines.push(text);
  }
  return lines.join('\n');
}
