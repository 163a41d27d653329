import type { Interactive, MediaRef, OutboundContent } from './types/send';
import type { MediaType } from './types/webhook';

/** A problem with an outgoing message, naming the field as in Meta's body (`interactive.action.buttons[1].reply.title`). */
export interface MessageProblem {
  field: string;
  message: string;
}

/** Media Meta accepts, per kind (CLOUD-API.md §5.5). */
export const MEDIA_LIMITS: Readonly<Record<MediaType, { mimeTypes: readonly string[]; maxBytes: number }>> = {
  audio: { mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], maxBytes: 16 * 1024 * 1024 },
  document: {
    mimeTypes: [
      'text/plain',
      'application/pdf',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * 1024 * 1024,
  },
  image: { mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * 1024 * 1024 },
  sticker: { mimeTypes: ['image/webp'], maxBytes: 500 * 1024 },
  video: { mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * 1024 * 1024 },
};

/** The kind of media a MIME type can be sent as, or null. `audio/ogg; codecs=opus` counts as audio/ogg. */
export function mediaKindOf(mimeType: string): MediaType | null {
  const base = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  const kind = (Object.keys(MEDIA_LIMITS) as MediaType[]).find((k) => MEDIA_LIMITS[k].mimeTypes.includes(base));
  return kind ?? null;
}

/** Why a file can't be sent as `kind` (wrong type, too large), or null when it can. */
export function mediaProblem(kind: MediaType, mimeType: string, bytes: number): string | null {
  const limits = MEDIA_LIMITS[kind];
  const base = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!limits.mimeTypes.includes(base))
    return `${kind} must be one of ${limits.mimeTypes.join(', ')} (got ${mimeType})`;
  if (bytes > limits.maxBytes)
    return `${kind} must be at most ${Math.round(limits.maxBytes / 1024)} KB (got ${Math.ceil(bytes / 1024)} KB)`;
  return null;
}

/** Every message type the Send API takes, as `type` and the key of its object. */
export const SENDABLE_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'interactive',
  'template',
] as const satisfies readonly OutboundContent['type'][];
export type SendableType = (typeof SENDABLE_TYPES)[number];
const SENDABLE = new Set<string>(SENDABLE_TYPES);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class Checker {
  readonly problems: MessageProblem[] = [];

  text(field: string, value: unknown, max: number, required = true): void {
    if (value === undefined || value === null) {
      if (required) this.problems.push({ field, message: `${field} is required` });
      return;
    }
    if (typeof value !== 'string' || (required && value.trim() === ''))
      this.problems.push({ field, message: `${field} must be a non-empty string` });
    else if ([...value].length > max)
      this.problems.push({ field, message: `${field} must be at most ${max} characters` });
  }

  count(field: string, items: unknown, min: number, max: number): items is unknown[] {
    if (!Array.isArray(items) || items.length < min || items.length > max) {
      this.problems.push({ field, message: `${field} must have ${min === max ? min : `${min} to ${max}`} items` });
      return false;
    }
    return true;
  }

  media(field: string, ref: Partial<MediaRef> | undefined): void {
    if (!isObject(ref) || (ref.id === undefined) === (ref.link === undefined)) {
      this.problems.push({ field, message: `${field} needs exactly one of id (uploaded media) or link` });
    } else if (ref.link !== undefined && !(typeof ref.link === 'string' && /^https?:\/\/\S+$/.test(ref.link))) {
      this.problems.push({ field: `${field}.link`, message: `${field}.link must be an http(s) URL` });
    } else if (ref.id !== undefined) {
      this.text(`${field}.id`, ref.id, 256);
    }
  }

  /** An object where one is needed; false (with the problem recorded) otherwise. */
  object(field: string, value: unknown): value is Record<string, unknown> {
    if (isObject(value)) return true;
    this.problems.push({ field, message: `${field} must be an object` });
    return false;
  }

  header(field: string, header: unknown): void {
    if (header === undefined) return;
    const h = header as { type?: string; text?: string } & Record<string, Partial<MediaRef>>;
    if (h.type === 'text') this.text(`${field}.text`, h.text, 60);
    else if (h.type === 'image' || h.type === 'video' || h.type === 'document')
      this.media(`${field}.${h.type}`, h[h.type]);
    else
      this.problems.push({ field: `${field}.type`, message: `${field}.type must be text, image, video or document` });
  }

  unique(field: string, values: string[]): void {
    if (new Set(values).size !== values.length) this.problems.push({ field, message: `${field} must be unique` });
  }
}

