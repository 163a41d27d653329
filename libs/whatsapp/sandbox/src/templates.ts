import { numericId, SandboxState, SandboxTemplate } from './state';

const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];

/** A template as a create call names it: Meta's `POST /{waba-id}/message_templates` body, parsed. */
export type TemplateInput = Pick<SandboxTemplate, 'name' | 'language' | 'category' | 'parameterFormat' | 'components'>;

/** Meta's sample template, approved in every new WABA. */
export const HELLO_WORLD: TemplateInput = {
  name: 'hello_world',
  language: 'en_US',
  category: 'UTILITY',
  parameterFormat: 'POSITIONAL',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
    {
      type: 'BODY',
      text: 'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.',
    },
    { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
  ],
};

/** A create body checked as Meta checks it: the parsed template, or the message of Meta's code 100 error. */
export function parseTemplate(body: Record<string, unknown>): TemplateInput | string {
  const name = String(body['name'] ?? '');
  const category = String(body['category'] ?? '').toUpperCase();
  const language = String(body['language'] ?? '');
  const components = Array.isArray(body['components']) ? (body['components'] as Record<string, unknown>[]) : [];
  if (!/^[a-z0-9_]{1,512}$/.test(name))
    return 'Invalid parameter name: lowercase letters, digits and underscores only.';
  if (!CATEGORIES.includes(category)) return `Invalid parameter category: one of ${CATEGORIES.join(', ')}.`;
  if (!language) return 'The parameter language is required.';
  if (!components.some((c) => String(c['type']).toUpperCase() === 'BODY' && typeof c['text'] === 'string'))
    return 'Invalid parameter components: a BODY component with text is required.';
  return {
    name,
    language,
    category,
    parameterFormat: body['parameter_format'] === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    components,
  };
}

export function findTemplateOf(state: SandboxState, wabaId: string, name: string, language: string) {
  return [...state.templates.values()].find((t) => t.wabaId === wabaId && t.name === name && t.language === language);
}

/** Stores a template under the WABA with `status`; none is added when the name already exists in that language. */
export function addTemplate(
  state: SandboxState,
  wabaId: string,
  input: TemplateInput,
  status: 'PENDING' | 'APPROVED',
): SandboxTemplate {
  const existing = findTemplateOf(state, wabaId, input.name, input.language);
  if (existing) return existing;
  const template: SandboxTemplate = {
    id: numericId(),
    wabaId,
    ...structuredClone(input),
    status,
    rejectedReason: null,
  };
  state.templates.set(template.id, template);
  return template;
}
