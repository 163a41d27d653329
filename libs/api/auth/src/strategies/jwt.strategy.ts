import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { looksLikeApiKey } from '@parley/api/api-keys';
import type { Principal } from '@parley/api/core';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { AccessTokens } from '../access-tokens';
import { AuthService } from '../auth.service';

/** `Authorization: Bearer <access token>`: a valid signature, not expired, and a session still standing. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly auth: AuthService,
  ) {
    super();
  }

  async validate(req: Request): Promise<Principal | false> {
    const [scheme, token] = (req.header('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || looksLikeApiKey(token)) return false;
    const claims = this.tokens.verify(token);
    if (!claims || !(await this.auth.sessionActive(claims.sid, claims.sub))) return false;
    return { kind: 'user', userId: claims.sub, sessionId: claims.sid, email: claims.email };
  }
}
