import {
  attributesProblem,
  CONTACT_LIMITS,
  mergeAttributes,
  normalizeTags,
  parseOptIn,
  splitTagList,
  tagsProblem,
} from './contact-fields';

describe('tags', () => {
  it('are trimmed, lower-cased, inner spaces collapsed and deduplicated in first-seen order', () => {
    expect(normalizeTags([' VIP ', 'Gold  Member', 'vip', 'gold member', 'new'])).toEqual([
      'vip',
      'gold member',
      'new',
    ]);
  });

  it('split on ; | and , with empty pieces dropped', () => {
    expect(splitTagList('vip; gold|new,, ;')).toEqual(['vip', 'gold', 'new']);
    expect(splitTagList('   ')).toEqual([]);
  });

  it('are refused when empty, too long, too many or holding separators', () => {
    expect(tagsProblem(['vip', 'gold'])).toBeNull();
    expect(tagsProblem([''])).toMatch(/empty/);
    expect(tagsProblem(['x'.repeat(CONTACT_LIMITS.tagLength + 1)])).toMatch(/at most 64/);
    expect(tagsProblem(Array.from({ length: CONTACT_LIMITS.tags + 1 }, (_, i) => `t${i}`))).toMatch(/at most 50/);
    expect(tagsProblem(['a;b'])).toMatch(/must not contain/);
    expect(tagsProblem(['a\nb'])).toMatch(/must not contain/);
  });
});

describe('attributes', () => {
  it('accept a flat object of strings, finite numbers, booleans and nulls', () => {
    expect(attributesProblem({ tier: 'gold', points: 1200, vip: true, city: null })).toBeNull();
  });

  it.each([
    [null, /must be an object/],
    [['a'], /must be an object/],
    [{ 'bad key': 1 }, /attributes key "bad key"/],
    [{ _private: 1 }, /attributes key "_private"/],
    [{ nested: { a: 1 } }, /attributes.nested must be a string, number, boolean or null/],
    [{ list: [1] }, /attributes.list must be/],
    [{ big: Number.POSITIVE_INFINITY }, /attributes.big must be/],
    [{ long: 'x'.repeat(CONTACT_LIMITS.attributeValueLength + 1) }, /attributes.long must be at most 1000/],
    [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])), /at most 50 keys/],
  ])('refuse %j', (value, message) => {
    expect(attributesProblem(value)).toMatch(message);
  });

  it('merge over the stored ones, a null removing its key', () => {
    expect(mergeAttributes({ tier: 'silver', city: 'Recife' }, { tier: 'gold', city: null, points: 3 })).toEqual({
      tier: 'gold',
      points: 3,
    });
  });
});

describe('parseOptIn', () => {
  it.each([
    ['yes', 'opted_in'],
    ['Y', 'opted_in'],
    ['TRUE', 'opted_in'],
    ['1', 'opted_in'],
    ['opted_in', 'opted_in'],
    ['Opted-In', 'opted_in'],
    ['opt in', 'opted_in'],
    ['subscribed', 'opted_in'],
    ['no', 'opted_out'],
    ['0', 'opted_out'],
    ['OPTED_OUT', 'opted_out'],
    ['unsubscribed', 'opted_out'],
    ['unknown', 'unknown'],
  ])('reads %s as %s', (text, status) => {
    expect(parseOptIn(text)).toBe(status);
  });

  it.each(['maybe', 'constructor', '2', 'yes please'])('says null for %s', (text) => {
    expect(parseOptIn(text)).toBeNull();
  });
});
