import type { Role } from './roles';

/**
 * Who may call a route:
 * - `public`: anyone (the route authenticates by other means, or is harmless);
 * - `user`: any signed-in user, outside any org (API keys are refused);
 * - `org`: the route has `:orgId`; the caller must be a member with at least `minRole`,
 *   or an API key of that org whose scopes give at least that role (never for `owner`).
 */
export type RouteRule = { access: 'public' } | { access: 'user' } | { access: 'org'; minRole: Role };

const PUBLIC: RouteRule = { access: 'public' };
const USER: RouteRule = { access: 'user' };
const org = (minRole: Role): RouteRule => ({ access: 'org', minRole });

/**
 * The one route → access table. Keys are `METHOD /path` as declared on controllers, without
 * the `/api/v1` prefix. A route missing here is refused at runtime and fails the access-matrix test.
 */
export const ROUTE_POLICY: Readonly<Record<string, RouteRule>> = {
  'GET /health': PUBLIC,
  'GET /metrics': PUBLIC,

  'POST /auth/signup': PUBLIC,
  'POST /auth/login': PUBLIC,
  'POST /auth/refresh': PUBLIC,
  'POST /auth/logout': USER,
  'GET /me': USER,

  'POST /orgs': USER,
  'GET /orgs': USER,
  'GET /orgs/:orgId': org('viewer'),
  'PATCH /orgs/:orgId': org('admin'),
  'DELETE /orgs/:orgId': org('owner'),

  'GET /orgs/:orgId/members': org('viewer'),
  'PATCH /orgs/:orgId/members/:userId': org('admin'),
  'DELETE /orgs/:orgId/members/:userId': org('admin'),

  'POST /orgs/:orgId/invitations': org('admin'),
  'GET /orgs/:orgId/invitations': org('admin'),
  'DELETE /orgs/:orgId/invitations/:invitationId': org('admin'),
  'GET /invitations/:token': PUBLIC,
  'POST /invitations/:token/accept': USER,

  'POST /orgs/:orgId/api-keys': org('admin'),
  'GET /orgs/:orgId/api-keys': org('admin'),
  'DELETE /orgs/:orgId/api-keys/:id': org('admin'),

  'POST /orgs/:orgId/waba-accounts': org('admin'),
  'GET /orgs/:orgId/waba-accounts': org('viewer'),
  'GET /orgs/:orgId/waba-accounts/:id': org('viewer'),
  'PATCH /orgs/:orgId/waba-accounts/:id': org('admin'),
  'DELETE /orgs/:orgId/waba-accounts/:id': org('admin'),
  'POST /orgs/:orgId/waba-accounts/:id/phone-numbers': org('admin'),
  'GET /orgs/:orgId/waba-accounts/:id/phone-numbers': org('viewer'),
  'PATCH /orgs/:orgId/waba-accounts/:id/phone-numbers/:numberId': org('admin'),
  'DELETE /orgs/:orgId/waba-accounts/:id/phone-numbers/:numberId': org('admin'),

  'GET /orgs/:orgId/audit-logs': org('admin'),
};
