import { actionSummary, conditionSummary, cooldownSummary, minutesInWords, triggerSummary } from './summary';

describe('a rule in words', () => {
  it('says what starts it', () => {
    expect(triggerSummary({ type: 'message', match: 'any' })).toBe('Any message from a customer');
    expect(triggerSummary({ type: 'message' })).toBe('Any message from a customer');
    expect(triggerSummary({ type: 'message', match: 'keyword', keywords: ['pricing'] })).toBe(
      'A message with “pricing”',
    );
    expect(triggerSummary({ type: 'message', match: 'keyword', keywords: ['price', 'how much', 'cost'] })).toBe(
      'A message with “price”, “how much” or “cost”',
    );
    expect(triggerSummary({ type: 'message', match: 'regex', pattern: '^order #?\\d+' })).toBe(
      'A message matching /^order #?\\d+/',
    );
    expect(triggerSummary({ type: 'new_conversation' })).toBe('A new conversation starts');
    expect(triggerSummary({ type: 'interactive_reply', replyIds: ['starter_hours'] })).toBe(
      'A customer taps the option starter_hours',
    );
    expect(triggerSummary({ type: 'interactive_reply', replyIds: ['a', 'b'] })).toBe(
      'A customer taps an option a or b',
    );
    expect(triggerSummary({ type: 'outside_business_hours' })).toBe('A message arrives outside business hours');
    expect(triggerSummary({ type: 'contact_tagged', tag: 'vip' })).toBe('A contact is tagged “vip”');
    expect(triggerSummary({ type: 'conversation_idle', minutes: 120 })).toBe('A conversation is quiet for 2 hours');
  });

  it('puts minutes in the largest whole unit', () => {
    expect(minutesInWords(1)).toBe('1 minute');
    expect(minutesInWords(90)).toBe('90 minutes');
    expect(minutesInWords(60)).toBe('1 hour');
    expect(minutesInWords(2880)).toBe('2 days');
  });

  it('says what it checks', () => {
    expect(conditionSummary({ type: 'tag', op: 'not_has', tag: 'vip' })).toBe('the contact is not tagged “vip”');
    expect(conditionSummary({ type: 'attribute', op: 'eq', key: 'plan', value: 'gold' })).toBe('plan is “gold”');
    expect(conditionSummary({ type: 'attribute', op: 'exists', key: 'plan' })).toBe('plan is set');
    expect(conditionSummary({ type: 'conversation_status', statuses: ['open', 'pending'] })).toBe(
      'the conversation is open or pending',
    );
    expect(conditionSummary({ type: 'assignee', assignee: 'none' })).toBe('nobody is assigned');
    expect(conditionSummary({ type: 'assignee', assignee: 'u1' }, () => 'Ana')).toBe('Ana is assigned');
    expect(conditionSummary({ type: 'bot', active: false })).toBe('the conversation was handed off');
    expect(conditionSummary({ type: 'time_window', days: ['sat', 'sun'], from: '10:00', to: '14:00' })).toBe(
      'Sat, Sun 10:00–14:00',
    );
  });

  it('says what it does, naming members and flows', () => {
    const names = {
      member: (id: string) => (id === 'u1' ? 'Ana' : 'Bia'),
      flow: () => 'Onboarding',
      webhook: () => 'crm.example.com',
    };
    expect(
      actionSummary({ type: 'reply', message: { type: 'text', text: { body: 'Our prices start at 10 EUR' } } }),
    ).toBe('reply “Our prices start at 10 EUR”');
    expect(
      actionSummary({
        type: 'reply',
        message: {
          type: 'interactive',
          interactive: {
            type: 'button',
            body: { text: 'How can we help?' },
            action: { buttons: [{ type: 'reply', reply: { id: 'h', title: 'Opening hours' } }] },
          },
        },
      }),
    ).toBe('reply “How can we help?” with a button Opening hours');
    expect(actionSummary({ type: 'add_tags', tags: ['lead', 'pricing'] })).toBe('tag lead and pricing');
    expect(actionSummary({ type: 'assign', mode: 'user', userIds: ['u1'] }, names)).toBe('assign Ana');
    expect(actionSummary({ type: 'assign', mode: 'round_robin', userIds: ['u1', 'u2'] }, names)).toBe(
      'assign in turn: Ana and Bia',
    );
    expect(actionSummary({ type: 'assign', mode: 'least_busy' })).toBe('assign the least busy online agent');
    expect(actionSummary({ type: 'enroll_flow', flowId: 'f1' }, names)).toBe('enroll in Onboarding');
    expect(actionSummary({ type: 'call_webhook', subscriptionId: 'w1' }, names)).toBe('call crm.example.com');
    expect(actionSummary({ type: 'call_webhook', subscriptionId: 'w1' })).toBe('call a webhook');
  });

  it('says how often a contact may fire it', () => {
    expect(cooldownSummary(0)).toBe('');
    expect(cooldownSummary(3600)).toBe('at most once an hour per contact');
    expect(cooldownSummary(7200)).toBe('at most once every 2 hours per contact');
    expect(cooldownSummary(86_400)).toBe('at most once a day per contact');
    expect(cooldownSummary(45)).toBe('at most once every 45 seconds per contact');
  });
});
