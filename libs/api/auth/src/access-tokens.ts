import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError, ErrorCode } from '@parley/api/core';
import { sign, TokenExpiredError, verify } from 'jsonwebtoken';
import { createSecretKey, KeyObject } from 'node:crypto';

/** Claims of an access token: the user, their session and their email (for audit labels). */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  email: string;
}

/**
 * HS256 access tokens. The key is a `KeyObject` made once: given a string, jsonwebtoken first
 * tries to parse it as a PEM public key and throws, which cost ~1 ms on every request.
 */
@Injectable()
export class AccessTokens {
  private readonly key: KeyObject;

  constructor(private readonly config: AppConfig) {
    this.key = createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8'));
  }

  sign(claims: AccessTokenClaims): string {
    return sign(claims, this.key, { algorithm: 'HS256', expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS });
  }

  /** The claims of a valid token; a 401 for an expired one; null for anything else. */
  verify(token: string): AccessTokenClaims | null {
    try {
      const claims = verify(token, this.key, { algorithms: ['HS256'] });
      return typeof claims === 'object' && typeof claims.sub === 'string' && typeof claims['sid'] === 'string'
        ? { sub: claims.sub, sid: claims['sid'] as string, email: String(claims['email'] ?? '') }
        : null;
    } catch (error) {
      if (error instanceof TokenExpiredError)
        throw new DomainError(ErrorCode.Unauthenticated, 'Access token expired; refresh it');
      return null;
    }
  }
}
