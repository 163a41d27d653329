import { renderTemplate, TemplateDefinition } from './templates';
import type { OutboundContent } from './types/send';

/**
 * How a message the business sends reads in a chat list or on the customer's phone, whatever its
 * type. Templates render with their definition when it is known.
 */
export function describeOutbound(content: OutboundContent, template?: TemplateDefinition | null): string {
  switch (content.type) {
    case 'text':
      return content.text.body;
    case 'template':
      return template ? renderTemplate(template, content.template) : `[Template ${content.template.name}]`;
    case 'interactive':
      return content.interactive.body?.text ?? '[Interactive]';
    case 'image':
      return content.image.caption || '[Photo]';
    case 'video':
      return content.video.caption || '[Video]';
    case 'document':
      return content.document.caption || content.document.filename || '[Document]';
    case 'audio':
      return content.audio.voice ? '[Voice message]' : '[Audio]';
    case 'sticker':
      return '[Sticker]';
    case 'reaction':
      return content.reaction.emoji ? `Reacted ${content.reaction.emoji}` : 'Removed a reaction';
    case 'location': {
      const { name, address, latitude, longitude } = content.location;
      return `[Location] ${[name, address].filter(Boolean).join(', ') || `${latitude}, ${longitude}`}`;
    }
    case 'contacts':
      return `[Contact] ${content.contacts.map((card) => card.name.formatted_name).join(', ')}`;
  }
}
