import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { OrganizationsService } from '@parley/api/organizations';
import {
  DomainError,
  ErrorCode,
  isUuid,
  Principal,
  RequestContextStore,
  Role,
  roleAtLeast,
  roleForScopes,
  ROUTE_POLICY,
  RouteRule,
  routeKeysOf,
  scopeForRole,
} from '@parley/api/core';
import type { Request } from 'express';
import { ClsService } from 'nestjs-cls';

/**
 * The one guard on every route, driven by `ROUTE_POLICY`: authenticates (API key or access token),
 * checks the route's rule, resolves the caller's role in the path's org and stores
 * `{ principal, tenant }` in the request context. Not a member of the org: 404, never 403.
 */
@Injectable()
export class AccessGuard extends AuthGuard(['api-key', 'jwt']) {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly organizations: OrganizationsService,
    private readonly cls: ClsService<RequestContextStore>,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.ruleFor(context);
    if (rule.access === 'public') return true;
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<Request & { user?: Principal }>();
    const caller = request.user as Principal;
    this.cls.set('principal', caller);
    if (rule.access === 'user') {
      if (caller.kind !== 'user')
        throw new DomainError(ErrorCode.Forbidden, 'This route needs a signed-in user, not an API key');
      return true;
    }
    const orgId = request.params['orgId'];
    const role = isUuid(orgId) ? await this.roleIn(orgId, caller) : null;
    if (!role || !isUuid(orgId)) throw DomainError.notFound('Organization');
    if (rule.peopleOnly && caller.kind === 'apiKey') {
      throw new DomainError(
        ErrorCode.Forbidden,
        'API keys cannot manage API keys, members or invitations; sign in as an admin',
      );
    }
    this.assertRole(caller, role, rule.minRole);
    this.cls.set('tenant', { orgId, role });
    return true;
  }

  /**
   * Passport's verdict: no principal is a 401 in our error shape. An error (the database or Redis
   * failing while checking credentials) stays an error: a 5xx, not a false "invalid token".
   */
  override handleRequest<TUser = Principal>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw new DomainError(ErrorCode.Unauthenticated, 'A valid access token or API key is required');
    return user;
  }

  private ruleFor(context: ExecutionContext): RouteRule {
    const keys = routeKeysOf(context.getClass(), context.getHandler());
    const key = keys.find((candidate) => ROUTE_POLICY[candidate]);
    if (!key) {
      this.logger.error(`no access rule for ${keys.join(', ')}: refusing`);
      throw new DomainError(ErrorCode.Forbidden, 'This route has no access rule');
    }
    return ROUTE_POLICY[key];
  }

  private async roleIn(orgId: string, caller: Principal): Promise<Role | null> {
    if (caller.kind === 'apiKey') return caller.orgId === orgId ? roleForScopes(caller.scopes) : null;
    return this.organizations.roleOf(orgId, caller.userId);
  }

  private assertRole(caller: Principal, role: Role, minRole: Role): void {
    if (roleAtLeast(role, minRole)) return;
    if (caller.kind === 'apiKey') {
      const scope = scopeForRole(minRole);
      throw new DomainError(
        ErrorCode.InsufficientScope,
        scope ? `This API key needs the ${scope} scope` : 'Only an owner, signed in, can do this; API keys cannot',
      );
    }
    throw new DomainError(ErrorCode.InsufficientRole, `Requires the ${minRole} role or higher; you are ${role}`);
  }
}
