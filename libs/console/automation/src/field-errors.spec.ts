import { errorAt, errorsUnder, fieldErrorsOf, plainMessage, unclaimed } from './field-errors';

/** A 422's details, as the API writes them for a rule. */
const details = [
  {
    field: 'trigger.keywords',
    message: 'trigger.keywords must list 1 to 100 non-empty values of at most 100 characters',
  },
  { field: 'actions[0].message.text.body', message: 'text.body is required' },
  {
    field: 'actions[1].message.interactive.action.buttons[0].reply.title',
    message: 'interactive.action.buttons[0].reply.title must be at most 20 characters',
  },
  {
    field: 'actions[1].message.interactive.action.buttons[].reply.id',
    message: 'interactive.action.buttons[].reply.id must be unique',
  },
  { field: 'actions', message: 'a rule sends at most 3 messages' },
];

describe('the API’s field errors beside their fields', () => {
  const errors = fieldErrorsOf(details);

  it('drops the path a message starts with, which the field beside it already says', () => {
    expect(errorAt(errors, 'trigger.keywords')).toBe('Must list 1 to 100 non-empty values of at most 100 characters');
    expect(errorAt(errors, 'actions[0].message.text.body')).toBe('Required');
    expect(errorAt(errors, 'name')).toBeNull();
    expect(plainMessage('actions', 'a rule sends at most 3 messages')).toBe('a rule sends at most 3 messages');
  });

  it('names the errors of a row relative to it', () => {
    expect(errorsUnder(errors, 'actions[1]')).toEqual({
      'message.interactive.action.buttons[0].reply.title':
        'interactive.action.buttons[0].reply.title must be at most 20 characters',
      'message.interactive.action.buttons[].reply.id': 'interactive.action.buttons[].reply.id must be unique',
    });
    expect(Object.keys(errorsUnder(errors, 'actions'))).toEqual([
      '[0].message.text.body',
      '[1].message.interactive.action.buttons[0].reply.title',
      '[1].message.interactive.action.buttons[].reply.id',
      '',
    ]);
    expect(errorsUnder(errors, 'actions[1]')).not.toHaveProperty('');
  });

  it('keeps what no field on screen claims, as the API wrote it', () => {
    const message = errorsUnder(errorsUnder(errors, 'actions[1]'), 'message');
    expect(unclaimed(message, ['interactive.action.buttons[0].reply.title'])).toEqual([
      'interactive.action.buttons[].reply.id must be unique',
    ]);
  });

  it('joins two messages about one field', () => {
    expect(
      fieldErrorsOf([
        { field: 'name', message: 'a' },
        { field: 'name', message: 'b' },
      ]),
    ).toEqual({ name: 'a b' });
  });
});
