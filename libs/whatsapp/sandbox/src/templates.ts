import type { TemplateComponent } from '@parley/whatsapp/cloud-api';
import type { SandboxTemplate } from './state';

const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

function placeholders(text: unknown): number {
  return typeof text === 'string' ? [...text.matchAll(PLACEHOLDER)].length : 0;
}

/** How many parameters each component of an approved template expects. */
export function expectedParameters(template: SandboxTemplate): {
  header: number;
  body: number;
  buttons: Map<number, number>;
} {
  let header = 0;
  let body = 0;
  const buttons = new Map<number, number>();
  for (const component of template.components) {
    const type = String(component['type']).toUpperCase();
    if (type === 'HEADER') {
      const format = String(component['format'] ?? 'TEXT').toUpperCase();
      header = format === 'TEXT' ? placeholders(component['text']) : 1;
    } else if (type === 'BODY') {
      body = placeholders(component['text']);
    } else if (type === 'BUTTONS' && Array.isArray(component['buttons'])) {
      (component['buttons'] as Record<string, unknown>[]).forEach((button, index) => {
        const count = String(button['type']).toUpperCase() === 'URL' ? placeholders(button['url']) : 0;
        if (count > 0) buttons.set(index, count);
      });
    }
  }
  return { header, body, buttons };
}

/** Whether a send's parameters fit the template (132000 when they don't). */
export function parametersMatch(template: SandboxTemplate, components: TemplateComponent[] = []): boolean {
  const expected = expectedParameters(template);
  const given = { header: 0, body: 0, buttons: new Map<number, number>() };
  for (const component of components) {
    const count = Array.isArray(component.parameters) ? component.parameters.length : 0;
    if (component.type === 'header') given.header = count;
    else if (component.type === 'body') given.body = count;
    else if (component.type === 'button' && component.sub_type === 'url')
      given.buttons.set(Number(component.index), count);
  }
  if (given.header !== expected.header || given.body !== expected.body) return false;
  for (const [index, count] of expected.buttons) if (given.buttons.get(index) !== count) return false;
  return true;
}

/** Renders a template as the customer would read it (parameters substituted in order or by name). */
export function renderTemplate(template: SandboxTemplate, components: TemplateComponent[] = []): string {
  const body = template.components.find((c) => String(c['type']).toUpperCase() === 'BODY');
  const params = components.find((c) => c.type === 'body')?.parameters ?? [];
  let position = 0;
  return String(body?.['text'] ?? template.name).replace(PLACEHOLDER, (_, key: string) => {
    const named = params.find((p) => 'parameter_name' in p && p.parameter_name === key);
    const param = named ?? params[position++];
    if (!param) return `{{${key}}}`;
    if (param.type === 'text') return param.text;
    if (param.type === 'currency') return param.currency.fallback_value;
    if (param.type === 'date_time') return param.date_time.fallback_value;
    return `{{${key}}}`;
  });
}
