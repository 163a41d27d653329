import type { MediaRef, MediaType, OutboundContent } from '@parley/whatsapp/cloud-api';

/** A media reference inside an outbound message, with where it is (Meta's field path) and the kind it must be. */
export interface MediaRefAt {
  field: string;
  ref: MediaRef;
  kind: MediaType;
}

const MEDIA_KINDS = new Set<string>(['image', 'video', 'audio', 'document', 'sticker']);

/**
 * Every media reference of a message: the message's own file, a template's media header
 * parameter, an interactive message's media header. The objects are the message's own, so a
 * caller may rewrite `ref.id` in place (our media id → Meta's).
 */
export function mediaRefsOf(content: OutboundContent): MediaRefAt[] {
  const refs: MediaRefAt[] = [];
  const add = (field: string, kind: string, holder: Record<string, unknown> | undefined) => {
    const ref = holder?.[kind];
    if (MEDIA_KINDS.has(kind) && ref && typeof ref === 'object')
      refs.push({ field, ref: ref as MediaRef, kind: kind as MediaType });
  };
  if (MEDIA_KINDS.has(content.type)) add(content.type, content.type, content as unknown as Record<string, unknown>);
  if (content.type === 'template') {
    (content.template.components ?? []).forEach((component, i) =>
      (component.parameters ?? []).forEach((parameter, j) =>
        add(
          `template.components[${i}].parameters[${j}].${parameter.type}`,
          parameter.type,
          parameter as unknown as Record<string, unknown>,
        ),
      ),
    );
  }
  if (content.type === 'interactive' && content.interactive.header) {
    const header = content.interactive.header as unknown as Record<string, unknown> & { type: string };
    add(`interactive.header.${header.type}`, header.type, header);
  }
  return refs;
}
