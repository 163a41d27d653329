import { parseConversationRef, parseOrgRef, parsePresence, parseTyping } from './realtime.protocol';

const id = '0b7e2f4e-3c1a-4d52-9a57-2f8d6b1c9e10';

describe('client payloads', () => {
  it('accept exactly the documented shapes', () => {
    expect(parseOrgRef({ orgId: id })).toEqual({ value: { orgId: id } });
    expect(parseConversationRef({ conversationId: id })).toEqual({ value: { conversationId: id } });
    expect(parseTyping({ conversationId: id, typing: false })).toEqual({
      value: { conversationId: id, typing: false },
    });
    expect(parsePresence({ status: 'away' })).toEqual({ value: { status: 'away' } });
  });

  it.each([undefined, null, 'x', 42, [], [{ orgId: id }], { orgId: 'nope' }, { orgId: id, extra: 1 }, {}])(
    'refuse %p as an org reference',
    (body) => expect(parseOrgRef(body)).toHaveProperty('error'),
  );

  it('refuse typing without a real boolean and presence other than online or away', () => {
    expect(parseTyping({ conversationId: id, typing: 'true' })).toHaveProperty('error');
    expect(parseTyping({ conversationId: id })).toHaveProperty('error');
    expect(parsePresence({ status: 'offline' })).toHaveProperty('error');
    expect(parsePresence({ status: 'online', orgId: id })).toHaveProperty('error');
  });
});
