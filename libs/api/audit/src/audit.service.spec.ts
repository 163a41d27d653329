import { diff } from './audit.service';

describe('diff', () => {
  it('keeps only the fields that changed', () => {
    expect(diff({ name: 'Acme', role: 'agent', tier: 1 }, { name: 'Acme', role: 'admin', tier: undefined })).toEqual({
      before: { role: 'agent' },
      after: { role: 'admin' },
    });
  });

  it('is undefined when nothing changed', () => {
    expect(diff({ name: 'Acme' }, { name: 'Acme' })).toBeUndefined();
    expect(diff({ name: 'Acme' }, {})).toBeUndefined();
  });
});
