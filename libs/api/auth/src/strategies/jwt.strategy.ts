import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { looksLikeApiKey } from '@parley/api/api-keys';
import { AppConfig, Principal } from '@parley/api/core';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AccessTokenClaims, AuthService } from '../auth.service';

const bearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/** `Authorization: Bearer <access token>`: a valid signature, not expired, and a session still standing. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: (req: Request) => {
        const token = bearer(req);
        return token && !looksLikeApiKey(token) ? token : null;
      },
      secretOrKey: config.JWT_SECRET,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Principal | false> {
    if (!(await this.auth.sessionActive(claims.sid, claims.sub))) return false;
    return { kind: 'user', userId: claims.sub, sessionId: claims.sid, email: claims.email };
  }
}
