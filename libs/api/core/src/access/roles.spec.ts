import { roleAtLeast, roleForScopes, scopeForRole } from './roles';

describe('roles and scopes', () => {
  it('orders roles owner > admin > agent > viewer', () => {
    expect(roleAtLeast('owner', 'admin')).toBe(true);
    expect(roleAtLeast('admin', 'admin')).toBe(true);
    expect(roleAtLeast('agent', 'admin')).toBe(false);
    expect(roleAtLeast('viewer', 'agent')).toBe(false);
  });

  it('gives an API key the role of its strongest scope, never owner', () => {
    expect(roleForScopes(['read'])).toBe('viewer');
    expect(roleForScopes(['read', 'write'])).toBe('agent');
    expect(roleForScopes(['write', 'admin', 'read'])).toBe('admin');
    expect(roleForScopes([])).toBeNull();
  });

  it('names the scope a route needs, and none for owner-only routes', () => {
    expect(scopeForRole('viewer')).toBe('read');
    expect(scopeForRole('admin')).toBe('admin');
    expect(scopeForRole('owner')).toBeNull();
  });
});
