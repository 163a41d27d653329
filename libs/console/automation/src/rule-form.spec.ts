import type { AutomationRuleDto } from '@parley/console/api-client';
import { emptyMessage, messageFormOf, messageOf, withKind } from './message';
import {
  actionFormOf,
  actionOf,
  cooldownOf,
  emptyAction,
  emptyRule,
  moved,
  ruleBodyOf,
  ruleFormOf,
  secondsOf,
  triggerOf,
  emptyTrigger,
  withConditionType,
  emptyCondition,
} from './rule-form';

/** A rule as the API answers it: the starter bot's greeting, with a condition and a cooldown. */
const greeting: AutomationRuleDto = {
  id: '7d1f0c1e-2b7a-4f0e-9a44-0d3b8b1f0a01',
  name: 'Starter bot: greeting menu',
  enabled: true,
  position: 1,
  preset: 'starter_bot',
  trigger: { type: 'new_conversation' },
  conditions: [{ type: 'bot', active: true }],
  actions: [
    {
      type: 'reply',
      message: {
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Hi! How can we help?' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'starter_hours', title: 'Opening hours' } },
              { type: 'reply', reply: { id: 'starter_human', title: 'Talk to a human' } },
            ],
          },
        },
      },
    },
    { type: 'set_attributes', attributes: { greeted: true, visits: 3, source: 'bot' } },
    { type: 'assign', mode: 'least_busy' },
  ],
  stopAfterMatch: true,
  cooldownSeconds: 3600,
  createdAt: '2026-05-01T10:00:00.000Z',
  updatedAt: '2026-05-01T10:00:00.000Z',
};

