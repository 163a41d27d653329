import { isPhoneCountry, toE164 } from './phone';

describe('toE164', () => {
  it.each([
    ['16505551234', '+16505551234'],
    ['+1 (650) 555-1234', '+16505551234'],
    ['5511987654321', '+5511987654321'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('%s → %s', (input, e164) => {
    expect(toE164(input)).toBe(e164);
  });

  it('uses a default country for national numbers', () => {
    expect(toE164('(11) 98765-4321', 'BR')).toBe('+5511987654321');
    expect(toE164('020 7946 0958', 'GB')).toBe('+442079460958');
  });

  it('falls back to an international reading when the national one is not a number', () => {
    expect(toE164('14155551002', 'BR')).toBe('+14155551002');
    expect(toE164('+14155551002', 'BR')).toBe('+14155551002');
  });

  it('refuses what is not a phone number', () => {
    for (const bad of ['', 'abc', '123', '+1 555', '0000000000000000']) expect(toE164(bad)).toBeNull();
  });
});

describe('isPhoneCountry', () => {
  it('knows ISO codes with a numbering plan, in upper case', () => {
    expect(['BR', 'US', 'GB'].map(isPhoneCountry)).toEqual([true, true, true]);
    expect(['br', 'XX', 'BRA', 'AQ'].map(isPhoneCountry)).toEqual([false, false, false, false]);
  });
});
