import type { ApiKeyScope, Role } from '../access/roles';

/** Who is calling: a signed-in user (through one session) or a partner's API key (bound to one org). */
export type Principal =
  | { kind: 'user'; userId: string; sessionId: string; email: string }
  | { kind: 'apiKey'; apiKeyId: string; orgId: string; scopes: ApiKeyScope[]; prefix: string };

/** The org a request acts on and the role the principal holds there, resolved once by the access guard. */
export interface Tenant {
  orgId: string;
  role: Role;
}

/** What an audit row records about the caller. */
export interface Actor {
  type: 'user' | 'api_key' | 'system';
  id: string | null;
  label: string;
}

export function actorOf(principal: Principal | undefined): Actor {
  if (!principal) return { type: 'system', id: null, label: 'system' };
  return principal.kind === 'user'
    ? { type: 'user', id: principal.userId, label: principal.email }
    : { type: 'api_key', id: principal.apiKeyId, label: principal.prefix };
}
