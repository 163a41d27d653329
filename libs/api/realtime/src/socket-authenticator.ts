import { Injectable } from '@nestjs/common';
import { looksLikeApiKey } from '@parley/api/api-keys';
import { AccessTokens, AuthService } from '@parley/api/auth';
import { DomainError, ErrorCode } from '@parley/api/core';
import { UsersService } from '@parley/api/users';

export interface SocketUser {
  userId: string;
  sessionId: string;
  name: string;
}

/** A handshake we refuse; the client sees `connect_error` with message `unauthorized` and `data: { code, message }`. */
export class HandshakeRefused extends Error {
  readonly data: { code: ErrorCode; message: string };

  constructor(reason: string) {
    super('unauthorized');
    this.data = { code: ErrorCode.Unauthenticated, message: reason };
  }
}

/** Longer than any access token we sign; refused before any work. */
const MAX_TOKEN_LENGTH = 4096;

/**
 * Checks a socket's `auth: { token }` as the HTTP guard checks a bearer token: a valid signature, not
 * expired, and a session still standing. People only: API keys are refused, since partners integrate
 * through the REST API and outgoing webhooks, and a leaked key must not become a live feed of every
 * conversation.
 */
@Injectable()
export class SocketAuthenticator {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  async authenticate(handshakeAuth: unknown): Promise<SocketUser> {
    const token =
      typeof handshakeAuth === 'object' && handshakeAuth !== null
        ? (handshakeAuth as Record<string, unknown>)['token']
        : undefined;
    if (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH)
      throw new HandshakeRefused('Connect with auth: { token } carrying your access token');
    if (looksLikeApiKey(token))
      throw new HandshakeRefused('API keys cannot open realtime connections; sign in as a person');
    const claims = this.verify(token);
    if (!claims || !(await this.auth.sessionActive(claims.sid, claims.sub)))
      throw new HandshakeRefused('The access token is not valid, or its session has ended');
    const user = await this.users.findById(claims.sub);
    if (!user) throw new HandshakeRefused('The access token is not valid, or its session has ended');
    return { userId: user.id, sessionId: claims.sid, name: user.name };
  }

  private verify(token: string) {
    try {
      return this.tokens.verify(token);
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.Unauthenticated)
        throw new HandshakeRefused('The access token expired; refresh it and reconnect');
      throw error;
    }
  }
}
