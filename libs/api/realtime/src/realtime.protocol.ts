import { ErrorCode, isUuid, type RealtimeEvent, type Role } from '@parley/api/core';
import type { TokenBucket } from './token-bucket';

/** What a client sets; `offline` is what the server says once none of a user's sockets is left. */
export type PresenceStatus = 'online' | 'away';
export type UserPresence = PresenceStatus | 'offline';

export interface TypingEvent {
  conversationId: string;
  userId: string;
  name?: string;
  typing: boolean;
}

export interface PresenceEvent {
  userId: string;
  status: UserPresence;
}

/** Events the server sends; the resource events (`message.created`, ...) come from `RealtimePublisher`. */
export interface ServerToClientEvents {
  typing: (event: TypingEvent) => void;
  presence: (event: PresenceEvent) => void;
  /** The socket left an org's rooms because the user is no longer a member. */
  'org.left': (event: { orgId: string }) => void;
}

/** Names of every event a client can receive. */
export type ServerEventName = keyof ServerToClientEvents | RealtimeEvent;

export interface AckError {
  code: ErrorCode;
  message: string;
}
export type AckFailure = { ok: false; error: AckError };
export type Ack<T extends object = object> = ({ ok: true } & T) | AckFailure;

export const ok = <T extends object>(result: T): Ack<T> => ({ ok: true, ...result });
export const fail = (code: ErrorCode, message: string): AckFailure => ({ ok: false, error: { code, message } });
/** Not a member and no such thing look the same, so ids of other tenants reveal nothing. */
export const notFound = (what: string): AckFailure => fail(ErrorCode.NotFound, `${what} not found`);

/** Who a socket belongs to and what it joined; lives in `socket.data`, in this process only. */
export interface SocketState {
  userId: string;
  sessionId: string;
  name: string;
  status: PresenceStatus;
  /** Orgs joined, with the role checked at join (and refreshed by revalidation). */
  orgs: Map<string, Role>;
  /** Conversations already checked: id → org. Conversations never change org, so this stays true. */
  conversations: Map<string, string>;
  /** Events this socket may still send (typing floods, join storms). */
  limiter: TokenBucket;
}

export type Parsed<T> = { value: T } | { error: string };

function record(body: unknown, allowed: readonly string[]): Record<string, unknown> | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  return Object.keys(body).every((key) => allowed.includes(key)) ? (body as Record<string, unknown>) : null;
}

export function parseOrgRef(body: unknown): Parsed<{ orgId: string }> {
  const fields = record(body, ['orgId']);
  return fields && isUuid(fields['orgId'])
    ? { value: { orgId: fields['orgId'] } }
    : { error: 'Expected { orgId } with a UUID' };
}

export function parseConversationRef(body: unknown): Parsed<{ conversationId: string }> {
  const fields = record(body, ['conversationId']);
  return fields && isUuid(fields['conversationId'])
    ? { value: { conversationId: fields['conversationId'] } }
    : { error: 'Expected { conversationId } with a UUID' };
}

export function parseTyping(body: unknown): Parsed<{ conversationId: string; typing: boolean }> {
  const fields = record(body, ['conversationId', 'typing']);
  return fields && isUuid(fields['conversationId']) && typeof fields['typing'] === 'boolean'
    ? { value: { conversationId: fields['conversationId'], typing: fields['typing'] } }
    : { error: 'Expected { conversationId, typing } with a UUID and a boolean' };
}

export function parsePresence(body: unknown): Parsed<{ status: PresenceStatus }> {
  const fields = record(body, ['status']);
  const status = fields?.['status'];
  return status === 'online' || status === 'away'
    ? { value: { status } }
    : { error: 'Expected { status } with "online" or "away"' };
}
