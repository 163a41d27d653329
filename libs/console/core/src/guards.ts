import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { type Role, Session } from './session';

/** Pages behind sign-in: loads the user (and orgs) once per visit, or sends them to sign in. */
export const signedInGuard: CanActivateFn = async (_route, state) => {
  const session = inject(Session);
  const router = inject(Router);
  if (!session.signedIn()) return router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
  if (!session.me()) {
    try {
      await session.loadMe();
    } catch {
      session.end();
      return router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
    }
  }
  return true;
};

export const guestGuard: CanActivateFn = () => {
  const session = inject(Session);
  return session.signedIn() ? inject(Router).createUrlTree(['/inbox']) : true;
};

/** Pages for `role` and above; everyone else lands in the inbox. */
export const roleGuard =
  (role: Role): CanActivateFn =>
  () => {
    const session = inject(Session);
    return session.can(role) ? true : inject(Router).createUrlTree(['/inbox']);
  };

/** Pages that work inside an organization: without one, the user creates one first. */
export const orgGuard: CanActivateFn = () => {
  const session = inject(Session);
  return session.orgId() ? true : inject(Router).createUrlTree(['/welcome']);
};
