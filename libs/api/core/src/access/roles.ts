/** Member roles, strongest first. */
export const ROLES = ['owner', 'admin', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { owner: 4, admin: 3, agent: 2, viewer: 1 };

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/** API key scopes. Each implies the ones below it: admin > write > read. */
export const API_KEY_SCOPES = ['read', 'write', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const ROLE_BY_SCOPE: Record<ApiKeyScope, Role> = { read: 'viewer', write: 'agent', admin: 'admin' };

/** The role an API key acts with: its strongest scope's. Keys never act as owner. */
export function roleForScopes(scopes: readonly ApiKeyScope[]): Role | null {
  const roles = scopes.map((scope) => ROLE_BY_SCOPE[scope]);
  return roles.sort((a, b) => RANK[b] - RANK[a])[0] ?? null;
}

/** The scope an API key needs for a route whose minimum role is `role` (none for owner-only routes). */
export function scopeForRole(role: Role): ApiKeyScope | null {
  const entry = Object.entries(ROLE_BY_SCOPE).find(([, r]) => r === role);
  return entry ? (entry[0] as ApiKeyScope) : null;
}
