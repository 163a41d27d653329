import { describeOutbound } from './outbound';

describe('describeOutbound', () => {
  it('reads every type as a chat list would show it', () => {
    expect(describeOutbound({ type: 'text', text: { body: 'On its way!' } })).toBe('On its way!');
    expect(describeOutbound({ type: 'image', image: { id: '1' } })).toBe('[Photo]');
    expect(describeOutbound({ type: 'document', document: { id: '1', filename: 'invoice.pdf' } })).toBe('invoice.pdf');
    expect(describeOutbound({ type: 'audio', audio: { id: '1', voice: true } })).toBe('[Voice message]');
    expect(describeOutbound({ type: 'location', location: { latitude: 1.5, longitude: 2.5 } })).toBe(
      '[Location] 1.5, 2.5',
    );
    expect(describeOutbound({ type: 'reaction', reaction: { message_id: 'wamid.1', emoji: '' } })).toBe(
      'Removed a reaction',
    );
    expect(describeOutbound({ type: 'contacts', contacts: [{ name: { formatted_name: 'Ana Lima' } }] })).toBe(
      '[Contact] Ana Lima',
    );
  });

  it('renders a template with its definition, and names it without one', () => {
    const content = {
      type: 'template' as const,
      template: {
        name: 'welcome',
        language: { code: 'en_US' },
        components: [{ type: 'body' as const, parameters: [{ type: 'text' as const, text: 'Ana' }] }],
      },
    };
    expect(describeOutbound(content, { components: [{ type: 'BODY', text: 'Welcome, {{1}}!' }] })).toBe(
      'Welcome, Ana!',
    );
    expect(describeOutbound(content)).toBe('[Template welcome]');
  });
});
