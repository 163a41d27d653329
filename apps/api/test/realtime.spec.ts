/* eslint-disable @typescript-eslint/no-explicit-any -- tests read event payloads loosely */
import type { INestApplicationContext } from '@nestjs/common';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { AppConfig, conversationRoom, orgRoom, RealtimePublisher, socketIoChannel } from '@parley/api/core';
import { PresenceService, REALTIME_OPTIONS, type RealtimeOptions } from '@parley/api/realtime';
import { Emitter } from '@socket.io/redis-emitter';
import Redis from 'ioredis';
import { sign } from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { eventually, expectStatus, FakeMeta, PASSWORD, startWorker, TestApi, TestSession } from './harness';

const WAIT_MS = 5_000;

/** Short enough that revalidation and sweeps happen within a test; presence still lasts a minute. */
const TEST_OPTIONS: RealtimeOptions = { presenceTtlMs: 60_000, presenceSweepMs: 200, revalidateMs: 300 };
const withOptions = (options: RealtimeOptions) => (builder: TestingModuleBuilder) =>
  builder.overrideProvider(REALTIME_OPTIONS).useValue(options);

function withTimeout<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const open = (api: TestApi, auth: Record<string, unknown>): Socket =>
  io(api.baseUrl, { auth, transports: ['websocket'], reconnection: false, forceNew: true });

const clients: Client[] = [];

/** A socket.io-client that records every event it receives, so tests can wait for one or prove one never came. */
class Client {
  private readonly events: { event: string; payload: any }[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly socket: Socket,
    readonly label: string,
  ) {
    socket.onAny((event: string, payload: unknown) => {
      this.events.push({ event, payload });
      this.waiters.forEach((wake) => wake());
    });
  }

