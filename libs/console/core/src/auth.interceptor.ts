import { HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { Session } from './session';

/** Calls that carry no access token: signing in, up, and refreshing. */
const PUBLIC = /\/api\/v1\/(auth\/(login|signup|refresh)|invitations\/[^/]+$|platform$)/;

const withToken = (request: HttpRequest<unknown>, token: string) =>
  request.clone({ setHeaders: { authorization: `Bearer ${token}` } });

/**
 * Adds the access token to API calls. When one expires mid-session, the call is retried once after
 * a refresh, so the user never notices; when the session itself has ended, back to sign-in.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const session = inject(Session);
  const router = inject(Router);
  const token = session.accessToken();
  if (!request.url.includes('/api/v1/') || PUBLIC.test(request.url) || !token) return next(request);

  return next(withToken(request, token)).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 401) return throwError(() => error);
      return from(session.refresh()).pipe(
        catchError((refreshError: unknown) => {
          void router.navigate(['/sign-in'], { queryParams: { returnUrl: router.url } });
          return throwError(() => refreshError);
        }),
        switchMap((fresh) => next(withToken(request, fresh))),
      );
    }),
  );
};
