import { DEV_JWT_SECRET } from '@parley/api/core';
import { sign } from 'jsonwebtoken';
import { PASSWORD, TestApi, TestSession, uniqueEmail } from './harness';

describe('auth', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(() => api.close());

  describe('signup', () => {
    it('creates the account, signs in, and normalises the email', async () => {
      const email = uniqueEmail('Ana').replace('ana', 'ANA');
      const reply = await api.post('/api/v1/auth/signup', {
        email: `  ${email} `,
        password: PASSWORD,
        name: ' Ana Lima ',
      });
      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({
        user: { id: expect.any(String), email: email.toLowerCase(), name: 'Ana Lima' },
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
      });
      const me = await api.get('/api/v1/me', { token: reply.body.accessToken });
      expect(me.body).toMatchObject({ id: reply.body.user.id, email: email.toLowerCase(), orgs: [] });
    });

    it('refuses a taken email in any case with 409 naming the field', async () => {
      const email = uniqueEmail();
      expect((await api.post('/api/v1/auth/signup', { email, password: PASSWORD, name: 'A' })).status).toBe(201);
      const reply = await api.post('/api/v1/auth/signup', {
        email: email.toUpperCase(),
        password: PASSWORD,
        name: 'B',
      });
      expect(reply.status).toBe(409);
      expect(reply.body.error).toMatchObject({ code: 'email_taken', details: [{ field: 'email' }] });
      expect(reply.body.requestId).toEqual(expect.any(String));
    });

    it.each([
      ['short', 'at least 10 characters'],
      ['onlyletterslong', 'mix letters'],
      ['password123', 'too common'],
    ])('refuses the weak password %j with 400 on the password field', async (password, reason) => {
      const reply = await api.post('/api/v1/auth/signup', { email: uniqueEmail(), password, name: 'Weak' });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('validation_failed');
      expect(reply.body.error.details).toEqual([{ field: 'password', message: expect.stringContaining(reason) }]);
    });

    it('names every bad field, and rejects unknown ones', async () => {
      const reply = await api.post('/api/v1/auth/signup', {
        email: 'not-an-email',
        password: PASSWORD,
        name: '',
        isAdmin: true,
      });
      expect(reply.status).toBe(400);
      const fields = reply.body.error.details.map((d: { field: string }) => d.field).sort();
      expect(fields).toEqual(['email', 'isAdmin', 'name']);
    });
  });

  describe('login', () => {
    it('signs in with the right password and not with a wrong one', async () => {
      const session = await TestSession.signup(api);
      const ok = await api.post('/api/v1/auth/login', { email: session.user.email, password: PASSWORD });
      expect(ok.status).toBe(200);
      expect(ok.body.user).toEqual(session.user);
      const wrong = await api.post('/api/v1/auth/login', { email: session.user.email, password: `${PASSWORD}!` });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('invalid_credentials');
      const unknown = await api.post('/api/v1/auth/login', { email: uniqueEmail(), password: PASSWORD });
      expect(unknown.status).toBe(401);
      expect(unknown.body.error.message).toBe(wrong.body.error.message);
    });

    it('throttles repeated failures with 429 and Retry-After, even for the right password', async () => {
      const session = await TestSession.signup(api);
      for (let i = 0; i < 5; i += 1) {
        expect(
          (await api.post('/api/v1/auth/login', { email: session.user.email, password: 'wrong password 1' })).status,
        ).toBe(401);
      }
      const blocked = await api.post('/api/v1/auth/login', { email: session.user.email, password: PASSWORD });
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe('rate_limited');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('counts parallel guesses before checking them, so a burst cannot slip under the limit', async () => {
      const session = await TestSession.signup(api);
      const guesses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api.post('/api/v1/auth/login', { email: session.user.email, password: `guess number ${i}` }),
        ),
      );
      const statuses = guesses.map((g) => g.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    });
  });

  describe('refresh', () => {
    it('rotates: the new pair works and the old refresh token does not', async () => {
      const session = await TestSession.signup(api);
      const first = await api.post('/api/v1/auth/refresh', { refreshToken: session.refreshToken });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
      expect(first.body.refreshToken).not.toBe(session.refreshToken);
      expect((await api.get('/api/v1/me', { token: first.body.accessToken })).status).toBe(200);
      const second = await api.post('/api/v1/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(second.status).toBe(200);
    });

    it('revokes the whole family when a used refresh token comes back', async () => {
      const session = await TestSession.signup(api);
      const rotated = await api.post('/api/v1/auth/refresh', { refreshToken: session.refreshToken });
      expect(rotated.status).toBe(200);

      const replay = await api.post('/api/v1/auth/refresh', { refreshToken: session.refreshToken });
      expect(replay.status).toBe(401);
      expect(replay.body.error.code).toBe('invalid_refresh_token');

      // The legitimate holder's newer tokens die with the family.
      expect((await api.post('/api/v1/auth/refresh', { refreshToken: rotated.body.refreshToken })).status).toBe(401);
      expect((await api.get('/api/v1/me', { token: rotated.body.accessToken })).status).toBe(401);
      expect((await api.get('/api/v1/me', { token: session.accessToken })).status).toBe(401);

      // Other sessions of the same user are untouched.
      const other = await api.post('/api/v1/auth/login', { email: session.user.email, password: PASSWORD });
      expect((await api.get('/api/v1/me', { token: other.body.accessToken })).status).toBe(200);
    });

    it('refuses an unknown refresh token', async () => {
      const reply = await api.post('/api/v1/auth/refresh', { refreshToken: 'made-up' });
      expect(reply.status).toBe(401);
    });
  });

  describe('logout', () => {
    it('ends the session: its access and refresh tokens stop working', async () => {
      const session = await TestSession.signup(api);
      expect((await session.post('/api/v1/auth/logout')).status).toBe(204);
      expect((await session.get('/api/v1/me')).status).toBe(401);
      expect((await api.post('/api/v1/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    });
  });

  describe('me', () => {
    it('is 401 without a token or with a forged one', async () => {
      expect((await api.get('/api/v1/me')).status).toBe(401);
      const forged = await api.get('/api/v1/me', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' });
      expect(forged.status).toBe(401);
      expect(forged.body).toEqual({
        error: { code: 'unauthenticated', message: expect.any(String) },
        requestId: expect.any(String),
      });
    });

    it('tells an expired access token apart, so the client knows to refresh', async () => {
      const session = await TestSession.signup(api);
      const [, payload] = session.accessToken.split('.');
      const { sid } = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
      const expired = sign(
        { sub: session.user.id, sid, email: session.user.email, exp: Math.floor(Date.now() / 1000) - 10 },
        DEV_JWT_SECRET,
      );
      const reply = await api.get('/api/v1/me', { token: expired });
      expect(reply.status).toBe(401);
      expect(reply.body.error).toEqual({ code: 'unauthenticated', message: 'Access token expired; refresh it' });
    });

    it('refuses a token signed with another key, or with alg none', async () => {
      const session = await TestSession.signup(api);
      const claims = { sub: session.user.id, sid: 'x', email: session.user.email };
      expect(
        (await api.get('/api/v1/me', { token: sign(claims, 'another-secret-of-sufficient-length-000') })).status,
      ).toBe(401);
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
      expect((await api.get('/api/v1/me', { token: none })).status).toBe(401);
    });

    it('lists the orgs the user belongs to, with roles', async () => {
      const session = await TestSession.signup(api);
      const org = await session.createOrg('Me Org');
      const me = await session.get('/api/v1/me');
      expect(me.body.orgs).toEqual([{ id: org.id, name: 'Me Org', role: 'owner' }]);
    });

    it('is refused to API keys: it needs a person', async () => {
      const session = await TestSession.signup(api);
      const org = await session.createOrg();
      const key = await session.createApiKey(org.id, ['admin']);
      const reply = await api.get('/api/v1/me', { apiKey: key });
      expect(reply.status).toBe(403);
    });
  });
});
