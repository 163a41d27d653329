import type { TemplateDto } from '@parley/console/api-client';
import {
  renderTemplate,
  type TemplateComponent,
  type TemplateDefinition,
  type TemplateMessage,
  type TemplateParameter,
  templateParameterProblems,
  templateSlots,
} from '@parley/whatsapp/cloud-api/shared';

/** One input of the parameters form. */
export interface TemplateField {
  /** Unique in the form: `body.1`, `header.name`, `button:0.1`. */
  id: string;
  /** The send component it fills: `header`, `body` or `button:<index>`. */
  slot: string;
  /** The placeholder: `1`, `2`... or a name. */
  name: string;
  label: string;
  kind: 'text' | 'coupon' | 'media';
  /** For media headers: image, video or document. */
  mediaType?: string;
  /** The most characters Meta takes for it. */
  maxLength: number;
}

/** Meta's limits on parameter text (the whole header is 60 characters; a coupon code 15). */
const MAX_LENGTH = { header: 60, body: 1024, button: 2000, coupon: 15 } as const;

export const definitionOf = (template: Pick<TemplateDto, 'components' | 'parameterFormat'>): TemplateDefinition => ({
  parameter_format: template.parameterFormat,
  components: template.components as Record<string, unknown>[],
});

/** The inputs a send of this template needs, in the order the customer reads them. */
export function templateFields(template: Pick<TemplateDto, 'components' | 'parameterFormat'>): TemplateField[] {
  return templateSlots(definitionOf(template)).flatMap((slot): TemplateField[] => {
    const where = slot.key.startsWith('button:') ? `Button ${Number(slot.key.slice(7)) + 1}` : slot.key;
    const area = slot.key.startsWith('button:') ? 'button' : (slot.key as 'header' | 'body');
    if (slot.mediaType)
      return [
        {
          id: `${slot.key}.media`,
          slot: slot.key,
          name: '1',
          label: `Header ${slot.mediaType} link (https://…)`,
          kind: 'media',
          mediaType: slot.mediaType,
          maxLength: 2000,
        },
      ];
    const coupon = slot.types.includes('coupon_code');
    return slot.names.map((name) => ({
      id: `${slot.key}.${name}`,
      slot: slot.key,
      name,
      label: coupon ? 'Coupon code' : `${where[0].toUpperCase()}${where.slice(1)} {{${name}}}`,
      kind: coupon ? 'coupon' : 'text',
      maxLength: coupon ? MAX_LENGTH.coupon : MAX_LENGTH[area],
    }));
  });
}

/**
 * What is wrong with a value, or null. Meta refuses parameter text with new lines, tabs or more than
 * four spaces in a row (error 132018), and empty values (132000).
 */
export function fieldProblem(field: TemplateField, value: string | undefined): string | null {
  const text = value ?? '';
  if (text.trim() === '') return 'Required';
  if (text.length > field.maxLength) return `At most ${field.maxLength} characters`;
  if (field.kind === 'media') return /^https:\/\/\S+$/.test(text) ? null : 'A https:// link to the file';
  if (/[\n\t]/.test(text)) return 'No line breaks or tabs';
  if (/ {5,}/.test(text)) return 'No more than four spaces in a row';
  return null;
}

/** Every field's problem, by field id; empty when the form can be sent. */
export function formProblems(fields: TemplateField[], values: Record<string, string>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of fields) {
    const problem = fieldProblem(field, values[field.id]);
    if (problem) problems[field.id] = problem;
  }
  return problems;
}

function parameterOf(field: TemplateField, value: string, named: boolean): TemplateParameter {
  if (field.kind === 'media') {
    const media = { link: value };
    if (field.mediaType === 'video') return { type: 'video', video: media };
    if (field.mediaType === 'document') return { type: 'document', document: media };
    return { type: 'image', image: media };
  }
  if (field.kind === 'coupon') return { type: 'coupon_code', coupon_code: value };
  return named && !field.slot.startsWith('button:')
    ? { type: 'text', text: value, parameter_name: field.name }
    : { type: 'text', text: value };
}

/** The `template` object of a send, with the values in place (empty ones included, for the preview). */
export function templateMessage(
  template: Pick<TemplateDto, 'name' | 'language' | 'components' | 'parameterFormat'>,
  values: Record<string, string>,
): TemplateMessage {
  const named = template.parameterFormat === 'NAMED';
  const bySlot = new Map<string, TemplateParameter[]>();
  for (const field of templateFields(template)) {
    const parameters = bySlot.get(field.slot) ?? [];
    parameters.push(parameterOf(field, values[field.id] ?? '', named));
    bySlot.set(field.slot, parameters);
  }
  const components: TemplateComponent[] = [...bySlot].map(([slot, parameters]) =>
    slot.startsWith('button:')
      ? {
          type: 'button',
          sub_type: parameters[0]?.type === 'coupon_code' ? 'copy_code' : 'url',
          index: slot.slice(7),
          parameters,
        }
      : { type: slot as 'header' | 'body', parameters },
  );
  return { name: template.name, language: { code: template.language }, ...(components.length ? { components } : {}) };
}

/** The template as the customer will read it; placeholders not yet filled show as `{{1}}`. */
export function templatePreview(
  template: Pick<TemplateDto, 'name' | 'language' | 'components' | 'parameterFormat'>,
  values: Record<string, string>,
): string {
  const shown = Object.fromEntries(
    templateFields(template).map((field) => [
      field.id,
      values[field.id]?.trim() ? values[field.id] : `{{${field.name}}}`,
    ]),
  );
  return renderTemplate(definitionOf(template), templateMessage(template, shown));
}

/** The same check the API runs before it accepts the send: an empty list means Meta will take it. */
export function sendProblems(
  template: Pick<TemplateDto, 'name' | 'language' | 'components' | 'parameterFormat'>,
  values: Record<string, string>,
): string[] {
  return templateParameterProblems(definitionOf(template), templateMessage(template, values)).map(
    (problem) => problem.message,
  );
}
