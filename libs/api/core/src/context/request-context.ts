import { ClsServiceManager, ClsStore } from 'nestjs-cls';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { Principal, Tenant } from './principal';

/** What the request (or job) context holds; filled by the CLS middleware and the access guard. */
export interface RequestContextStore extends ClsStore {
  principal?: Principal;
  tenant?: Tenant;
  ip?: string;
  userAgent?: string;
}

function store() {
  return ClsServiceManager.getClsService<RequestContextStore>();
}

/** The org and role of the current request. Throws when called outside an org-scoped route or job. */
export function tenant(): Tenant {
  const value = store().isActive() ? store().get('tenant') : undefined;
  if (!value) throw new Error('tenant() called outside an org-scoped context');
  return value;
}

/** The authenticated caller, or a 401 when there is none. */
export function principal(): Principal {
  const value = store().isActive() ? store().get('principal') : undefined;
  if (!value) throw new DomainError(ErrorCode.Unauthenticated, 'Authentication required');
  return value;
}

/** The signed-in user's id; API keys get a 403 (the route needs a person). */
export function currentUserId(): string {
  const caller = principal();
  if (caller.kind !== 'user')
    throw new DomainError(ErrorCode.Forbidden, 'This route needs a signed-in user, not an API key');
  return caller.userId;
}

export function optionalPrincipal(): Principal | undefined {
  return store().isActive() ? store().get('principal') : undefined;
}

export function clientIp(): string | undefined {
  return store().isActive() ? store().get('ip') : undefined;
}

export function userAgent(): string | undefined {
  return store().isActive() ? store().get('userAgent') : undefined;
}

export function requestId(): string | undefined {
  return store().isActive() ? store().getId() : undefined;
}