/**
 * Checks a message against Meta's limits (CLOUD-API.md §3.2, §5.6) before it is queued, so a
 * mistake is a clear 4xx now instead of a failed status later. Empty when the message is fine.
 */
export function outboundProblems(content: OutboundContent): MessageProblem[] {
  const check = new Checker();
  const own = (content as unknown as Record<string, unknown>)[content.type];
  if (!SENDABLE.has(content.type)) {
    return [{ field: 'type', message: `type ${String(content.type)} cannot be sent` }];
  }
  if (content.type === 'contacts' ? !Array.isArray(own) : !isObject(own)) {
    return [
      {
        field: content.type,
        message: `${content.type} must be ${content.type === 'contacts' ? 'a list' : 'an object'}`,
      },
    ];
  }
  switch (content.type) {
    case 'text':
      check.text('text.body', content.text?.body, 4096);
      break;
    case 'image':
    case 'video':
    case 'document': {
      const media = (content as unknown as Record<string, (Partial<MediaRef> & { caption?: string }) | undefined>)[
        content.type
      ];
      check.media(content.type, media);
      check.text(`${content.type}.caption`, media?.caption, 1024, false);
      if (content.type === 'document')
        check.text('document.filename', (media as { filename?: unknown } | undefined)?.filename, 240, false);
      break;
    }
    case 'audio':
    case 'sticker':
      check.media(content.type, (content as unknown as Record<string, Partial<MediaRef> | undefined>)[content.type]);
      break;
    case 'location': {
      const { latitude, longitude } = content.location ?? ({} as { latitude?: unknown; longitude?: unknown });
      if (!(Math.abs(Number(latitude)) <= 90) || latitude === '')
        check.problems.push({ field: 'location.latitude', message: 'location.latitude must be between -90 and 90' });
      if (!(Math.abs(Number(longitude)) <= 180) || longitude === '')
        check.problems.push({
          field: 'location.longitude',
          message: 'location.longitude must be between -180 and 180',
        });
      check.text('location.name', content.location.name, 1000, false);
      check.text('location.address', content.location.address, 1000, false);
      break;
    }
    case 'contacts':
      if (check.count('contacts', content.contacts, 1, 257)) {
        content.contacts.forEach((card, i) =>
          check.text(`contacts[${i}].name.formatted_name`, card?.name?.formatted_name, 1024),
        );
      }
      break;
    case 'reaction':
      check.text('reaction.message_id', content.reaction?.message_id, 256);
      check.text('reaction.emoji', content.reaction?.emoji, 8, false);
      break;
    case 'template':
      if (!/^[a-z0-9_]{1,512}$/.test(content.template?.name ?? '')) {
        check.problems.push({
          field: 'template.name',
          message: 'template.name must be lowercase letters, digits and underscores',
        });
      }
      check.text('template.language.code', content.template?.language?.code, 15);
      templateComponentProblems(check, content.template.components);
      break;
    case 'interactive':
      interactiveProblems(check, content.interactive);
      break;
  }
  return check.problems;
}

/** The shape of a template send's components: what the parameter checks against the definition rely on. */
function templateComponentProblems(check: Checker, components: unknown): void {
  if (components === undefined) return;
  if (!Array.isArray(components)) {
    check.problems.push({ field: 'template.components', message: 'template.components must be a list' });
    return;
  }
  components.forEach((component: unknown, i) => {
    const at = `template.components[${i}]`;
    if (!check.object(at, component)) return;
    if (!['header', 'body', 'button'].includes(String(component['type'])))
      check.problems.push({ field: `${at}.type`, message: `${at}.type must be header, body or button` });
    if (component['type'] === 'button') {
      if (!['quick_reply', 'url', 'copy_code', 'flow'].includes(String(component['sub_type'])))
        check.problems.push({
          field: `${at}.sub_type`,
          message: `${at}.sub_type must be quick_reply, url, copy_code or flow`,
        });
      if (!/^\d{1,2}$/.test(String(component['index'])))
        check.problems.push({ field: `${at}.index`, message: `${at}.index must be the button's position (0-9)` });
    }
    const parameters = component['parameters'];
    if (parameters === undefined) return;
    if (!Array.isArray(parameters)) {
      check.problems.push({ field: `${at}.parameters`, message: `${at}.parameters must be a list` });
      return;
    }
    parameters.forEach((parameter: unknown, j) => {
      const p = `${at}.parameters[${j}]`;
      if (!check.object(p, parameter)) return;
      const type = parameter['type'];
      if (typeof type !== 'string' || !(type in PARAMETER_VALUE)) {
        check.problems.push({
          field: `${p}.type`,
          message: `${p}.type must be one of ${Object.keys(PARAMETER_VALUE).join(', ')}`,
        });
        return;
      }
      const value = parameter[type];
      if (PARAMETER_VALUE[type] === 'string') check.text(`${p}.${type}`, value, 32_768);
      else if (type === 'image' || type === 'video' || type === 'document')
        check.media(`${p}.${type}`, value as Partial<MediaRef>);
      else if (check.object(`${p}.${type}`, value) && (type === 'currency' || type === 'date_time'))
        check.text(`${p}.${type}.fallback_value`, value['fallback_value'], 1024);
      if (parameter['parameter_name'] !== undefined) check.text(`${p}.parameter_name`, parameter['parameter_name'], 64);
    });
  });
}