  static async connect(api: TestApi, token: string, label: string): Promise<Client> {
    const client = new Client(open(api, { token }), label);
    clients.push(client);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        client.socket.once('connect', resolve);
        client.socket.once('connect_error', reject);
      }),
      `${label} to connect`,
    );
    return client;
  }

  /** Emits and resolves with the acknowledgement; fails clearly when none comes. */
  emit(event: string, ...args: unknown[]): Promise<any> {
    return withTimeout(this.socket.emitWithAck(event, ...args), `${this.label}'s ack of ${event}`);
  }

  async join(orgId: string): Promise<void> {
    expect(await this.emit('org.join', { orgId })).toMatchObject({ ok: true });
  }

  all(event: string, match: (payload: any) => boolean = () => true): any[] {
    return this.events.filter((e) => e.event === event && match(e.payload)).map((e) => e.payload);
  }

  /** The first `event` matching `match`, already received or still to come. */
  waitFor(event: string, match: (payload: any) => boolean = () => true, timeoutMs = WAIT_MS): Promise<any> {
    return this.until(() => this.all(event, match)[0], event, timeoutMs);
  }

  /** The first `event` matching `match` from now on: call it before the action that causes the event. */
  next(event: string, match: (payload: any) => boolean = () => true): Promise<any> {
    const from = this.events.length;
    return this.until(() => this.events.slice(from).find((e) => e.event === event && match(e.payload))?.payload, event);
  }

  private until(found: () => unknown, event: string, timeoutMs = WAIT_MS): Promise<any> {
    return withTimeout(
      new Promise((resolve) => {
        const check = () => {
          const payload = found();
          if (payload === undefined) return;
          this.waiters.delete(check);
          resolve(payload);
        };
        this.waiters.add(check);
        check();
      }),
      `${this.label} to receive ${event}`,
      timeoutMs,
    );
  }

  /**
   * A round trip on this socket's own connection: once its ack is back, every packet the server
   * wrote to this socket before has arrived too. Proves an event was not sent, without sleeping.
   */
  async fence(): Promise<void> {
    await this.emit('presence.list', { orgId: randomUUID() });
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** The `connect_error` a handshake gets; fails if the socket connects. */
async function refusal(api: TestApi, auth: Record<string, unknown>): Promise<Error & { data?: any }> {
  const socket = open(api, auth);
  try {
    return await withTimeout(
      new Promise<Error>((resolve, reject) => {
        socket.once('connect', () => reject(new Error('the handshake was accepted')));
        socket.once('connect_error', resolve);
      }),
      'connect_error',
    );
  } finally {
    socket.disconnect();
  }
}

describe('realtime gateway', () => {
  let api1: TestApi;
  let api2: TestApi;
  /** Presence lapses after 1 s here. Started with the others and closed last: Passport strategies are process-wide (the last app's win). */
  let shortLived: TestApi;
  let worker: INestApplicationContext;
  let publisher: RealtimePublisher;
  let owner: TestSession;
  let agent: TestSession;
  let viewer: TestSession;
  let stranger: TestSession;
  let orgA: string;
  let orgB: string;
  let conversationA: string;
  let meta: FakeMeta;

  /** Something every socket of the org sees, from a third process (the worker). */
  const publish = (orgId: string, marker = randomUUID()) => {
    publisher.toOrg(orgId, 'conversation.updated', { id: marker });
    return marker;
  };
  const withMarker = (marker: string) => (payload: any) => payload?.id === marker;

  beforeAll(async () => {
    [api1, api2, shortLived] = await Promise.all([
      TestApi.start(withOptions(TEST_OPTIONS)),
      TestApi.start(withOptions(TEST_OPTIONS)),
      TestApi.start(withOptions({ ...TEST_OPTIONS, presenceTtlMs: 1_000 })),
    ]);
    worker = await startWorker();
    publisher = worker.get(RealtimePublisher);
    owner = await TestSession.signup(api1, 'owner');
    orgA = (await owner.createOrg('Realtime A')).id;
    agent = await owner.addTeammate(orgA, 'agent');
    viewer = await owner.addTeammate(orgA, 'viewer');
    stranger = await TestSession.signup(api2, 'stranger');
    orgB = (await stranger.createOrg('Realtime B')).id;

    meta = await owner.fakeMeta(orgA);
    await meta.customerWrites('5511987650001', 'Olá, is my order on its way?');
    [{ id: conversationA }] = await api1.dataSource.query('SELECT id FROM conversations WHERE org_id = $1', [orgA]);
  }, 60_000);

  /** Every test starts with nobody connected: the server has seen each close and cleared its presence. */
  afterEach(async () => {
    clients.splice(0).forEach((client) => client.close());
    const presence = api1.app.get(PresenceService);
    await eventually(
      async () => (await presence.list(orgA)).length === 0 && (await presence.list(orgB)).length === 0,
      WAIT_MS,
      'every socket to be gone',
    );
  });

  afterAll(async () => {
    await worker?.close();
    await Promise.all([api1?.close(), api2?.close(), shortLived?.close()]);
  });

  describe('handshake', () => {
    it('refuses a socket without an access token, with a forged or expired one, or with an API key', async () => {
      const config = api1.app.get(AppConfig);
      const forged = `${owner.accessToken.slice(0, -4)}AAAA`;
      const expired = sign(
        { sub: owner.user.id, sid: randomUUID(), email: owner.user.email, exp: Math.floor(Date.now() / 1000) - 60 },
        config.JWT_SECRET,
        { algorithm: 'HS256' },
      );
      const apiKey = await owner.createApiKey(orgA, ['admin']);

      for (const auth of [{}, { token: '' }, { token: 'not-a-token' }, { token: forged }]) {
        const error = await refusal(api1, auth);
        expect(error.message).toBe('unauthorized');
        expect(error.data).toMatchObject({ code: 'unauthenticated' });
      }
      const late = await refusal(api2, { token: expired });
      expect(late.message).toBe('unauthorized');
      expect(late.data.message).toMatch(/expired/);
      const key = await refusal(api2, { token: apiKey });
      expect(key.message).toBe('unauthorized');
      expect(key.data.message).toMatch(/API keys/);
    });

    it('refuses a logged-out token, and disconnects the sockets of a session that ends', async () => {
      const login = expectStatus(
        await api1.post('/api/v1/auth/login', { email: agent.user.email, password: PASSWORD }),
        200,
      );
      const socket = await Client.connect(api2, login.accessToken, 'agent (second session)');
      const dropped = withTimeout(
        new Promise<string>((resolve) => socket.socket.once('disconnect', resolve)),
        'the server to drop the socket',
      );

      expectStatus(await api1.post('/api/v1/auth/logout', undefined, { token: login.accessToken }), 204);

      expect(await dropped).toBe('io server disconnect');
      expect((await refusal(api1, { token: login.accessToken })).message).toBe('unauthorized');
      expect((await refusal(api2, { token: login.accessToken })).message).toBe('unauthorized');
    });
  });

  describe('org.join', () => {
    it("answers a member with their role, and another org's id exactly like an unknown one", async () => {
      const ownerSocket = await Client.connect(api1, owner.accessToken, 'owner');
      const agentSocket = await Client.connect(api2, agent.accessToken, 'agent');

      expect(await ownerSocket.emit('org.join', { orgId: orgA })).toEqual({ ok: true, role: 'owner' });
      expect(await agentSocket.emit('org.join', { orgId: orgA })).toEqual({ ok: true, role: 'agent' });

      const otherOrg = await agentSocket.emit('org.join', { orgId: orgB });
      const unknownOrg = await agentSocket.emit('org.join', { orgId: randomUUID() });
      expect(otherOrg).toEqual({ ok: false, error: { code: 'not_found', message: 'Organization not found' } });
      expect(unknownOrg).toEqual(otherOrg);
    });

    it('answers malformed payloads with validation_failed and keeps the connection', async () => {
      const socket = await Client.connect(api1, agent.accessToken, 'agent');
      const bad: [string, ...unknown[]][] = [
        ['org.join'],
        ['org.join', null],
        ['org.join', 'a string'],
        ['org.join', { orgId: 'not-a-uuid' }],
        ['org.join', { orgId: orgA, extra: true }],
        ['org.join', { orgId: orgA }, 'a second argument'],
        ['typing', { conversationId: conversationA, typing: 'yes' }],
        ['presence', { status: 'busy' }],
        ['conversation.join', { conversationId: '../../etc' }],
      ];
      for (const [event, ...args] of bad) {
        expect(await socket.emit(event, ...args)).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      }
      socket.socket.emit('no.such.event', { orgId: orgA });
      socket.socket.emit('org.join', { orgId: 'no ack wanted' });

      expect(await socket.emit('org.join', { orgId: orgA })).toEqual({ ok: true, role: 'agent' });
      expect(socket.socket.connected).toBe(true);
    });
  });

  describe('events from other processes', () => {
    it("reach the org's sockets on every api process, and no other org's", async () => {
      const onApi1 = await Client.connect(api1, owner.accessToken, 'owner on api #1');
      const onApi2 = await Client.connect(api2, agent.accessToken, 'agent on api #2');
      const otherOrg = await Client.connect(api2, stranger.accessToken, 'stranger on api #2');
      const notJoined = await Client.connect(api2, viewer.accessToken, 'viewer on api #2, not joined');
      await onApi1.join(orgA);
      await onApi2.join(orgA);
      await otherOrg.join(orgB);

      const forA = publish(orgA);
      const forB = publish(orgB);

      expect(await onApi2.waitFor('conversation.updated', withMarker(forA))).toEqual({ id: forA });
      await onApi1.waitFor('conversation.updated', withMarker(forA));
      await otherOrg.waitFor('conversation.updated', withMarker(forB));
      await Promise.all([notJoined.fence(), onApi2.fence()]);
      expect(otherOrg.all('conversation.updated', withMarker(forA))).toEqual([]);
      expect(notJoined.all('conversation.updated')).toEqual([]);
      expect(onApi2.all('conversation.updated', withMarker(forB))).toEqual([]);
    });

    it('stop once the socket leaves the org', async () => {
      const socket = await Client.connect(api2, agent.accessToken, 'agent');
      const witness = await Client.connect(api2, owner.accessToken, 'owner');
      await socket.join(orgA);
      await witness.join(orgA);

      expect(await socket.emit('org.leave', { orgId: orgA })).toEqual({ ok: true });
      const marker = publish(orgA);
      await witness.waitFor('conversation.updated', withMarker(marker));
      await socket.fence();
      expect(socket.all('conversation.updated')).toEqual([]);
    });
  });

  describe('conversation rooms', () => {
    it("admit sockets of the conversation's org only, and deliver across processes", async () => {
      const member = await Client.connect(api2, agent.accessToken, 'agent');
      const outsider = await Client.connect(api2, stranger.accessToken, 'stranger');
      await outsider.join(orgB);

      const notFound = { ok: false, error: { code: 'not_found', message: 'Conversation not found' } };
      expect(await member.emit('conversation.join', { conversationId: conversationA })).toEqual(notFound); // no org joined yet
      await member.join(orgA);
      expect(await member.emit('conversation.join', { conversationId: conversationA })).toEqual({ ok: true });
      expect(await member.emit('conversation.join', { conversationId: randomUUID() })).toEqual(notFound);
      expect(await outsider.emit('conversation.join', { conversationId: conversationA })).toEqual(notFound);

      // What a publisher in another process does for one conversation's room.
      const redis = new Redis(api1.app.get(AppConfig).REDIS_URL);
      try {
        const emitter = new Emitter(redis, { key: socketIoChannel(api1.app.get(AppConfig)) });
        emitter.to(conversationRoom(conversationA)).emit('message.updated', { id: 'first' });
        expect(await member.waitFor('message.updated')).toEqual({ id: 'first' });

        expect(await member.emit('conversation.leave', { conversationId: conversationA })).toEqual({ ok: true });
        emitter.to(conversationRoom(conversationA)).emit('message.updated', { id: 'second' });
        emitter.to(orgRoom(orgA)).emit('conversation.updated', { id: 'after the second' });
        await member.waitFor('conversation.updated', withMarker('after the second'));
        expect(member.all('message.updated')).toEqual([{ id: 'first' }]);
      } finally {
        await redis.quit();
      }
    });
  });

  describe('typing', () => {
    it("reaches the org's other sockets on another process, never the sender or another org", async () => {
      const sender = await Client.connect(api1, owner.accessToken, 'owner on api #1');
      const teammate = await Client.connect(api2, agent.accessToken, 'agent on api #2');
      const otherOrg = await Client.connect(api2, stranger.accessToken, 'stranger on api #2');
      await sender.join(orgA);
      await teammate.join(orgA);
      await otherOrg.join(orgB);

      expect(await sender.emit('typing', { conversationId: conversationA, typing: true })).toEqual({ ok: true });
      expect(await teammate.waitFor('typing')).toEqual({
        conversationId: conversationA,
        userId: owner.user.id,
        name: owner.user.name,
        typing: true,
      });

      const forA = publish(orgA);
      const forB = publish(orgB);
      await sender.waitFor('conversation.updated', withMarker(forA));
      await otherOrg.waitFor('conversation.updated', withMarker(forB));
      expect(sender.all('typing')).toEqual([]);
      expect(otherOrg.all('typing')).toEqual([]);
    });

    it("is refused for another org's conversation and for viewers", async () => {
      const outsider = await Client.connect(api1, stranger.accessToken, 'stranger');
      const viewing = await Client.connect(api2, viewer.accessToken, 'viewer');
      await outsider.join(orgB);
      await viewing.join(orgA);

      expect(await outsider.emit('typing', { conversationId: conversationA, typing: true })).toEqual({
        ok: false,
        error: { code: 'not_found', message: 'Conversation not found' },
      });
      expect(await viewing.emit('typing', { conversationId: conversationA, typing: true })).toMatchObject({
        ok: false,
        error: { code: 'insufficient_role' },
      });
    });

    it('cuts a flood: past a burst the sender gets rate_limited, and teammates see only what was accepted', async () => {
      const sender = await Client.connect(api1, owner.accessToken, 'owner');
      const teammate = await Client.connect(api2, agent.accessToken, 'agent');
      await sender.join(orgA);
      await teammate.join(orgA);

      const acks = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          sender.emit('typing', { conversationId: conversationA, typing: i % 2 === 0 }),
        ),
      );
      const accepted = acks.filter((ack) => ack.ok).length;
      expect(acks.filter((ack) => ack.error?.code === 'rate_limited').length).toBe(100 - accepted);
      expect(accepted).toBeGreaterThanOrEqual(25);
      expect(accepted).toBeLessThan(50);

      const marker = publish(orgA);
      await teammate.waitFor('conversation.updated', withMarker(marker));
      expect(teammate.all('typing').length).toBe(accepted);

      await new Promise((resolve) => setTimeout(resolve, 500)); // the bucket refills
      expect(await sender.emit('typing', { conversationId: conversationA, typing: false })).toEqual({ ok: true });
    });
  });

  describe('presence', () => {
    const statusesOf = (client: Client, userId: string) =>
      client.all('presence', (p) => p.userId === userId).map((p) => p.status);

    it('shows a user online on every process while any tab is, away when all are, offline after the last', async () => {
      const watcher = await Client.connect(api2, agent.accessToken, 'agent watching on api #2');
      const otherOrg = await Client.connect(api2, stranger.accessToken, 'stranger on api #2');
      await watcher.join(orgA);
      await otherOrg.join(orgB);
      const tab1 = await Client.connect(api1, owner.accessToken, 'owner tab 1 on api #1');
      const tab2 = await Client.connect(api2, owner.accessToken, 'owner tab 2 on api #2');
      const ownerId = owner.user.id;

      await tab1.join(orgA);
      expect(await watcher.waitFor('presence', (p) => p.userId === ownerId)).toEqual({
        userId: ownerId,
        status: 'online',
      });
      const listed = await watcher.emit('presence.list', { orgId: orgA });
      expect(listed.ok).toBe(true);
      expect(listed.data).toEqual(
        expect.arrayContaining([
          { userId: ownerId, status: 'online', lastSeenAt: expect.any(String) },
          { userId: agent.user.id, status: 'online', lastSeenAt: expect.any(String) },
        ]),
      );
      expect(Date.now() - Date.parse(listed.data.find((e: any) => e.userId === ownerId).lastSeenAt)).toBeLessThan(
        WAIT_MS,
      );

      await tab2.join(orgA); // the same user again: no news
      expect(await tab1.emit('presence', { status: 'away' })).toEqual({ ok: true }); // tab 2 is still online
      expect(await tab2.emit('presence', { status: 'away' })).toEqual({ ok: true });
      await watcher.waitFor('presence', (p) => p.userId === ownerId && p.status === 'away');

      tab2.close(); // tab 1 is still away
      tab1.close();
      await watcher.waitFor('presence', (p) => p.userId === ownerId && p.status === 'offline');
      expect(statusesOf(watcher, ownerId)).toEqual(['online', 'away', 'offline']);

      const after = await Client.connect(api1, viewer.accessToken, 'viewer on api #1');
      await after.join(orgA);
      const { data } = await after.emit('presence.list', { orgId: orgA });
      expect(data.map((entry: any) => entry.userId)).not.toContain(ownerId);

      await otherOrg.fence();
      expect(otherOrg.all('presence', (p) => p.userId === ownerId)).toEqual([]);
      expect(await otherOrg.emit('presence.list', { orgId: orgA })).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
    });

    it('lapses for a socket that stops its heartbeat, and comes back with the next one', async () => {
      const watcher = await Client.connect(api2, viewer.accessToken, 'viewer watching on api #2');
      await watcher.join(orgA);
      const silent = await Client.connect(shortLived, owner.accessToken, 'owner, silent, on api #3');
      const beating = await Client.connect(shortLived, agent.accessToken, 'agent with a heartbeat on api #3');
      await silent.join(orgA);
      await beating.join(orgA);
      const heartbeat = setInterval(() => beating.socket.emit('presence', { status: 'online' }), 250);
      try {
        await watcher.waitFor('presence', (p) => p.userId === owner.user.id && p.status === 'offline');
        const { data } = await watcher.emit('presence.list', { orgId: orgA });
        expect(data.map((entry: any) => entry.userId)).toContain(agent.user.id);
        expect(data.map((entry: any) => entry.userId)).not.toContain(owner.user.id);
        expect(silent.socket.connected).toBe(true);
        expect(statusesOf(watcher, agent.user.id)).not.toContain('offline');

        const back = watcher.next('presence', (p) => p.userId === owner.user.id);
        expect(await silent.emit('presence', { status: 'online' })).toEqual({ ok: true });
        expect(await back).toEqual({ userId: owner.user.id, status: 'online' });
      } finally {
        clearInterval(heartbeat);
      }
    });
  });

  describe('the inbound path', () => {
    it('turns a webhook taken by api #1 and processed by the worker into message.created on api #2', async () => {
      const inbox = await Client.connect(api2, agent.accessToken, 'agent on api #2');
      const otherOrg = await Client.connect(api2, stranger.accessToken, 'stranger on api #2');
      await inbox.join(orgA);
      await otherOrg.join(orgB);

      const webhook = meta.inbound(
        { type: 'text', text: { body: 'Can I change the delivery address?' } },
        '5511987650001',
      );
      expectStatus(await meta.post(webhook.json), 200);

      const message = await inbox.waitFor('message.created', (m) => m.waMessageId === webhook.id, 15_000);
      expect(message).toMatchObject({
        id: expect.any(String),
        conversationId: conversationA,
        contactId: expect.any(String),
        direction: 'inbound',
        type: 'text',
        status: 'received',
        waMessageId: webhook.id,
        body: 'Can I change the delivery address?',
      });
      const [stored] = await api2.dataSource.query('SELECT id FROM messages WHERE wa_message_id = $1', [webhook.id]);
      expect(message.id).toBe(stored.id);

      await otherOrg.fence();
      expect(otherOrg.all('message.created')).toEqual([]);
    });
  });

  it("takes a member removed from the org out of the org's rooms", async () => {
    const leaving = await owner.addTeammate(orgA, 'agent');
    const socket = await Client.connect(api2, leaving.accessToken, 'agent about to be removed');
    const witness = await Client.connect(api2, agent.accessToken, 'agent staying');
    await socket.join(orgA);
    await witness.join(orgA);

    expectStatus(await owner.delete(`/api/v1/orgs/${orgA}/members/${leaving.user.id}`), 204);

    expect(await socket.waitFor('org.left')).toEqual({ orgId: orgA });
    const marker = publish(orgA);
    await witness.waitFor('conversation.updated', withMarker(marker));
    await socket.fence();
    expect(socket.all('conversation.updated')).toEqual([]);
    expect(await socket.emit('org.join', { orgId: orgA })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await socket.emit('typing', { conversationId: conversationA, typing: true })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
