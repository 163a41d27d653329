import { BeforeApplicationShutdown, Inject, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { AuthService } from '@parley/api/auth';
import { conversationRoom, ErrorCode, orgRoom, Role, roleAtLeast } from '@parley/api/core';
import { OrganizationsService } from '@parley/api/organizations';
import type { DefaultEventsMap, ExtendedError, Server, Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { PresenceChange, PresenceService } from './presence.service';
import { REALTIME_OPTIONS, type RealtimeOptions } from './realtime-options';
import {
  Ack,
  fail,
  notFound,
  ok,
  Parsed,
  parseConversationRef,
  parseOrgRef,
  parsePresence,
  parseTyping,
  ServerToClientEvents,
  SocketState,
} from './realtime.protocol';
import { HandshakeRefused, SocketAuthenticator } from './socket-authenticator';
import { TokenBucket } from './token-bucket';

type RealtimeServer = Server<DefaultEventsMap, ServerToClientEvents, DefaultEventsMap, SocketState>;
type RealtimeSocket = Socket<DefaultEventsMap, ServerToClientEvents, DefaultEventsMap, SocketState>;

/** Per socket: a burst of 30 events, then 5 a second (typing every keystroke gets cut, a normal client never is). */
const BURST = 30;
const PER_SECOND = 5;
/** A console shows a few conversations at once, not hundreds. */
const MAX_CONVERSATION_ROOMS = 50;
const MAX_CHECKED_CONVERSATIONS = 500;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The realtime gateway (Socket.io, default namespace, path `/socket.io`).
 *
 * Handshake: `io(url, { auth: { token: <access token> } })`. A missing, invalid or expired token, a
 * session that ended (logout) or an API key: `connect_error` with message `unauthorized` and
 * `data: { code: 'unauthenticated', message }` (`unavailable` / `service_unavailable` when the
 * check itself failed). Sessions and memberships are re-checked every `revalidateMs` (30 s): after
 * logout the socket is disconnected; after removal from an org it leaves that org's rooms and gets
 * `org.left { orgId }`. Rooms do not survive a reconnect: join again on `connect`. Behind a load
 * balancer use `transports: ['websocket']` (or sticky sessions for long-polling).
 *
 * Client → server, each answered through the acknowledgement when one is given, with
 * `{ ok: true, ... }` or `{ ok: false, error: { code, message } }` (codes: `validation_failed`,
 * `not_found` — also for orgs the user is not a member of —, `insufficient_role`, `rate_limited`,
 * `internal_error`):
 * - `org.join { orgId }` → `{ ok, role }`: joins `org:<id>` and counts the socket as present there.
 * - `org.leave { orgId }` → `{ ok }`: leaves the org, its conversations and its presence.
 * - `conversation.join { conversationId }` / `conversation.leave { conversationId }` → `{ ok }`: the
 *   room of one conversation of a joined org (at most 50 at once).
 * - `typing { conversationId, typing }` → `{ ok }`: agents and above; relayed to the org's other sockets.
 * - `presence { status: 'online' | 'away' }` → `{ ok }`: sets this socket's status in every joined
 *   org, and is the heartbeat: send it every 25 s, or the socket counts as gone after 60 s.
 * - `presence.list { orgId }` → `{ ok, data: [{ userId, status, lastSeenAt }] }`.
 *
 * Server → client: `message.created`, `message.updated`, `conversation.updated`, `note.created`,
 * `media.updated` (the resource in its REST JSON shape, to the org room, from any process);
 * `typing { conversationId, userId, name, typing }`; `presence { userId, status }` with status
 * `online | away | offline` when a user's presence changes (many tabs count as one);
 * `org.left { orgId }`. Each socket may send a burst of 30 events, then 5 a second; a packet over
 * 16 KB closes the connection.
 */
@WebSocketGateway()
export class RealtimeGateway
  implements OnGatewayInit<RealtimeServer>, OnGatewayDisconnect<RealtimeSocket>, BeforeApplicationShutdown
{
  private readonly logger = new Logger(RealtimeGateway.name);
  private server: RealtimeServer | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private revalidating = false;

  constructor(
    private readonly authenticator: SocketAuthenticator,
    private readonly auth: AuthService,
    private readonly organizations: OrganizationsService,
    private readonly presence: PresenceService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REALTIME_OPTIONS) private readonly options: RealtimeOptions,
  ) {}

  afterInit(server: RealtimeServer): void {
    this.server = server;
    server.use((socket, next) => {
      this.authenticator.authenticate(socket.handshake.auth).then(
        (user) => {
          socket.data = {
            ...user,
            status: 'online',
            orgs: new Map(),
            conversations: new Map(),
            limiter: new TokenBucket(BURST, PER_SECOND),
          };
          next();
        },
        (error: unknown) => next(this.refusal(error)),
      );
    });
    this.timers.push(
      setInterval(() => void this.sweepPresence(), this.options.presenceSweepMs).unref(),
      setInterval(() => void this.revalidate(), this.options.revalidateMs).unref(),
    );
  }

  handleDisconnect(socket: RealtimeSocket): Promise<void> {
    return this.dropPresence(socket);
  }

  /** Says goodbye for this process's sockets while Redis is still open (the server closes after this hook). */
  async beforeApplicationShutdown(): Promise<void> {
    this.timers.forEach(clearInterval);
    const sockets = this.server ? [...this.server.sockets.sockets.values()] : [];
    await Promise.all(sockets.map((socket) => this.dropPresence(socket)));
  }

  @SubscribeMessage('org.join')
  joinOrg(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: unknown): Promise<Ack<{ role: Role }>> {
    return this.handle(socket, 'org.join', parseOrgRef(body), async ({ orgId }) => {
      const role = await this.organizations.roleOf(orgId, socket.data.userId);
      if (!role) return notFound('Organization');
      // Gone while we asked: joining now would leave a stale room and a presence entry behind.
      if (socket.connected) {
        socket.data.orgs.set(orgId, role);
        await socket.join(orgRoom(orgId));
        // Presence is a nicety: with Redis away, the socket still gets this process's events.
        await this.touchPresence(socket, orgId).catch((error: unknown) =>
          this.logger.warn(`presence not recorded on join: ${messageOf(error)}`),
        );
      }
      return ok({ role });
    });
  }

  @SubscribeMessage('org.leave')
  leaveOrg(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: unknown): Promise<Ack> {
    return this.handle(socket, 'org.leave', parseOrgRef(body), async ({ orgId }) => {
      if (socket.data.orgs.has(orgId)) await this.leave(socket, orgId);
      return ok({});
    });
  }

  @SubscribeMessage('conversation.join')
  joinConversation(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: unknown): Promise<Ack> {
    return this.handle(socket, 'conversation.join', parseConversationRef(body), async ({ conversationId }) => {
      if (!(await this.orgOfConversation(socket, conversationId))) return notFound('Conversation');
      const room = conversationRoom(conversationId);
      const joined = [...socket.rooms].filter((name) => name.startsWith(conversationRoom(''))).length;
      if (!socket.rooms.has(room) && joined >= MAX_CONVERSATION_ROOMS)
        return fail(
          ErrorCode.ValidationFailed,
          `At most ${MAX_CONVERSATION_ROOMS} conversations at once; leave one first`,
        );
      if (socket.connected) await socket.join(room);
      return ok({});
    });
  }

  @SubscribeMessage('conversation.leave')
  leaveConversation(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: unknown): Promise<Ack> {
    return this.handle(socket, 'conversation.leave', parseConversationRef(body), async ({ conversationId }) => {
      await socket.leave(conversationRoom(conversationId));
      return ok({});
    });
  }

  @SubscribeMessage('typing')
  typing(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: unknown): Promise<Ack> {
    return this.handle(socket, 'typing', parseTyping(body), async ({ conversationId, typing }) => {
      const orgId = await this.orgOfConversation(socket, conversationId);
      const role = orgId && socket.data.orgs.get(orgId);
      if (!orgId || !role) return notFound('Conversation');
      if (!roleAtLeast(role, 'agent'))
        return fail(ErrorCode.InsufficientRole, `Requires the agent role or higher; you are ${role}`);
      const { userId, name } = socket.data;
      socket.to(orgRoom(orgId)).emit('typing', { conversationId, userId, name, typing });
      return ok({});
    });
  }

  @SubscribeMessage('presence')
  setPresence(@ConnectedSocket() socket: RealtimeSocket, @MessageBody() body: unknown): Promise<Ack> {
    return this.handle(socket, 'presence', parsePresence(body), async ({ status }) => {
      socket.data.status = status;
      await Promise.all([...socket.data.orgs.keys()].map((orgId) => this.touchPresence(socket, orgId)));
      return ok({});
    });
  }

  @SubscribeMessage('presence.list')
  listPresence(
    @ConnectedSocket() socket: RealtimeSocket,
    @MessageBody() body: unknown,
  ): Promise<Ack<{ data: { userId: string; status: string; lastSeenAt: string }[] }>> {
    return this.handle(socket, 'presence.list', parseOrgRef(body), async ({ orgId }) => {
      if (!socket.data.orgs.has(orgId)) return notFound('Organization');
      const entries = await this.presence.list(orgId);
      return ok({ data: entries.map((entry) => ({ ...entry, lastSeenAt: entry.lastSeenAt.toISOString() })) });
    });
  }

  /** Rate limit, payload check, and no exception ever escapes to Nest (which would not answer the ack). */
  private async handle<T, R extends object>(
    socket: RealtimeSocket,
    event: string,
    input: Parsed<T>,
    run: (value: T) => Promise<Ack<R>>,
  ): Promise<Ack<R>> {
    if (!socket.data.limiter.take()) return fail(ErrorCode.RateLimited, 'Too many events; slow down');
    if ('error' in input) return fail(ErrorCode.ValidationFailed, input.error);
    try {
      return await run(input.value);
    } catch (error) {
      this.logger.error(`${event} failed: ${messageOf(error)}`);
      return fail(ErrorCode.Internal, 'Something went wrong; try again');
    }
  }

  /** The org of a conversation, among the orgs this socket joined (one scoped query, then cached). */
  private async orgOfConversation(socket: RealtimeSocket, conversationId: string): Promise<string | null> {
    const { orgs, conversations } = socket.data;
    const known = conversations.get(conversationId);
    if (known) return orgs.has(known) ? known : null;
    if (orgs.size === 0) return null;
    const rows: { org_id: string }[] = await this.dataSource.query(
      'SELECT org_id FROM conversations WHERE id = $1 AND org_id = ANY($2::uuid[])',
      [conversationId, [...orgs.keys()]],
    );
    const orgId = rows[0]?.org_id;
    if (!orgId) return null;
    if (conversations.size >= MAX_CHECKED_CONVERSATIONS) {
      for (const id of conversations.keys()) if (!socket.rooms.has(conversationRoom(id))) conversations.delete(id);
    }
    conversations.set(conversationId, orgId);
    return orgId;
  }

  private async leave(socket: RealtimeSocket, orgId: string): Promise<void> {
    const { orgs, conversations, userId } = socket.data;
    orgs.delete(orgId);
    await socket.leave(orgRoom(orgId));
    for (const [conversationId, owner] of conversations) {
      if (owner !== orgId) continue;
      conversations.delete(conversationId);
      await socket.leave(conversationRoom(conversationId));
    }
    this.announce(await this.presence.remove(orgId, userId, socket.id));
  }

  private async touchPresence(socket: RealtimeSocket, orgId: string): Promise<void> {
    this.announce(await this.presence.touch(orgId, socket.data.userId, socket.id, socket.data.status));
  }

  private async dropPresence(socket: RealtimeSocket): Promise<void> {
    const orgIds = [...socket.data.orgs.keys()];
    socket.data.orgs.clear();
    try {
      const changes = await Promise.all(
        orgIds.map((orgId) => this.presence.remove(orgId, socket.data.userId, socket.id)),
      );
      changes.forEach((change) => this.announce(change));
    } catch (error) {
      // The sweeper clears the entries once they lapse.
      this.logger.warn(`presence not cleared on disconnect: ${messageOf(error)}`);
    }
  }

  private announce(change: PresenceChange | null): void {
    if (change)
      this.server?.to(orgRoom(change.orgId)).emit('presence', { userId: change.userId, status: change.status });
  }

  private async sweepPresence(): Promise<void> {
    try {
      (await this.presence.sweep()).forEach((change) => this.announce(change));
    } catch (error) {
      this.logger.debug(`presence sweep failed: ${messageOf(error)}`); // Redis away: /health says so
    }
  }

  /** Logout and removal from an org reach open sockets too, not only new handshakes. */
  private async revalidate(): Promise<void> {
    if (this.revalidating || !this.server) return;
    this.revalidating = true;
    try {
      for (const socket of this.server.sockets.sockets.values()) await this.recheck(socket);
    } finally {
      this.revalidating = false;
    }
  }

  private async recheck(socket: RealtimeSocket): Promise<void> {
    const { userId, sessionId, orgs } = socket.data;
    try {
      if (!(await this.auth.sessionActive(sessionId, userId))) {
        socket.disconnect(true);
        return;
      }
      for (const orgId of [...orgs.keys()]) {
        const role = await this.organizations.roleOf(orgId, userId);
        if (socket.disconnected || !orgs.has(orgId)) continue;
        if (role) {
          orgs.set(orgId, role);
        } else {
          await this.leave(socket, orgId);
          socket.emit('org.left', { orgId });
        }
      }
    } catch (error) {
      this.logger.warn(`realtime revalidation failed: ${messageOf(error)}`);
    }
  }

  /** What the client sees in `connect_error`; never the token. */
  private refusal(error: unknown): ExtendedError {
    if (error instanceof HandshakeRefused) return error;
    this.logger.error(`handshake check failed: ${messageOf(error)}`);
    return Object.assign(new Error('unavailable'), {
      data: { code: ErrorCode.ServiceUnavailable, message: 'Realtime is unavailable; try again shortly' },
    });
  }
}
