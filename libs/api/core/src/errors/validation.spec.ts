import { ValidationError } from 'class-validator';
import { findNul, flattenValidationErrors } from './validation';

function error(
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

describe('flattenValidationErrors', () => {
  it('names nested fields with dots and array indexes', () => {
    const errors = [
      error('email', { isEmail: 'email must be an email' }),
      error('phones', undefined, [error('0', undefined, [error('number', { matches: 'number is wrong' })])]),
      error('isAdmin', { whitelistValidation: 'property isAdmin should not exist' }),
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'email', message: 'email must be an email' },
      { field: 'phones[0].number', message: 'number is wrong' },
      { field: 'isAdmin', message: 'isAdmin is not allowed' },
    ]);
  });
});

describe('findNul', () => {
  it('finds a NUL character anywhere in the input and names where', () => {
    expect(findNul({ name: 'fine', tags: ['ok', 'b\u0000ad'] })).toBe('tags[1]');
    expect(findNul({ a: { b: 'x\u0000' } })).toBe('a.b');
    expect(findNul({ name: 'fine', n: 1, nothing: null })).toBeNull();
  });
});
