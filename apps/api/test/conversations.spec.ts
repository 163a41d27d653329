import type { INestApplicationContext } from '@nestjs/common';
import { FakeMeta, startWorker, TestApi, TestSession } from './harness';

describe('conversations and messages', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let owner: TestSession;
  let agent: TestSession;
  let viewer: TestSession;
  let orgId: string;
  let meta: FakeMeta;
  const customers = { maria: '5511987651001', john: '14155551002', aisha: '447700901003' };

  const list = (query = '', as: TestSession = owner) => as.get(`/api/v1/orgs/${orgId}/conversations${query}`);
  const conversationOf = async (waId: string) =>
    (await list()).body.data.find((c: { contact: { phone: string } }) => c.contact.phone === `+${waId}`);

  beforeAll(async () => {
    api = await TestApi.start();
    worker = await startWorker();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Inbox')).id;
    agent = await owner.addTeammate(orgId, 'agent');
    viewer = await owner.addTeammate(orgId, 'viewer');
    meta = await owner.fakeMeta(orgId);
    // Meta's timestamps are whole seconds: space the messages out so the order is certain.
    const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
    await meta.customerWrites(customers.maria, 'Olá! Tem em azul?', 'Maria Souza', ago(40));
    await meta.customerWrites(customers.john, 'Is the jacket in stock?', 'John Carter', ago(30));
    await meta.customerWrites(customers.aisha, 'Can I return this?', 'Aisha Khan', ago(20));
    await meta.customerWrites(customers.maria, 'Tamanho M, por favor', 'Maria Souza', ago(10));
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it('lists conversations by latest activity in the contract shape', async () => {
    const reply = await list();
    expect(reply.status).toBe(200);
    expect(reply.body.data.map((c: { contact: { name: string } }) => c.contact.name)).toEqual([
      'Maria Souza',
      'Aisha Khan',
      'John Carter',
    ]);
    const maria = reply.body.data[0];
    expect(maria).toEqual({
      id: expect.any(String),
      contact: { id: expect.any(String), phone: `+${customers.maria}`, name: 'Maria Souza' },
      phoneNumberId: meta.phoneNumberId,
      status: 'open',
      assigneeId: null,
      unreadCount: 2,
      lastMessageAt: expect.any(String),
      lastMessagePreview: 'Tamanho M, por favor',
      windowExpiresAt: expect.any(String),
      // No automation handed it off; AI triage is off for a new org.
      botActive: true,
      ai: null,
    });
    expect(new Date(maria.windowExpiresAt).getTime() - new Date(maria.lastMessageAt).getTime()).toBe(24 * 3600 * 1000);
    expect(reply.body.nextCursor).toBeNull();
  });

  it('pages with a cursor', async () => {
    const first = await list('?limit=2');
    const second = await list(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(first.body.data).toHaveLength(2);
    expect(second.body.data).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    expect(new Set([...first.body.data, ...second.body.data].map((c: { id: string }) => c.id)).size).toBe(3);
  });

  it('searches contact name, phone and the last message', async () => {
    const names = async (q: string) =>
      (await list(`?q=${encodeURIComponent(q)}`)).body.data.map((c: { contact: { name: string } }) => c.contact.name);
    expect(await names('aisha')).toEqual(['Aisha Khan']);
    expect(await names('4155551')).toEqual(['John Carter']);
    expect(await names('tamanho')).toEqual(['Maria Souza']);
    expect(await names('100%_')).toEqual([]);
  });

  it('assigns, resolves and filters by assignee, unread, status and tag', async () => {
    const john = await conversationOf(customers.john);
    const assigned = await agent.patch(`/api/v1/orgs/${orgId}/conversations/${john.id}`, { assigneeId: agent.user.id });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assigneeId).toBe(agent.user.id);

    expect((await list('?assigneeId=me', agent)).body.data.map((c: { id: string }) => c.id)).toEqual([john.id]);
    expect((await list(`?assigneeId=${agent.user.id}`)).body.data).toHaveLength(1);
    expect((await list('?assigneeId=none')).body.data).toHaveLength(2);

    const aisha = await conversationOf(customers.aisha);
    expect(
      (await owner.patch(`/api/v1/orgs/${orgId}/conversations/${aisha.id}`, { status: 'resolved' })).body.status,
    ).toBe('resolved');
    expect((await list('?status=open')).body.data).toHaveLength(2);
    expect((await list('?status=resolved')).body.data.map((c: { id: string }) => c.id)).toEqual([aisha.id]);
    expect((await list('?unread=true')).body.data).toHaveLength(3);

    await api.dataSource.query(`UPDATE contacts SET tags = ARRAY['vip'] WHERE phone = $1`, [`+${customers.maria}`]);
    expect((await list('?tag=vip')).body.data.map((c: { contact: { name: string } }) => c.contact.name)).toEqual([
      'Maria Souza',
    ]);

    const audit = await owner.get(`/api/v1/orgs/${orgId}/audit-logs?action=conversation.updated&targetId=${john.id}`);
    expect(audit.body.data[0].changes).toEqual({ before: { assigneeId: null }, after: { assigneeId: agent.user.id } });
  });

  it('refuses assignees outside the org (422), bad filters (400), and viewers changing things (403)', async () => {
    const maria = await conversationOf(customers.maria);
    const stranger = await TestSession.signup(api, 'stranger');
    const notMember = await owner.patch(`/api/v1/orgs/${orgId}/conversations/${maria.id}`, {
      assigneeId: stranger.user.id,
    });
    expect(notMember.status).toBe(422);
    expect(notMember.body.error).toMatchObject({ code: 'not_a_member', details: [{ field: 'assigneeId' }] });
    expect(
      (await owner.patch(`/api/v1/orgs/${orgId}/conversations/${maria.id}`, { status: 'archived' })).body.error
        .details[0].field,
    ).toBe('status');
    expect((await list('?assigneeId=someone')).body.error.details[0].field).toBe('assigneeId');
    expect((await list('?unread=maybe')).body.error.details[0].field).toBe('unread');
    const key = await owner.createApiKey(orgId, ['read']);
    const me = await api.get(`/api/v1/orgs/${orgId}/conversations?assigneeId=me`, { apiKey: key });
    expect(me.status).toBe(400);
    expect(me.body.error.details[0].field).toBe('assigneeId');
    expect((await viewer.patch(`/api/v1/orgs/${orgId}/conversations/${maria.id}`, { status: 'resolved' })).status).toBe(
      403,
    );
    expect((await viewer.get(`/api/v1/orgs/${orgId}/conversations/${maria.id}`)).status).toBe(200);
  });

  it('does not reopen a conversation while a newer one with the contact is open (409)', async () => {
    const from = '5511987651009';
    await meta.customerWrites(from, 'first visit', 'Repeat Customer');
    const old = await conversationOf(from);
    await owner.patch(`/api/v1/orgs/${orgId}/conversations/${old.id}`, { status: 'resolved' });
    await meta.customerWrites(from, 'back again', 'Repeat Customer');
    const reopened = await owner.patch(`/api/v1/orgs/${orgId}/conversations/${old.id}`, { status: 'open' });
    expect(reopened.status).toBe(409);
    expect(reopened.body.error.code).toBe('conversation_already_open');
  });

  it("lists a conversation's messages newest first, with statuses, context and reactions", async () => {
    const maria = await conversationOf(customers.maria);
    const reply = await viewer.get(`/api/v1/orgs/${orgId}/conversations/${maria.id}/messages`);
    expect(reply.status).toBe(200);
    expect(reply.body.data.map((m: { body: string }) => m.body)).toEqual(['Tamanho M, por favor', 'Olá! Tem em azul?']);
    expect(reply.body.data[0]).toEqual({
      id: expect.any(String),
      conversationId: maria.id,
      contactId: maria.contact.id,
      direction: 'inbound',
      type: 'text',
      status: 'received',
      waMessageId: expect.stringMatching(/^wamid\./),
      body: 'Tamanho M, por favor',
      payload: expect.objectContaining({ type: 'text', text: { body: 'Tamanho M, por favor' } }),
      media: null,
      context: null,
      reactions: [],
      error: null,
      senderId: null,
      ai: null,
      createdAt: expect.any(String),
      sentAt: null,
      deliveredAt: null,
      readAt: null,
    });
    const page = await viewer.get(`/api/v1/orgs/${orgId}/conversations/${maria.id}/messages?limit=1`);
    const rest = await viewer.get(
      `/api/v1/orgs/${orgId}/conversations/${maria.id}/messages?limit=1&cursor=${page.body.nextCursor}`,
    );
    expect(rest.body.data[0].body).toBe('Olá! Tem em azul?');
    expect(
      (await owner.get(`/api/v1/orgs/${orgId}/conversations/00000000-0000-4000-8000-000000000000/messages`)).status,
    ).toBe(404);
  });
});
