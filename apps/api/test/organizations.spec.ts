import { expectStatus, TestApi, TestSession } from './harness';

describe('organizations and members', () => {
  let api: TestApi;
  let owner: TestSession;

  beforeAll(async () => {
    api = await TestApi.start();
    owner = await TestSession.signup(api, 'owner');
  });
  afterAll(() => api.close());

  describe('organizations', () => {
    it('makes the creator owner and lists, gets and renames the org', async () => {
      const created = await owner.post('/api/v1/orgs', { name: '  Acme Retail ' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: expect.any(String), name: 'Acme Retail', role: 'owner' });
      const id = created.body.id;

      const got = await owner.get(`/api/v1/orgs/${id}`);
      expect(got.body).toMatchObject({ id, name: 'Acme Retail', role: 'owner' });

      const renamed = await owner.patch(`/api/v1/orgs/${id}`, { name: 'Acme Stores' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe('Acme Stores');

      const list = await owner.get('/api/v1/orgs');
      expect(list.body.data).toContainEqual(expect.objectContaining({ id, name: 'Acme Stores', role: 'owner' }));
      expect(list.body).toHaveProperty('nextCursor');
    });

    it("adds the org's own opt-out and opt-in words (normalized) to the built-in ones, refusing a word in both", async () => {
      const { id } = await owner.createOrg('Keywords');
      const defaults = expectStatus(await owner.get(`/api/v1/orgs/${id}`), 200).optInSettings;
      expect(defaults).toMatchObject({ optOutKeywords: [], optInKeywords: [] });
      expect(defaults.builtInOptOutKeywords).toEqual(expect.arrayContaining(['stop', 'unsubscribe']));
      expect(defaults.builtInOptInKeywords).toContain('start');

      const changed = await owner.patch(`/api/v1/orgs/${id}`, {
        optOutKeywords: ['PARAR', ' ¡Baja! ', 'parar'],
        optOutReply: 'Pronto, sem mais promoções.',
      });
      expect(changed.status).toBe(200);
      expect(changed.body.optInSettings).toMatchObject({
        optOutKeywords: ['parar', 'baja'],
        optInKeywords: [],
        builtInOptOutKeywords: defaults.builtInOptOutKeywords,
        optOutReply: 'Pronto, sem mais promoções.',
        optInReply: defaults.optInReply,
      });

      for (const optInKeywords of [['Parar'], ['STOP']]) {
        const clash = await owner.patch(`/api/v1/orgs/${id}`, { optInKeywords });
        expect(clash.status).toBe(400);
        expect(clash.body.error.details).toEqual([
          { field: 'optInKeywords', message: expect.stringContaining(optInKeywords[0]?.toLowerCase() ?? '') },
        ]);
      }
      const tooLong = await owner.patch(`/api/v1/orgs/${id}`, { optOutKeywords: ['x'.repeat(41)] });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.details[0].field).toBe('optOutKeywords');

      const restored = expectStatus(
        await owner.patch(`/api/v1/orgs/${id}`, { optOutKeywords: null, optOutReply: null }),
        200,
      );
      expect(restored.optInSettings).toEqual(defaults);
      const audit = await owner.get(`/api/v1/orgs/${id}/audit-logs?action=org.updated`);
      expect(audit.body.data).toHaveLength(2);
      expect(audit.body.data[1].changes.after).toEqual({
        optOutKeywords: ['parar', 'baja'],
        optOutReply: 'Pronto, sem mais promoções.',
      });
    });

    it('pages the list with an opaque cursor, without gaps or repeats', async () => {
      const user = await TestSession.signup(api);
      const ids = [];
      for (const name of ['One', 'Two', 'Three']) ids.push((await user.createOrg(name)).id);
      const first = await user.get('/api/v1/orgs?limit=2');
      expect(first.body.data).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await user.get(`/api/v1/orgs?limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body.data).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
      const seen = [...first.body.data, ...second.body.data].map((o: { id: string }) => o.id);
      expect(seen.sort()).toEqual(ids.sort());
    });

    it('rejects a cursor it did not issue, and a limit out of range, naming the field', async () => {
      const bad = await owner.get('/api/v1/orgs?cursor=bm90LWEtY3Vyc29y');
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
      const limit = await owner.get('/api/v1/orgs?limit=1000');
      expect(limit.status).toBe(400);
      expect(limit.body.error.details[0].field).toBe('limit');
    });

    it('validates the name', async () => {
      const reply = await owner.post('/api/v1/orgs', { name: '   ' });
      expect(reply.status).toBe(400);
      expect(reply.body.error.details[0].field).toBe('name');
      // Optional in an update, but an org always has a name: null is refused, not stored.
      const org = expectStatus(await owner.post('/api/v1/orgs', { name: 'Named' }), 201);
      const cleared = await owner.patch(`/api/v1/orgs/${org.id}`, { name: null });
      expect(cleared.status).toBe(400);
      expect(cleared.body.error.details[0].field).toBe('name');
      expect(expectStatus(await owner.get(`/api/v1/orgs/${org.id}`), 200).name).toBe('Named');
    });

    it('lets only owners delete, and deleting removes access for everyone', async () => {
      const org = await owner.createOrg('Doomed');
      const admin = await owner.addTeammate(org.id, 'admin');
      const denied = await admin.delete(`/api/v1/orgs/${org.id}`);
      expect(denied.status).toBe(403);
      expect(denied.body.error.code).toBe('insufficient_role');

      expect((await owner.delete(`/api/v1/orgs/${org.id}`)).status).toBe(204);
      expect((await owner.get(`/api/v1/orgs/${org.id}`)).status).toBe(404);
      expect((await admin.get(`/api/v1/orgs/${org.id}/members`)).status).toBe(404);
    });

    it('answers 404 for a malformed or unknown org id', async () => {
      expect((await owner.get('/api/v1/orgs/not-a-uuid')).status).toBe(404);
      expect((await owner.get('/api/v1/orgs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });
  });

  describe('invitations', () => {
    it('invites by email with a one-time token the invitee accepts', async () => {
      const org = await owner.createOrg('Invites');
      const invitee = await TestSession.signup(api, 'invitee');
      const invitation = await owner.post(`/api/v1/orgs/${org.id}/invitations`, {
        email: invitee.user.email.toUpperCase(),
        role: 'agent',
      });
      expect(invitation.status).toBe(201);
      expect(invitation.body).toMatchObject({
        id: expect.any(String),
        token: expect.any(String),
        email: invitee.user.email,
        role: 'agent',
        status: 'pending',
        inviteUrl: `http://localhost:4200/invitations/${invitation.body.token}`,
      });

      const preview = await api.get(`/api/v1/invitations/${invitation.body.token}`);
      expect(preview.body).toMatchObject({
        orgId: org.id,
        orgName: 'Invites',
        email: invitee.user.email,
        role: 'agent',
      });

      const accepted = await invitee.post(`/api/v1/invitations/${invitation.body.token}/accept`);
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ id: org.id, name: 'Invites', role: 'agent' });
      expect((await invitee.get(`/api/v1/orgs/${org.id}`)).body.role).toBe('agent');

      const again = await invitee.post(`/api/v1/invitations/${invitation.body.token}/accept`);
      expect(again.status).toBe(404);
      const listed = await owner.get(`/api/v1/orgs/${org.id}/invitations`);
      expect(listed.body.data[0]).toMatchObject({ id: invitation.body.id, status: 'accepted' });
      expect(listed.body.data[0]).not.toHaveProperty('token');
    });

    it('refuses acceptance by someone signed in with another email', async () => {
      const org = await owner.createOrg();
      const invitation = expectStatus(
        await owner.post(`/api/v1/orgs/${org.id}/invitations`, { email: 'someone.else@example.com', role: 'viewer' }),
        201,
      );
      const stranger = await TestSession.signup(api, 'stranger');
      const reply = await stranger.post(`/api/v1/invitations/${invitation.token}/accept`);
      expect(reply.status).toBe(403);
      expect(reply.body.error.code).toBe('invitation_email_mismatch');
      expect((await stranger.get(`/api/v1/orgs/${org.id}`)).status).toBe(404);
    });

    it('needs a signed-in user to accept', async () => {
      const org = await owner.createOrg();
      const invitation = expectStatus(
        await owner.post(`/api/v1/orgs/${org.id}/invitations`, { email: 'x@example.com', role: 'viewer' }),
        201,
      );
      expect((await api.post(`/api/v1/invitations/${invitation.token}/accept`)).status).toBe(401);
    });

    it('expires (410), can be revoked (404), and a new invitation replaces the open one', async () => {
      const org = await owner.createOrg();
      const invitee = await TestSession.signup(api);
      const first = expectStatus(
        await owner.post(`/api/v1/orgs/${org.id}/invitations`, { email: invitee.user.email, role: 'viewer' }),
        201,
      );
      const second = expectStatus(
        await owner.post(`/api/v1/orgs/${org.id}/invitations`, { email: invitee.user.email, role: 'agent' }),
        201,
      );
      expect((await invitee.post(`/api/v1/invitations/${first.token}/accept`)).status).toBe(404);

      await api.dataSource.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
        second.id,
      ]);
      const expired = await invitee.post(`/api/v1/invitations/${second.token}/accept`);
      expect(expired.status).toBe(410);
      expect(expired.body.error.code).toBe('invitation_expired');

      const third = expectStatus(
        await owner.post(`/api/v1/orgs/${org.id}/invitations`, { email: invitee.user.email, role: 'agent' }),
        201,
      );
      expect((await owner.delete(`/api/v1/orgs/${org.id}/invitations/${third.id}`)).status).toBe(204);
      expect((await invitee.post(`/api/v1/invitations/${third.token}/accept`)).status).toBe(404);
    });

    it('refuses inviting a current member (409) and inviting above your own role (403)', async () => {
      const org = await owner.createOrg();
      const admin = await owner.addTeammate(org.id, 'admin');
      const member = await owner.post(`/api/v1/orgs/${org.id}/invitations`, { email: admin.user.email, role: 'agent' });
      expect(member.status).toBe(409);
      expect(member.body.error.code).toBe('already_member');
      const above = await admin.post(`/api/v1/orgs/${org.id}/invitations`, {
        email: 'boss@example.com',
        role: 'owner',
      });
      expect(above.status).toBe(403);
      expect(above.body.error.details[0].field).toBe('role');
    });

    it('keeps one open invitation when two are sent to the same address at once', async () => {
      const org = await owner.createOrg();
      const replies = await Promise.all(
        ['agent', 'viewer'].map((role) =>
          owner.post(`/api/v1/orgs/${org.id}/invitations`, { email: 'race@example.com', role }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual([201, 201]);
      const open = await api.dataSource.query(
        'SELECT count(*)::int AS count FROM invitations WHERE org_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL',
        [org.id],
      );
      expect(open[0].count).toBe(1);
    });

    it('stores only a hash of the token', async () => {
      const org = await owner.createOrg();
      const invitation = expectStatus(
        await owner.post(`/api/v1/orgs/${org.id}/invitations`, { email: 'hash@example.com', role: 'viewer' }),
        201,
      );
      const [row] = await api.dataSource.query('SELECT token_hash FROM invitations WHERE id = $1', [invitation.id]);
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_hash).not.toContain(invitation.token);
    });
  });

  describe('members', () => {
    it('lists members with their role, oldest first', async () => {
      const org = await owner.createOrg();
      const agent = await owner.addTeammate(org.id, 'agent');
      const reply = await agent.get(`/api/v1/orgs/${org.id}/members`);
      expect(reply.status).toBe(200);
      expect(reply.body.data).toEqual([
        expect.objectContaining({ userId: owner.user.id, email: owner.user.email, role: 'owner' }),
        expect.objectContaining({ userId: agent.user.id, email: agent.user.email, role: 'agent' }),
      ]);
      expect(reply.body.nextCursor).toBeNull();
    });

    it('changes roles; only owners touch owners', async () => {
      const org = await owner.createOrg();
      const admin = await owner.addTeammate(org.id, 'admin');
      const agent = await owner.addTeammate(org.id, 'agent');

      const promoted = await admin.patch(`/api/v1/orgs/${org.id}/members/${agent.user.id}`, { role: 'viewer' });
      expect(promoted.status).toBe(200);
      expect(promoted.body).toMatchObject({ userId: agent.user.id, role: 'viewer' });

      expect((await admin.patch(`/api/v1/orgs/${org.id}/members/${agent.user.id}`, { role: 'owner' })).status).toBe(
        403,
      );
      expect((await admin.patch(`/api/v1/orgs/${org.id}/members/${owner.user.id}`, { role: 'agent' })).status).toBe(
        403,
      );
      expect((await agent.patch(`/api/v1/orgs/${org.id}/members/${admin.user.id}`, { role: 'viewer' })).status).toBe(
        403,
      );

      const bad = await owner.patch(`/api/v1/orgs/${org.id}/members/${agent.user.id}`, { role: 'superuser' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe('role');
    });

    it('never leaves an org without an owner', async () => {
      const org = await owner.createOrg();
      const demote = await owner.patch(`/api/v1/orgs/${org.id}/members/${owner.user.id}`, { role: 'admin' });
      expect(demote.status).toBe(422);
      expect(demote.body.error.code).toBe('last_owner');
      const remove = await owner.delete(`/api/v1/orgs/${org.id}/members/${owner.user.id}`);
      expect(remove.status).toBe(422);

      const second = await owner.addTeammate(org.id, 'owner');
      expect((await second.patch(`/api/v1/orgs/${org.id}/members/${owner.user.id}`, { role: 'admin' })).status).toBe(
        200,
      );
      expect((await second.delete(`/api/v1/orgs/${org.id}/members/${second.user.id}`)).status).toBe(422);
    });

    it('keeps one owner when two owners demote each other at the same moment', async () => {
      const org = await owner.createOrg();
      const other = await owner.addTeammate(org.id, 'owner');
      const results = await Promise.all([
        owner.patch(`/api/v1/orgs/${org.id}/members/${other.user.id}`, { role: 'admin' }),
        other.patch(`/api/v1/orgs/${org.id}/members/${owner.user.id}`, { role: 'admin' }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0]).toBe(200);
      expect(statuses[1]).not.toBe(200);
      const [{ count }] = await api.dataSource.query(
        `SELECT count(*)::int AS count FROM memberships WHERE org_id = $1 AND role = 'owner'`,
        [org.id],
      );
      expect(count).toBe(1);
    });

    it('removes a member, who then loses access', async () => {
      const org = await owner.createOrg();
      const agent = await owner.addTeammate(org.id, 'agent');
      expect((await owner.delete(`/api/v1/orgs/${org.id}/members/${agent.user.id}`)).status).toBe(204);
      expect((await agent.get(`/api/v1/orgs/${org.id}`)).status).toBe(404);
      expect((await owner.delete(`/api/v1/orgs/${org.id}/members/${agent.user.id}`)).status).toBe(404);
    });
  });
});
