import type { Role } from './roles';

/**
 * Who may call a route:
 * - `public`: anyone (the route authenticates by other means, or is harmless);
 * - `user`: any signed-in user, outside any org (API keys are refused);
 * - `org`: the route has `:orgId`; the caller must be a member with at least `minRole`,
 *   or an API key of that org whose scopes give at least that role (never for `owner`).
 *   `peopleOnly` routes refuse API keys too: a key must not mint keys or change who is on the team,
 *   or a leaked key could outlive its own revocation.
 */
export type RouteRule =
  { access: 'public' } | { access: 'user' } | { access: 'org'; minRole: Role; peopleOnly?: boolean };

const PUBLIC: RouteRule = { access: 'public' };
const USER: RouteRule = { access: 'user' };
const org = (minRole: Role): RouteRule => ({ access: 'org', minRole });
const orgPeople = (minRole: Role): RouteRule => ({ access: 'org', minRole, peopleOnly: true });

/**
 * The one route → access table. Keys are `METHOD /path` as declared on controllers, without
 * the `/api/v1` prefix. A route missing here is refused at runtime and fails the access-matrix test.
 */
export const ROUTE_POLICY: Readonly<Record<string, RouteRule>> = {
  'GET /health': PUBLIC,
  'GET /metrics': PUBLIC,
  // What the console shows before sign-in (the sandbox button); nothing secret.
  'GET /platform': PUBLIC,

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
  'PATCH /orgs/:orgId/members/:userId': orgPeople('admin'),
  'DELETE /orgs/:orgId/members/:userId': orgPeople('admin'),

  'POST /orgs/:orgId/invitations': orgPeople('admin'),
  'GET /orgs/:orgId/invitations': orgPeople('admin'),
  'DELETE /orgs/:orgId/invitations/:invitationId': orgPeople('admin'),
  'GET /invitations/:token': PUBLIC,
  'POST /invitations/:token/accept': USER,

  'POST /orgs/:orgId/api-keys': orgPeople('admin'),
  'GET /orgs/:orgId/api-keys': orgPeople('admin'),
  'DELETE /orgs/:orgId/api-keys/:id': orgPeople('admin'),

  'POST /orgs/:orgId/waba-accounts': org('admin'),
  'POST /orgs/:orgId/waba-accounts/sandbox': org('admin'),
  'POST /orgs/:orgId/waba-accounts/:id/test-connection': org('admin'),
  'POST /orgs/:orgId/waba-accounts/:id/check-token': org('admin'),
  'GET /orgs/:orgId/waba-accounts': org('viewer'),
  'GET /orgs/:orgId/waba-accounts/:id': org('viewer'),
  'PATCH /orgs/:orgId/waba-accounts/:id': org('admin'),
  'DELETE /orgs/:orgId/waba-accounts/:id': org('admin'),
  'POST /orgs/:orgId/waba-accounts/:id/phone-numbers': org('admin'),
  'GET /orgs/:orgId/waba-accounts/:id/phone-numbers': org('viewer'),
  'PATCH /orgs/:orgId/waba-accounts/:id/phone-numbers/:numberId': org('admin'),
  'DELETE /orgs/:orgId/waba-accounts/:id/phone-numbers/:numberId': org('admin'),

  'GET /orgs/:orgId/audit-logs': org('admin'),

  // A full export holds every customer and conversation: admins (and admin-scoped keys, for a
  // partner's backups) ask for it and download it, and only they see that one was made.
  'POST /orgs/:orgId/exports': org('admin'),
  'GET /orgs/:orgId/exports': org('admin'),
  'GET /orgs/:orgId/exports/:id': org('admin'),
  'GET /orgs/:orgId/exports/:id/download': org('admin'),

  // Partner webhooks: partners' admin keys manage their own subscriptions.
  'POST /orgs/:orgId/webhook-subscriptions': org('admin'),
  'GET /orgs/:orgId/webhook-subscriptions': org('admin'),
  'GET /orgs/:orgId/webhook-subscriptions/:id': org('admin'),
  'PATCH /orgs/:orgId/webhook-subscriptions/:id': org('admin'),
  'DELETE /orgs/:orgId/webhook-subscriptions/:id': org('admin'),
  'POST /orgs/:orgId/webhook-subscriptions/:id/rotate-secret': org('admin'),
  'POST /orgs/:orgId/webhook-subscriptions/:id/test': org('admin'),
  'GET /orgs/:orgId/webhook-subscriptions/:id/deliveries': org('admin'),
  'GET /orgs/:orgId/webhook-deliveries/:id': org('admin'),
  'POST /orgs/:orgId/webhook-deliveries/:id/redeliver': org('admin'),

  'GET /orgs/:orgId/conversations': org('viewer'),
  'GET /orgs/:orgId/conversations/:id': org('viewer'),
  'PATCH /orgs/:orgId/conversations/:id': org('agent'),
  'GET /orgs/:orgId/conversations/:id/messages': org('viewer'),
  'POST /orgs/:orgId/conversations/:id/messages': org('agent'),
  'POST /orgs/:orgId/conversations/:id/read': org('agent'),
  'GET /orgs/:orgId/conversations/:id/notes': org('viewer'),
  'POST /orgs/:orgId/conversations/:id/notes': org('agent'),

  'POST /orgs/:orgId/messages': org('agent'),
  'GET /orgs/:orgId/messages/:id': org('viewer'),

  'GET /orgs/:orgId/contacts': org('viewer'),
  'POST /orgs/:orgId/contacts': org('agent'),
  'GET /orgs/:orgId/contacts/:id': org('viewer'),
  'PATCH /orgs/:orgId/contacts/:id': org('agent'),
  'DELETE /orgs/:orgId/contacts/:id': org('admin'),
  'POST /orgs/:orgId/contacts/import': org('admin'),
  'GET /orgs/:orgId/contacts/:id/export': org('admin'),
  'POST /orgs/:orgId/contacts/:id/erase': org('admin'),

  'POST /orgs/:orgId/media': org('agent'),
  'GET /orgs/:orgId/media/:id': org('viewer'),
  'GET /orgs/:orgId/media/:id/content': org('viewer'),

  'GET /orgs/:orgId/quick-replies': org('viewer'),
  'POST /orgs/:orgId/quick-replies': org('agent'),
  'PATCH /orgs/:orgId/quick-replies/:id': org('agent'),
  'DELETE /orgs/:orgId/quick-replies/:id': org('agent'),

  'GET /orgs/:orgId/scheduled-messages': org('viewer'),
  'POST /orgs/:orgId/scheduled-messages': org('agent'),
  'GET /orgs/:orgId/scheduled-messages/:id': org('viewer'),
  'DELETE /orgs/:orgId/scheduled-messages/:id': org('agent'),

  'GET /orgs/:orgId/templates': org('viewer'),
  'GET /orgs/:orgId/templates/:id': org('viewer'),
  'POST /orgs/:orgId/templates/sync': org('admin'),
  'POST /orgs/:orgId/templates': org('admin'),
  'PATCH /orgs/:orgId/templates/:id': org('admin'),
  'DELETE /orgs/:orgId/templates/:id': org('admin'),
  'POST /orgs/:orgId/templates/:id/submit': org('admin'),
  // A preview changes nothing and shows only what a viewer can read already (the template), filled
  // with the caller's own values: anyone who may see templates may preview them.
  'POST /orgs/:orgId/templates/:id/preview': org('viewer'),

  // Campaigns message customers in bulk in the business's name: admins build and run them; everyone reads.
  'GET /orgs/:orgId/campaigns': org('viewer'),
  'POST /orgs/:orgId/campaigns': org('admin'),
  'POST /orgs/:orgId/campaigns/estimate': org('admin'),
  'GET /orgs/:orgId/campaigns/:id': org('viewer'),
  'PATCH /orgs/:orgId/campaigns/:id': org('admin'),
  'DELETE /orgs/:orgId/campaigns/:id': org('admin'),
  'POST /orgs/:orgId/campaigns/:id/launch': org('admin'),
  'POST /orgs/:orgId/campaigns/:id/pause': org('admin'),
  'POST /orgs/:orgId/campaigns/:id/resume': org('admin'),
  'POST /orgs/:orgId/campaigns/:id/cancel': org('admin'),
  'GET /orgs/:orgId/campaigns/:id/stats': org('viewer'),
  'GET /orgs/:orgId/campaigns/:id/recipients': org('viewer'),

  // Reports read what every member may already see, summed up: anyone in the org reads them.
  'GET /orgs/:orgId/analytics/overview': org('viewer'),
  'GET /orgs/:orgId/analytics/agents': org('viewer'),
  'GET /orgs/:orgId/analytics/templates': org('viewer'),
  'GET /orgs/:orgId/analytics/campaigns': org('viewer'),

  // AI settings hold a provider key and spend the org's money: admins change and test them; everyone
  // reads them (key masked). A suggested reply is a draft for whoever answers the customer.
  'GET /orgs/:orgId/ai/settings': org('viewer'),
  'PUT /orgs/:orgId/ai/settings': org('admin'),
  'POST /orgs/:orgId/ai/settings/test': org('admin'),
  'POST /orgs/:orgId/conversations/:id/suggested-reply': org('agent'),

  // Meta authenticates these itself: the verify token (GET) and the body's signature (POST).
  'GET /webhooks/whatsapp/:wabaAccountId': PUBLIC,
  'POST /webhooks/whatsapp/:wabaAccountId': PUBLIC,
  'GET /orgs/:orgId/webhook-events': org('admin'),
  'POST /orgs/:orgId/webhook-events/:id/replay': org('admin'),

  // Admins shape automation; everyone in the org can see what it is and what it did.
  'GET /orgs/:orgId/automation-rules': org('viewer'),
  'POST /orgs/:orgId/automation-rules': org('admin'),
  'POST /orgs/:orgId/automation-rules/reorder': org('admin'),
  'GET /orgs/:orgId/automation-rules/:id': org('viewer'),
  'PATCH /orgs/:orgId/automation-rules/:id': org('admin'),
  'DELETE /orgs/:orgId/automation-rules/:id': org('admin'),
  'GET /orgs/:orgId/automation-runs': org('viewer'),
  'GET /orgs/:orgId/automation/starter-bot': org('viewer'),
  'PUT /orgs/:orgId/automation/starter-bot': org('admin'),
  'GET /orgs/:orgId/flows': org('viewer'),
  'POST /orgs/:orgId/flows': org('admin'),
  'GET /orgs/:orgId/flows/:id': org('viewer'),
  'PATCH /orgs/:orgId/flows/:id': org('admin'),
  'DELETE /orgs/:orgId/flows/:id': org('admin'),
  // Agents may put the customer they are talking to through a flow.
  'POST /orgs/:orgId/flows/:id/enrollments': org('agent'),
  'GET /orgs/:orgId/flows/:id/enrollments': org('viewer'),
};
