import type { OutboundContent, TemplateComponent } from '@parley/whatsapp/cloud-api/shared';

/*
 * What a rule's reply or a flow's send step says, as the editor shows it: plain text, text with up
 * to three reply buttons, text with a list of options, or an approved template. The API takes Meta's
 * send shape; anything else it holds (media, a location, a URL button) is kept as it came.
 */

export type MessageKind = 'text' | 'buttons' | 'list' | 'template' | 'other';

export interface ReplyButton {
  id: string;
  title: string;
}

export interface ListRow {
  id: string;
  title: string;
  description: string;
}

export interface MessageForm {
  kind: MessageKind;
  /** The text of a text message; the body above buttons or a list. */
  body: string;
  buttons: ReplyButton[];
  /** The label of the button that opens a list ("Choose"). */
  listButton: string;
  rows: ListRow[];
  templateName: string;
  templateLanguage: string;
  /** A template's parameters as they came (the editor changes only its name and language). */
  templateComponents: TemplateComponent[] | null;
  /** A message the editor does not edit, kept as it came. */
  other: OutboundContent | null;
}

/** Meta's limits: three reply buttons, ten list rows. */
export const MAX_BUTTONS = 3;
export const MAX_ROWS = 10;

export const MESSAGE_KINDS: { kind: Exclude<MessageKind, 'other'>; label: string }[] = [
  { kind: 'text', label: 'Text' },
  { kind: 'buttons', label: 'Text with buttons' },
  { kind: 'list', label: 'Text with a list' },
  { kind: 'template', label: 'Approved template' },
];

export function emptyMessage(kind: Exclude<MessageKind, 'other'> = 'text'): MessageForm {
  return {
    kind,
    body: '',
    buttons: kind === 'buttons' ? [{ id: 'option_1', title: '' }] : [],
    listButton: kind === 'list' ? 'Choose' : '',
    rows: kind === 'list' ? [{ id: 'option_1', title: '', description: '' }] : [],
    templateName: '',
    templateLanguage: 'en',
    templateComponents: null,
    other: null,
  };
}

/** Changes what kind of message it is, keeping the text (and starting the new kind's parts). */
export function withKind(form: MessageForm, kind: Exclude<MessageKind, 'other'>): MessageForm {
  const fresh = emptyMessage(kind);
  return {
    ...fresh,
    body: form.kind === 'other' ? '' : form.body,
    buttons: form.buttons.length > 0 ? form.buttons : fresh.buttons,
    rows: form.rows.length > 0 ? form.rows : fresh.rows,
    listButton: form.listButton || fresh.listButton,
    templateName: form.templateName,
    templateLanguage: form.templateLanguage || fresh.templateLanguage,
    templateComponents: form.templateComponents,
  };
}

/** An id for a new button or row that the others do not use: option_2, option_3... */
export function nextOptionId(used: { id: string }[]): string {
  const ids = new Set(used.map((item) => item.id));
  let n = used.length + 1;
  while (ids.has(`option_${n}`)) n++;
  return `option_${n}`;
}

/** The API's message (Meta's send shape) for the form. */
export function messageOf(form: MessageForm): OutboundContent {
  switch (form.kind) {
    case 'text':
      return { type: 'text', text: { body: form.body } };
    case 'buttons':
      return {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: form.body },
          action: {
            buttons: form.buttons.map((button) => ({
              type: 'reply',
              reply: { id: button.id.trim(), title: button.title },
            })),
          },
        },
      };
    case 'list':
      return {
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: form.body },
          action: {
            button: form.listButton,
            sections: [
              {
                rows: form.rows.map((row) => ({
                  id: row.id.trim(),
                  title: row.title,
                  ...(row.description.trim() && { description: row.description }),
                })),
              },
            ],
          },
        },
      };
    case 'template':
      return {
        type: 'template',
        template: {
          name: form.templateName.trim(),
          language: { code: form.templateLanguage.trim() },
          ...(form.templateComponents && { components: form.templateComponents }),
        },
      };
    case 'other':
      return form.other ?? { type: 'text', text: { body: '' } };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The form for a message from the API; what it cannot edit becomes `other`, kept as is. */
export function messageFormOf(content: unknown): MessageForm {
  const form = emptyMessage();
  if (!isObject(content)) return form;
  const message = content as OutboundContent;
  if (message.type === 'text' && isObject(message.text)) return { ...form, body: String(message.text.body ?? '') };
  if (message.type === 'template' && isObject(message.template))
    return {
      ...form,
      kind: 'template',
      templateName: String(message.template.name ?? ''),
      templateLanguage: String(message.template.language?.code ?? ''),
      templateComponents: Array.isArray(message.template.components) ? message.template.components : null,
    };
  if (message.type === 'interactive' && isObject(message.interactive) && !message.interactive.header) {
    const interactive = message.interactive;
    if (interactive.type === 'button' && Array.isArray(interactive.action?.buttons) && !interactive.footer)
      return {
        ...form,
        kind: 'buttons',
        body: String(interactive.body?.text ?? ''),
        buttons: interactive.action.buttons.map((button) => ({
          id: String(button.reply?.id ?? ''),
          title: String(button.reply?.title ?? ''),
        })),
      };
    const sections = interactive.type === 'list' ? interactive.action?.sections : undefined;
    if (interactive.type === 'list' && Array.isArray(sections) && sections.length === 1 && !interactive.footer)
      return {
        ...form,
        kind: 'list',
        body: String(interactive.body?.text ?? ''),
        listButton: String(interactive.action.button ?? ''),
        rows: (sections[0]?.rows ?? []).map((row) => ({
          id: String(row.id ?? ''),
          title: String(row.title ?? ''),
          description: String(row.description ?? ''),
        })),
      };
  }
  return { ...form, kind: 'other', other: message };
}

const quote = (text: string, max = 60) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}”`;
};

/** A message in a few words, for lists and the flow's step list. */
export function messageSummary(content: unknown): string {
  const form = messageFormOf(content);
  switch (form.kind) {
    case 'text':
      return form.body.trim() ? quote(form.body) : 'an empty message';
    case 'buttons':
      return `${quote(form.body, 40)} with ${form.buttons.length === 1 ? 'a button' : 'buttons'} ${form.buttons
        .map((button) => button.title)
        .join(', ')}`;
    case 'list':
      return `${quote(form.body, 40)} with a list of ${form.rows.length} ${form.rows.length === 1 ? 'option' : 'options'}`;
    case 'template':
      return `the template ${form.templateName || '(none chosen)'}${form.templateLanguage ? ` (${form.templateLanguage})` : ''}`;
    case 'other':
      return `a ${String(form.other?.type ?? 'message')} message`;
  }
}

/** The fields (relative to the message) the editor shows beside their inputs, for the form's kind. */
export function shownMessageFields(form: MessageForm): string[] {
  switch (form.kind) {
    case 'text':
      return ['text', 'text.body'];
    case 'buttons':
      return [
        'interactive.body.text',
        'interactive.action.buttons',
        ...form.buttons.flatMap((_, i) => [
          `interactive.action.buttons[${i}].reply.id`,
          `interactive.action.buttons[${i}].reply.title`,
        ]),
      ];
    case 'list':
      return [
        'interactive.body.text',
        'interactive.action.button',
        'interactive.action.sections',
        'interactive.action.sections[0].rows',
        ...form.rows.flatMap((_, i) =>
          ['id', 'title', 'description'].map((part) => `interactive.action.sections[0].rows[${i}].${part}`),
        ),
      ];
    case 'template':
      return ['template.name', 'template.language.code'];
    case 'other':
      return [];
  }
}
