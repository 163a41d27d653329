import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import {
  ApiKeyScope,
  OrgScopedRepository,
  Page,
  PageQuery,
  pageByCreatedAt,
  Principal,
  randomToken,
  sha256Hex,
} from '@parley/api/core';
import { randomInt } from 'node:crypto';
import { DataSource, IsNull, Repository } from 'typeorm';
import { ApiKey } from './entities/api-key.entity';

export const API_KEY_PREFIX = 'prl_';
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
/** Last-used times are a hint; writing them at most once a minute keeps hot keys off the write path. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(API_KEY_PREFIX);
}

@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly scoped: OrgScopedRepository<ApiKey>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly audit: AuditService,
  ) {
    this.scoped = new OrgScopedRepository(keys, 'API key');
  }

  async create(
    orgId: string,
    input: { name?: string; scopes: ApiKeyScope[] },
    createdById: string | null,
  ): Promise<{ apiKey: ApiKey; key: string }> {
    const prefix = API_KEY_PREFIX + Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    const key = `${prefix}_${randomToken(32)}`;
    const name = input.name ?? 'API key';
    const apiKey = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(ApiKey, { orgId, name, prefix, keyHash: sha256Hex(key), scopes: input.scopes, createdById }),
      );
      await this.audit.record(manager, {
        orgId,
        action: 'api_key.created',
        targetType: 'api_key',
        targetId: saved.id,
        changes: { after: { name, prefix, scopes: input.scopes } },
      });
      return saved;
    });
    return { apiKey, key };
  }

  list(orgId: string, query: PageQuery): Promise<Page<ApiKey>> {
    return pageByCreatedAt(this.scoped.query(orgId, 'key'), query);
  }

  async revoke(orgId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const apiKey = await this.scoped.in(manager).get(orgId, id);
      if (apiKey.revokedAt) return;
      await manager.update(ApiKey, { id: apiKey.id }, { revokedAt: new Date() });
      await this.audit.record(manager, {
        orgId,
        action: 'api_key.revoked',
        targetType: 'api_key',
        targetId: apiKey.id,
        changes: { before: { name: apiKey.name, prefix: apiKey.prefix } },
      });
    });
  }

  /** The principal for a presented key, or null when it is unknown or revoked. */
  async authenticate(key: string): Promise<Extract<Principal, { kind: 'apiKey' }> | null> {
    if (!looksLikeApiKey(key) || key.length > 128) return null;
    const apiKey = await this.keys.findOneBy({ keyHash: sha256Hex(key), revokedAt: IsNull() });
    if (!apiKey) return null;
    const now = Date.now();
    if (!apiKey.lastUsedAt || now - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      this.keys
        .update({ id: apiKey.id }, { lastUsedAt: new Date(now) })
        .catch((error: unknown) => this.logger.warn(`could not record last use of ${apiKey.prefix}: ${String(error)}`));
    }
    return { kind: 'apiKey', apiKeyId: apiKey.id, orgId: apiKey.orgId, scopes: apiKey.scopes, prefix: apiKey.prefix };
  }
}
