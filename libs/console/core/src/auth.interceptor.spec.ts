import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { authInterceptor } from './auth.interceptor';
import { Session } from './session';

const unauthorized = { status: 401, statusText: 'Unauthorized' };
/** Lets the refresh's promise chain run before looking for the retried call. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the auth interceptor', () => {
  let http: HttpClient;
  let server: HttpTestingController;

  beforeEach(() => {
    localStorage.setItem('parley.tokens', JSON.stringify({ accessToken: 'old-access', refreshToken: 'refresh-1' }));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([]),
      ],
    });
    http = TestBed.inject(HttpClient);
    server = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    server.verify();
    localStorage.clear();
  });

  it('refreshes an expired access token once and retries the call, so the user stays signed in', async () => {
    const result = firstValueFrom(http.get<{ ok: boolean }>('/api/v1/orgs'));

    const first = server.expectOne('/api/v1/orgs');
    expect(first.request.headers.get('authorization')).toBe('Bearer old-access');
    first.flush({ error: { code: 'unauthenticated', message: 'expired' } }, unauthorized);

    const refresh = server.expectOne('/api/v1/auth/refresh');
    expect(refresh.request.body).toEqual({ refreshToken: 'refresh-1' });
    expect(refresh.request.headers.has('authorization')).toBe(false);
    refresh.flush({ accessToken: 'new-access', refreshToken: 'refresh-2', expiresIn: 900 });
    await settle();

    const retry = server.expectOne('/api/v1/orgs');
    expect(retry.request.headers.get('authorization')).toBe('Bearer new-access');
    retry.flush({ ok: true });

    await expect(result).resolves.toEqual({ ok: true });
    expect(JSON.parse(localStorage.getItem('parley.tokens') ?? '{}')).toEqual({
      accessToken: 'new-access',
      refreshToken: 'refresh-2',
    });
  });

  it('trades the single-use refresh token once when several calls expire together', async () => {
    const results = Promise.all([
      firstValueFrom(http.get('/api/v1/orgs/a/conversations')),
      firstValueFrom(http.get('/api/v1/orgs/a/contacts')),
    ]);
    server.expectOne('/api/v1/orgs/a/conversations').flush(null, unauthorized);
    server.expectOne('/api/v1/orgs/a/contacts').flush(null, unauthorized);

    server.expectOne('/api/v1/auth/refresh').flush({ accessToken: 'new', refreshToken: 'r2', expiresIn: 900 });
    await settle();
    server.expectOne('/api/v1/orgs/a/conversations').flush([]);
    server.expectOne('/api/v1/orgs/a/contacts').flush([]);

    await expect(results).resolves.toEqual([[], []]);
  });

  it('ends the session and goes to sign-in when the refresh token is refused', async () => {
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const result = firstValueFrom(http.get('/api/v1/me'));

    server.expectOne('/api/v1/me').flush(null, unauthorized);
    server.expectOne('/api/v1/auth/refresh').flush({ error: { code: 'invalid_refresh_token' } }, unauthorized);

    await expect(result).rejects.toMatchObject({ status: 401 });
    expect(TestBed.inject(Session).signedIn()).toBe(false);
    expect(localStorage.getItem('parley.tokens')).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/sign-in'], expect.anything());
  });

  it('leaves other errors and calls outside the API alone', async () => {
    const forbidden = firstValueFrom(http.get('/api/v1/orgs/x'));
    server.expectOne('/api/v1/orgs/x').flush(null, { status: 403, statusText: 'Forbidden' });
    await expect(forbidden).rejects.toMatchObject({ status: 403 });

    const outside = firstValueFrom(http.get('/favicon.svg', { responseType: 'text' }));
    const request = server.expectOne('/favicon.svg');
    expect(request.request.headers.has('authorization')).toBe(false);
    request.flush('<svg/>');
    await expect(outside).resolves.toBe('<svg/>');
  });
});