describe('the rule form and the API', () => {
  it('reads a rule and writes it back unchanged', () => {
    const form = ruleFormOf(greeting);
    expect(form.cooldown).toEqual({ amount: 1, unit: 'hours' });
    expect(form.actions[0]?.message.kind).toBe('buttons');
    expect(form.actions[0]?.message.buttons).toEqual([
      { id: 'starter_hours', title: 'Opening hours' },
      { id: 'starter_human', title: 'Talk to a human' },
    ]);
    const { id: _id, position: _p, preset: _preset, createdAt: _c, updatedAt: _u, ...definition } = greeting;
    expect(ruleBodyOf(form)).toEqual(definition);
  });

  it('keeps attribute values that are not text, unless they were edited', () => {
    const form = actionFormOf({ type: 'set_attributes', attributes: { visits: 3, vip: true, plan: 'gold' } });
    expect(actionOf(form)).toEqual({ type: 'set_attributes', attributes: { visits: 3, vip: true, plan: 'gold' } });
    const edited = {
      ...form,
      attributes: form.attributes.map((row) => (row.key === 'visits' ? { ...row, value: '4' } : row)),
    };
    expect(actionOf(edited).attributes).toEqual({ visits: '4', vip: true, plan: 'gold' });
  });

  it('sends only the fields of the trigger type chosen', () => {
    const form = { ...emptyTrigger(), keywords: [' pricing ', '', 'price'], pattern: 'x', tag: 'vip' };
    expect(triggerOf(form)).toEqual({ type: 'message', match: 'keyword', keywords: ['pricing', 'price'] });
    expect(triggerOf({ ...form, match: 'regex' })).toEqual({ type: 'message', match: 'regex', pattern: 'x' });
    expect(triggerOf({ ...form, match: 'any' })).toEqual({ type: 'message', match: 'any' });
    expect(triggerOf({ ...form, type: 'contact_tagged' })).toEqual({ type: 'contact_tagged', tag: 'vip' });
    expect(triggerOf({ ...form, type: 'conversation_idle', minutes: 45 })).toEqual({
      type: 'conversation_idle',
      minutes: 45,
    });
    expect(triggerOf({ ...form, type: 'outside_business_hours' })).toEqual({ type: 'outside_business_hours' });
  });

  it('builds a new keyword rule as the e2e test does', () => {
    const rule = emptyRule();
    rule.name = ' Pricing ';
    rule.trigger.keywords = ['pricing'];
    rule.actions[0] = { ...emptyAction(), message: { ...emptyMessage(), body: 'Our prices start at 10 EUR' } };
    expect(ruleBodyOf(rule)).toEqual({
      name: 'Pricing',
      enabled: true,
      stopAfterMatch: true,
      cooldownSeconds: 0,
      trigger: { type: 'message', match: 'keyword', keywords: ['pricing'] },
      conditions: [],
      actions: [{ type: 'reply', message: { type: 'text', text: { body: 'Our prices start at 10 EUR' } } }],
    });
  });

  it('writes each assign mode with its members', () => {
    const assign = { ...emptyAction('assign'), userIds: ['a', 'b'] };
    expect(actionOf({ ...assign, mode: 'user' })).toEqual({ type: 'assign', mode: 'user', userIds: ['a'] });
    expect(actionOf({ ...assign, mode: 'round_robin' })).toEqual({
      type: 'assign',
      mode: 'round_robin',
      userIds: ['a', 'b'],
    });
    expect(actionOf({ ...assign, mode: 'least_busy' })).toEqual({ type: 'assign', mode: 'least_busy' });
    expect(actionOf({ ...emptyAction('handoff'), text: '  ' })).toEqual({ type: 'handoff' });
  });

  it('keeps a condition’s operator sensible when its type changes', () => {
    const tag = emptyCondition('tag');
    expect(withConditionType(tag, 'attribute').op).toBe('eq');
    expect(withConditionType({ ...emptyCondition('attribute'), op: 'contains' }, 'attribute').op).toBe('contains');
    expect(withConditionType({ ...emptyCondition('attribute'), op: 'exists' }, 'tag').op).toBe('has');
  });

  it('puts a cooldown in the largest whole unit, and back in seconds', () => {
    expect(cooldownOf(0)).toEqual({ amount: 0, unit: 'minutes' });
    expect(cooldownOf(90)).toEqual({ amount: 90, unit: 'seconds' });
    expect(cooldownOf(600)).toEqual({ amount: 10, unit: 'minutes' });
    expect(cooldownOf(172_800)).toEqual({ amount: 2, unit: 'days' });
    expect(secondsOf({ amount: 2, unit: 'hours' })).toBe(7200);
    expect(secondsOf({ amount: Number.NaN, unit: 'hours' })).toBe(0);
  });

  it('moves a row up or down, and not past either end', () => {
    expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
  });
});

describe('a message in the editor and the API', () => {
  it('reads text, buttons, a list and a template, and writes each back', () => {
    const samples = [
      { type: 'text', text: { body: 'Hello' } },
      {
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Pick one' },
          action: {
            button: 'Choose',
            sections: [
              {
                rows: [
                  { id: 'a', title: 'A' },
                  { id: 'b', title: 'B', description: 'the second' },
                ],
              },
            ],
          },
        },
      },
      { type: 'template', template: { name: 'order_update', language: { code: 'pt_BR' } } },
    ] as const;
    for (const sample of samples) expect(messageOf(messageFormOf(sample))).toEqual(sample);
  });

  it('keeps what it cannot edit as it came', () => {
    const photo = { type: 'image', image: { link: 'https://example.com/a.png', caption: 'Hi' } };
    const form = messageFormOf(photo);
    expect(form.kind).toBe('other');
    expect(messageOf(form)).toEqual(photo);
  });

  it('keeps the text when it becomes buttons', () => {
    const form = withKind({ ...emptyMessage(), body: 'Need help?' }, 'buttons');
    expect(messageOf(form)).toEqual({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Need help?' },
        action: { buttons: [{ type: 'reply', reply: { id: 'option_1', title: '' } }] },
      },
    });
  });
});