/** What each template parameter type carries under its own key: a string, or an object. */
const PARAMETER_VALUE: Record<string, 'string' | 'object'> = {
  text: 'string',
  payload: 'string',
  coupon_code: 'string',
  currency: 'object',
  date_time: 'object',
  image: 'object',
  video: 'object',
  document: 'object',
  location: 'object',
  action: 'object',
};

function interactiveProblems(check: Checker, interactive: Interactive | undefined): void {
  if (!interactive) {
    check.problems.push({ field: 'interactive', message: 'interactive is required' });
    return;
  }
  check.header('interactive.header', interactive.header);
  check.text('interactive.footer.text', interactive.footer?.text, 60, false);
  switch (interactive.type) {
    case 'button': {
      check.text('interactive.body.text', interactive.body?.text, 1024);
      const buttons = interactive.action?.buttons;
      if (check.count('interactive.action.buttons', buttons, 1, 3)) {
        buttons.forEach((button, i) => {
          check.text(`interactive.action.buttons[${i}].reply.id`, button?.reply?.id, 256);
          check.text(`interactive.action.buttons[${i}].reply.title`, button?.reply?.title, 20);
        });
        check.unique(
          'interactive.action.buttons[].reply.id',
          buttons.map((b) => b?.reply?.id ?? ''),
        );
        check.unique(
          'interactive.action.buttons[].reply.title',
          buttons.map((b) => b?.reply?.title ?? ''),
        );
      }
      break;
    }
    case 'list': {
      check.text('interactive.body.text', interactive.body?.text, 4096);
      if (interactive.header && interactive.header.type !== 'text') {
        check.problems.push({ field: 'interactive.header.type', message: 'a list header can only be text' });
      }
      check.text('interactive.action.button', interactive.action?.button, 20);
      const sections = interactive.action?.sections;
      if (check.count('interactive.action.sections', sections, 1, 10)) {
        const rows = sections.flatMap((section, i) => {
          check.text(`interactive.action.sections[${i}].title`, section?.title, 24, sections.length > 1);
          check.count(`interactive.action.sections[${i}].rows`, section?.rows, 1, 10);
          return (Array.isArray(section?.rows) ? section.rows : []).map((row, j) => {
            const at = `interactive.action.sections[${i}].rows[${j}]`;
            check.text(`${at}.id`, row?.id, 200);
            check.text(`${at}.title`, row?.title, 24);
            check.text(`${at}.description`, row?.description, 72, false);
            return row?.id ?? '';
          });
        });
        if (rows.length > 10)
          check.problems.push({ field: 'interactive.action.sections', message: 'a list has at most 10 rows in all' });
        check.unique('interactive.action.sections[].rows[].id', rows);
      }
      break;
    }
    case 'cta_url':
      check.text('interactive.body.text', interactive.body?.text, 1024);
      check.text('interactive.action.parameters.display_text', interactive.action?.parameters?.display_text, 20);
      if (!/^https?:\/\/\S+$/.test(interactive.action?.parameters?.url ?? '')) {
        check.problems.push({
          field: 'interactive.action.parameters.url',
          message: 'interactive.action.parameters.url must be an http(s) URL',
        });
      }
      break;
    default:
      check.problems.push({ field: 'interactive.type', message: 'interactive.type must be button, list or cta_url' });
  }
}
