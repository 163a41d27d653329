import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ApiKeysService, looksLikeApiKey } from '@parley/api/api-keys';
import type { Principal } from '@parley/api/core';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';

/** A partner key in `X-API-Key`, or in `Authorization: Bearer` (keys start with `prl_`, unlike JWTs). */
function presentedKey(req: Request): string | undefined {
  const header = req.header('x-api-key');
  if (header) return header.trim();
  const [scheme, value] = (req.header('authorization') ?? '').split(' ');
  return scheme?.toLowerCase() === 'bearer' && value && looksLikeApiKey(value) ? value : undefined;
}

@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  async validate(req: Request): Promise<Principal | false> {
    const key = presentedKey(req);
    return (key && (await this.apiKeys.authenticate(key))) || false;
  }
}
