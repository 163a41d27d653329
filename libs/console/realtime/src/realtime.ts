import { DestroyRef, effect, inject, Injectable, signal } from '@angular/core';
import type { CampaignDto, ConversationDto, MessageDto, NoteDto } from '@parley/console/api-client';
import { Observable, Subject, filter, map } from 'rxjs';
import { io, type Socket } from 'socket.io-client';
import { Session } from '@parley/console/core';

export interface TypingEvent {
  conversationId: string;
  userId: string;
  name?: string;
  typing: boolean;
}
export interface PresenceEvent {
  userId: string;
  status: 'online' | 'away' | 'offline';
}

/** Server events and their payloads (the resources in their API shapes). */
export interface RealtimeEvents {
  'message.created': MessageDto;
  'message.updated': MessageDto;
  'conversation.updated': ConversationDto;
  'note.created': NoteDto;
  typing: TypingEvent;
  presence: PresenceEvent;
  /** A running (or just ended) campaign's progress, at most once a second. */
  'campaign.updated': CampaignDto;
}
type EventName = keyof RealtimeEvents;
const EVENTS: EventName[] = [
  'message.created',
  'message.updated',
  'conversation.updated',
  'note.created',
  'typing',
  'presence',
  'campaign.updated',
];

interface Received {
  name: EventName;
  payload: unknown;
}

/** The server counts a socket gone after 60 s without a presence heartbeat. */
const HEARTBEAT_MS = 25_000;

/**
 * One Socket.io connection per tab, joined to the current org's room. Reconnects on its own
 * (socket.io backs off), refreshes an expired token on a refused handshake, and re-joins after each
 * reconnect; `connected` tells the UI whether what it shows is live. Tells the team whether the
 * agent is here: online while the tab is visible, away while it is hidden.
 */
@Injectable({ providedIn: 'root' })
export class Realtime {
  private readonly session = inject(Session);
  private readonly received = new Subject<Received>();
  private socket: Socket | null = null;
  private joinedOrg: string | null = null;
  readonly connected = signal(false);

  constructor() {
    const heartbeat = setInterval(() => this.sendPresence(), HEARTBEAT_MS);
    const visibility = () => this.sendPresence();
    document.addEventListener('visibilitychange', visibility);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(heartbeat);
      document.removeEventListener('visibilitychange', visibility);
      this.disconnect();
    });
    effect(() => {
      const orgId = this.session.orgId();
      const signedIn = this.session.signedIn();
      if (!signedIn) this.disconnect();
      else this.join(orgId);
    });
  }

  on<K extends EventName>(name: K): Observable<RealtimeEvents[K]> {
    return this.received.pipe(
      filter((event) => event.name === name),
      map((event) => event.payload as RealtimeEvents[K]),
    );
  }

  typing(conversationId: string, typing: boolean): void {
    this.socket?.emit('typing', { conversationId, typing });
  }

  /** Who of the org is online now (the server keeps presence across api processes). */
  presence(orgId: string): Promise<PresenceEvent[]> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.resolve([]);
    return socket
      .timeout(5_000)
      .emitWithAck('presence.list', { orgId })
      .then((ack: { ok: boolean; data?: PresenceEvent[] }) => (ack.ok ? (ack.data ?? []) : []))
      .catch(() => []);
  }

  private connect(): Socket {
    if (this.socket) return this.socket;
    const socket = io({
      path: '/socket.io',
      transports: ['websocket'],
      auth: (callback) => callback({ token: this.session.accessToken() ?? '' }),
    });
    socket.on('connect', () => {
      this.connected.set(true);
      const orgId = this.joinedOrg;
      if (orgId) socket.emit('org.join', { orgId });
    });
    socket.on('disconnect', () => this.connected.set(false));
    socket.on('connect_error', (error: Error) => {
      // An expired access token: refresh it and try again; anything else, socket.io retries itself.
      if (error.message === 'unauthorized')
        this.session.refresh().then(
          () => socket.connect(),
          () => this.disconnect(),
        );
    });
    for (const name of EVENTS) socket.on(name, (payload: unknown) => this.received.next({ name, payload }));
    this.socket = socket;
    return socket;
  }

  private join(orgId: string | null): void {
    const socket = this.connect();
    if (this.joinedOrg && this.joinedOrg !== orgId && socket.connected)
      socket.emit('org.leave', { orgId: this.joinedOrg });
    this.joinedOrg = orgId;
    if (orgId && socket.connected) socket.emit('org.join', { orgId });
  }

  private sendPresence(): void {
    if (this.socket?.connected && this.joinedOrg)
      this.socket.emit('presence', { status: document.visibilityState === 'hidden' ? 'away' : 'online' });
  }

  private disconnect(): void {
    this.socket?.disconnect();
    this.socket = null;
    this.joinedOrg = null;
    this.connected.set(false);
  }
}
