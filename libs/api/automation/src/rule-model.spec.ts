import { resolveTarget, flowProblems } from './flow-model';
import { conditionHolds, normalizeText, ruleProblems, type Subject, textMatches } from './rule-model';

const subject = (overrides: Partial<Subject> = {}): Subject => ({
  tags: ['vip'],
  attributes: { plan: 'Gold', city: 'São Paulo' },
  status: 'open',
  assigneeId: null,
  botActive: true,
  timezone: 'Europe/Lisbon',
  now: new Date('2026-11-23T10:30:00Z'), // Monday 10:30 in Lisbon
  ...overrides,
});

describe('rule model', () => {
  it('compares text without case, accents or extra spaces', () => {
    expect(normalizeText('  Olá,   MUNDO  ')).toBe('ola, mundo');
  });

  it('matches keywords and phrases as whole words only', () => {
    const trigger = { type: 'message' as const, match: 'keyword' as const, keywords: ['preço', 'how much'] };
    expect(textMatches(trigger, 'Qual o PRECO?')).toBe(true);
    expect(textMatches(trigger, 'How   much is it')).toBe(true);
    expect(textMatches(trigger, 'precocious child')).toBe(false);
    expect(textMatches({ type: 'message', match: 'regex', pattern: '^order #?\\d+' }, 'Order #123 late')).toBe(true);
    expect(textMatches({ type: 'message' }, 'anything')).toBe(true);
  });

  it('checks tags, attributes, assignee, bot state and time windows (overnight too)', () => {
    expect(conditionHolds({ type: 'tag', op: 'has', tag: 'vip' }, subject())).toBe(true);
    expect(conditionHolds({ type: 'tag', op: 'not_has', tag: 'vip' }, subject())).toBe(false);
    expect(conditionHolds({ type: 'attribute', op: 'eq', key: 'plan', value: 'gold' }, subject())).toBe(true);
    expect(conditionHolds({ type: 'attribute', op: 'contains', key: 'city', value: 'sao' }, subject())).toBe(true);
    expect(conditionHolds({ type: 'attribute', op: 'not_exists', key: 'email' }, subject())).toBe(true);
    expect(conditionHolds({ type: 'assignee', assignee: 'none' }, subject())).toBe(true);
    expect(conditionHolds({ type: 'bot', active: false }, subject())).toBe(false);
    const window = { type: 'time_window' as const, days: ['mon' as const], from: '09:00', to: '12:00' };
    expect(conditionHolds(window, subject())).toBe(true);
    expect(conditionHolds({ ...window, days: ['tue'] }, subject())).toBe(false);
    expect(conditionHolds({ type: 'time_window', from: '22:00', to: '11:00' }, subject())).toBe(true);
  });

  it('names each field at fault', () => {
    expect(
      ruleProblems({
        trigger: { type: 'conversation_idle', minutes: 0 },
        conditions: [{ type: 'tag', op: 'eq', tag: 'x' }],
        actions: [{ type: 'call_webhook', subscriptionId: 'https://crm.example.com' }],
      }).map((p) => p.field),
    ).toEqual(['trigger.minutes', 'conditions[0].op', 'actions[0].subscriptionId']);
  });
});

describe('flow model', () => {
  const steps = [
    { id: 'a', type: 'send' as const, message: { type: 'text' as const, text: { body: 'hi' } } },
    { id: 'b', type: 'wait' as const, amount: 91, unit: 'days' as const },
  ];

  it('jumps to the named step, the next one, or past the end', () => {
    expect(resolveTarget(steps, 0, undefined)).toBe(1);
    expect(resolveTarget(steps, 1, 'a')).toBe(0);
    expect(resolveTarget(steps, 0, 'end')).toBe(2);
  });

  it('caps waits at 90 days', () => {
    expect(flowProblems(steps)).toEqual([{ field: 'steps[1].amount', message: 'steps[1] waits at most 90 days' }]);
  });
});
