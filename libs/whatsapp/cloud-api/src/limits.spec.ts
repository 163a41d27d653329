import { mediaKindOf, mediaProblem, outboundProblems } from './limits';
import type { OutboundContent } from './types/send';

const fields = (content: unknown) => outboundProblems(content as OutboundContent).map((p) => p.field);

describe('outboundProblems', () => {
  it('accepts well-formed messages of every type', () => {
    const good: OutboundContent[] = [
      { type: 'text', text: { body: 'Hello' } },
      { type: 'image', image: { link: 'https://example.com/a.jpg', caption: 'A' } },
      { type: 'document', document: { id: 'media-1', filename: 'invoice.pdf' } },
      { type: 'audio', audio: { id: 'media-2', voice: true } },
      { type: 'sticker', sticker: { id: 'media-3' } },
      { type: 'location', location: { latitude: '37.44', longitude: -122.16, name: 'HQ' } },
      { type: 'contacts', contacts: [{ name: { formatted_name: 'Ana Lima' }, phones: [{ phone: '+55 11 9999' }] }] },
      { type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' } },
      { type: 'template', template: { name: 'order_confirmation', language: { code: 'en_US' } } },
      {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Pick' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'a', title: 'A' } },
              { type: 'reply', reply: { id: 'b', title: 'B' } },
            ],
          },
        },
      },
      {
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Menu' },
          action: { button: 'Open', sections: [{ rows: [{ id: 'r1', title: 'One', description: 'first' }] }] },
        },
      },
      {
        type: 'interactive',
        interactive: {
          type: 'cta_url',
          body: { text: 'Track' },
          action: { name: 'cta_url', parameters: { display_text: 'Open', url: 'https://t.example' } },
        },
      },
    ];
    for (const content of good)
      expect({ type: content.type, problems: outboundProblems(content) }).toEqual({ type: content.type, problems: [] });
  });

  it('enforces text and caption lengths', () => {
    expect(fields({ type: 'text', text: { body: 'x'.repeat(4097) } })).toEqual(['text.body']);
    expect(fields({ type: 'text', text: { body: '   ' } })).toEqual(['text.body']);
    expect(fields({ type: 'text', text: { body: '😀'.repeat(4096) } })).toEqual([]);
    expect(fields({ type: 'image', image: { id: 'm', caption: 'x'.repeat(1025) } })).toEqual(['image.caption']);
  });

  it('wants exactly one of id or link for media, and a real URL', () => {
    expect(fields({ type: 'image', image: {} })).toEqual(['image']);
    expect(fields({ type: 'video', video: { id: 'm', link: 'https://x' } })).toEqual(['video']);
    expect(fields({ type: 'document', document: { link: 'ftp://x/y.pdf' } })).toEqual(['document.link']);
  });

  it('enforces the reply-button rules: 1 to 3, titles ≤20 and unique', () => {
    const buttons = (titles: string[]) => ({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Pick' },
        action: { buttons: titles.map((title, i) => ({ type: 'reply', reply: { id: `id${i}`, title } })) },
      },
    });
    expect(fields(buttons(['A', 'B', 'C', 'D']))).toEqual(['interactive.action.buttons']);
    expect(fields(buttons(['A'.repeat(21)]))).toEqual(['interactive.action.buttons[0].reply.title']);
    expect(fields(buttons(['Same', 'Same']))).toEqual(['interactive.action.buttons[].reply.title']);
  });

  it('enforces the list rules: ≤10 rows in all, titles ≤24, text-only header', () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));
    const list = (sections: unknown[], header?: unknown) => ({
      type: 'interactive',
      interactive: { type: 'list', header, body: { text: 'Menu' }, action: { button: 'Open', sections } },
    });
    expect(
      fields(
        list([
          { title: 'A', rows: rows(6) },
          { title: 'B', rows: rows(5).map((r) => ({ ...r, id: `b${r.id}` })) },
        ]),
      ),
    ).toEqual(['interactive.action.sections']);
    expect(fields(list([{ rows: [{ id: 'r', title: 'x'.repeat(25) }] }]))).toEqual([
      'interactive.action.sections[0].rows[0].title',
    ]);
    expect(fields(list([{ rows: rows(1) }, { rows: [{ id: 'z', title: 'Z' }] }]))).toEqual([
      'interactive.action.sections[0].title',
      'interactive.action.sections[1].title',
    ]);
    expect(fields(list([{ rows: rows(1) }], { type: 'image', image: { id: 'm' } }))).toEqual([
      'interactive.header.type',
    ]);
  });

  it('checks CTA URLs, locations, contacts, reactions, templates and unknown types', () => {
    expect(
      fields({
        type: 'interactive',
        interactive: {
          type: 'cta_url',
          body: { text: 'x' },
          action: { name: 'cta_url', parameters: { display_text: 'Go', url: 'javascript:alert(1)' } },
        },
      }),
    ).toEqual(['interactive.action.parameters.url']);
    expect(fields({ type: 'location', location: { latitude: 91, longitude: 'east' } })).toEqual([
      'location.latitude',
      'location.longitude',
    ]);
    expect(fields({ type: 'contacts', contacts: [] })).toEqual(['contacts']);
    expect(fields({ type: 'reaction', reaction: { emoji: '👍' } })).toEqual(['reaction.message_id']);
    expect(fields({ type: 'template', template: { name: 'Order Confirmation', language: { code: 'en' } } })).toEqual([
      'template.name',
    ]);
    expect(fields({ type: 'poll' })).toEqual(['type']);
  });

  it('names what is not the shape Meta expects instead of failing on it', () => {
    expect(fields({ type: 'text', text: 'hello' })).toEqual(['text']);
    expect(fields({ type: 'contacts', contacts: { name: 'x' } })).toEqual(['contacts']);
    expect(fields({ type: 'image', image: { id: 42 } })).toEqual(['image.id']);
    expect(fields({ type: 'document', document: { id: 'm', filename: 123 } })).toEqual(['document.filename']);
    expect(fields({ type: 'location', location: { latitude: 1, longitude: 2, name: ['x'] } })).toEqual([
      'location.name',
    ]);
    const template = (components: unknown) => ({
      type: 'template',
      template: { name: 'order_update', language: { code: 'en_US' }, components },
    });
    expect(fields(template('abc'))).toEqual(['template.components']);
    expect(fields(template([null, { type: 'footer' }]))).toEqual([
      'template.components[0]',
      'template.components[1].type',
    ]);
    expect(fields(template([{ type: 'body', parameters: ['x', { type: 'text' }, { type: 'magic' }] }]))).toEqual([
      'template.components[0].parameters[0]',
      'template.components[0].parameters[1].text',
      'template.components[0].parameters[2].type',
    ]);
    expect(
      fields(
        template([{ type: 'button', sub_type: 'url', index: 'first', parameters: [{ type: 'text', text: '1' }] }]),
      ),
    ).toEqual(['template.components[0].index']);
    expect(fields(template([{ type: 'body', parameters: [{ type: 'currency', currency: { code: 'USD' } }] }]))).toEqual(
      ['template.components[0].parameters[0].currency.fallback_value'],
    );
    expect(
      fields({
        type: 'interactive',
        interactive: { type: 'list', body: { text: 'Pick' }, action: { button: 'Menu', sections: [{ rows: 'abc' }] } },
      }),
    ).toEqual(['interactive.action.sections[0].rows']);
  });
});

describe('media limits', () => {
  it('knows which MIME types are which kind', () => {
    expect(mediaKindOf('image/jpeg')).toBe('image');
    expect(mediaKindOf('audio/ogg; codecs=opus')).toBe('audio');
    expect(mediaKindOf('image/webp')).toBe('sticker');
    expect(mediaKindOf('image/gif')).toBeNull();
  });

  it('refuses the wrong type and oversize files', () => {
    expect(mediaProblem('image', 'image/png', 5 * 1024 * 1024)).toBeNull();
    expect(mediaProblem('image', 'image/png', 5 * 1024 * 1024 + 1)).toContain('at most 5120 KB');
    expect(mediaProblem('image', 'image/gif', 10)).toContain('must be one of image/jpeg, image/png');
    expect(mediaProblem('sticker', 'image/webp', 600 * 1024)).toContain('at most 500 KB');
  });
});
