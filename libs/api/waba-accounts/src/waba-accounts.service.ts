import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService, diff } from '@parley/api/audit';
import {
  AppConfig,
  DomainError,
  entityColumns,
  ErrorCode,
  isUniqueViolation,
  isUuid,
  OrgScopedRepository,
  Page,
  PageQuery,
  pageByCreatedAt,
  preparedQuery,
  randomToken,
  Role,
  roleAtLeast,
  SECRET_MASK,
  SecretBox,
} from '@parley/api/core';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { CreateWabaAccountDto, UpdateWabaAccountDto, WabaAccountDto } from './dto/waba-account.dto';
import { CreatePhoneNumberDto, UpdatePhoneNumberDto } from './dto/phone-number.dto';
import { DEFAULT_THROUGHPUT_MPS, PhoneNumber, QualityRating } from './entities/phone-number.entity';
import { WabaAccount } from './entities/waba-account.entity';

/** Where each sealed secret lives: the associated data that binds its ciphertext to the row. */
const sealedAt = (column: 'app_secret' | 'access_token', accountId: string) => `waba_accounts.${column}:${accountId}`;

/** What the webhook endpoint needs to accept a POST for an account, found by the id in its URL. */
export interface WebhookTarget {
  accountId: string;
  orgId: string;
  appSecret: string;
  verifyToken: string;
}

/** A business number as Meta lists it under a WABA, in our terms. */
export interface RemotePhoneNumber {
  phoneNumberId: string;
  displayPhoneNumber: string;
  verifiedName: string | null;
  qualityRating: QualityRating;
}

/** What the Graph API client and the webhook verifier need: the only place secrets are opened. */
export interface WabaCredentials {
  appSecret: string;
  accessToken: string;
  graphApiVersion: string;
}

@Injectable()
export class WabaAccountsService {
  private readonly accounts: OrgScopedRepository<WabaAccount>;
  private readonly numbers: OrgScopedRepository<PhoneNumber>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WabaAccount) private readonly accountRows: Repository<WabaAccount>,
    @InjectRepository(PhoneNumber) numbers: Repository<PhoneNumber>,
    private readonly secrets: SecretBox,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {
    this.accounts = new OrgScopedRepository(accountRows, 'WABA account');
    this.numbers = new OrgScopedRepository(numbers, 'Phone number');
  }

  /** The account as callers see it: secrets masked, and the verify token shown to admins only. */
  toDto(account: WabaAccount, viewerRole: Role): WabaAccountDto {
    return {
      id: account.id,
      name: account.name,
      wabaId: account.wabaId,
      appId: account.appId,
      appSecret: SECRET_MASK,
      accessToken: SECRET_MASK + account.accessTokenHint,
      verifyToken: roleAtLeast(viewerRole, 'admin') ? account.verifyToken : SECRET_MASK,
      graphApiVersion: account.graphApiVersion,
      webhookUrl: this.webhookUrl(account.id),
      status: account.status,
      messagingLimitTier: account.messagingLimitTier,
      tokenHealth: {
        status: account.tokenStatus,
        checkedAt: account.tokenCheckedAt,
        expiresAt: account.tokenExpiresAt,
        problem: account.tokenProblem,
      },
      createdAt: account.createdAt,
      updatedAt: account.updatedAt,
    };
  }

  /** Where Meta POSTs the account's webhooks (the callback URL in the App Dashboard). */
  webhookUrl(accountId: string): string {
    return `${this.config.PUBLIC_URL}/api/v1/webhooks/whatsapp/${accountId}`;
  }

  async create(orgId: string, input: CreateWabaAccountDto): Promise<WabaAccount> {
    const id = randomUUID();
    const account: Partial<WabaAccount> = {
      id,
      orgId,
      name: input.name ?? `WABA ${input.wabaId}`,
      wabaId: input.wabaId,
      appId: input.appId,
      verifyToken: input.verifyToken ?? randomToken(24),
      graphApiVersion: input.graphApiVersion ?? this.config.GRAPH_API_VERSION,
      status: 'active',
      ...this.sealSecrets(id, input),
    };
    return this.uniquely(ErrorCode.WabaAccountExists, 'wabaId', `WABA ${input.wabaId} is already connected`, () =>
      this.dataSource.transaction(async (manager) => {
        const saved = await manager.save(manager.create(WabaAccount, account));
        await this.audit.record(manager, {
          orgId,
          action: 'waba_account.created',
          targetType: 'waba_account',
          targetId: id,
          changes: {
            after: {
              name: saved.name,
              wabaId: saved.wabaId,
              appId: saved.appId,
              graphApiVersion: saved.graphApiVersion,
            },
          },
        });
        return saved;
      }),
    );
  }

  list(orgId: string, query: PageQuery): Promise<Page<WabaAccount>> {
    return pageByCreatedAt(this.accounts.query(orgId, 'account'), query);
  }

  get(orgId: string, id: string): Promise<WabaAccount> {
    return this.accounts.get(orgId, id);
  }

  update(orgId: string, id: string, input: UpdateWabaAccountDto): Promise<WabaAccount> {
    return this.dataSource.transaction(async (manager) => {
      const account = await this.accounts.in(manager).get(orgId, id);
      const plain = {
        name: input.name,
        graphApiVersion: input.graphApiVersion,
        status: input.status,
        messagingLimitTier: input.messagingLimitTier,
      };
      const changes = diff(
        {
          name: account.name,
          graphApiVersion: account.graphApiVersion,
          status: account.status,
          messagingLimitTier: account.messagingLimitTier,
        },
        plain,
      ) ?? { before: {}, after: {} };
      // Secrets are recorded as rotated, never by value.
      for (const secret of ['appSecret', 'accessToken', 'verifyToken'] as const) {
        if (input[secret] !== undefined) changes.after = { ...changes.after, [secret]: 'rotated' };
      }
      Object.assign(
        account,
        Object.fromEntries(Object.entries(plain).filter(([, value]) => value !== undefined)),
        this.sealSecrets(id, input),
      );
      if (input.verifyToken !== undefined) account.verifyToken = input.verifyToken;
      // New credentials: the last verdict was about the old ones, and the new ones are checked at once.
      if (input.accessToken !== undefined || input.appSecret !== undefined) {
        Object.assign(account, {
          tokenStatus: 'unchecked',
          tokenCheckedAt: null,
          tokenExpiresAt: null,
          tokenProblem: null,
          tokenCheckDueAt: new Date(),
        });
      }
      const saved = await manager.save(account);
      if (Object.keys(changes.after ?? {}).length > 0) {
        await this.audit.record(manager, {
          orgId,
          action: 'waba_account.updated',
          targetType: 'waba_account',
          targetId: id,
          changes,
        });
      }
      return saved;
    });
  }

  async delete(orgId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const account = await this.accounts.in(manager).get(orgId, id);
      await manager.delete(WabaAccount, { id: account.id, orgId });
      await this.audit.record(manager, {
        orgId,
        action: 'waba_account.deleted',
        targetType: 'waba_account',
        targetId: id,
        changes: { before: { name: account.name, wabaId: account.wabaId } },
      });
    });
  }

  /** Opens the sealed secrets of an account, for talking to Meta. Never for responses or logs. */
  async credentials(orgId: string, id: string): Promise<WabaCredentials> {
    return this.credentialsOf(await this.accounts.get(orgId, id));
  }

  /** The same, for an account already loaded. */
  credentialsOf(account: WabaAccount): WabaCredentials {
    return {
      appSecret: this.secrets.decrypt(account.appSecretEncrypted, sealedAt('app_secret', account.id)),
      accessToken: this.secrets.decrypt(account.accessTokenEncrypted, sealedAt('access_token', account.id)),
      graphApiVersion: account.graphApiVersion,
    };
  }

  /**
   * The account a webhook URL names, across all orgs (the URL is how Meta tells us the tenant).
   * Null for unknown ids; the app secret is opened here because only it can check the signature.
   */
  async findWebhookTarget(accountId: string): Promise<WebhookTarget | null> {
    if (!isUuid(accountId)) return null;
    const account = await this.accountRows.findOneBy({ id: accountId });
    if (!account) return null;
    return {
      accountId: account.id,
      orgId: account.orgId,
      appSecret: this.secrets.decrypt(account.appSecretEncrypted, sealedAt('app_secret', account.id)),
      verifyToken: account.verifyToken,
    };
  }

  /** An org's number by our id, or a 404. */
  phoneNumber(orgId: string, id: string): Promise<PhoneNumber> {
    return this.numbers.get(orgId, id);
  }

  /** The org's first registered number, or null when it has none. */
  firstPhoneNumber(orgId: string): Promise<PhoneNumber | null> {
    return this.numbers
      .query(orgId, 'number')
      .orderBy('number.createdAt', 'ASC')
      .addOrderBy('number.id', 'ASC')
      .getOne();
  }

  /**
   * An org's number by Meta's phone number id (how webhooks name it). Asked for every webhook:
   * plain prepared SQL, in the caller's transaction if it passes one (no second pooled connection).
   */
  async phoneNumberByMetaId(
    orgId: string,
    metaPhoneNumberId: string,
    db: DataSource | EntityManager = this.dataSource,
  ): Promise<PhoneNumber | null> {
    const [number] = await preparedQuery<PhoneNumber>(
      db,
      `SELECT ${entityColumns(this.dataSource, PhoneNumber, 'p')} FROM phone_numbers p
       WHERE p.org_id = $1 AND p.phone_number_id = $2`,
      [orgId, metaPhoneNumberId],
    );
    return number ?? null;
  }

  addPhoneNumber(orgId: string, accountId: string, input: CreatePhoneNumberDto): Promise<PhoneNumber> {
    return this.uniquely(
      ErrorCode.PhoneNumberExists,
      'phoneNumberId',
      `Phone number ${input.phoneNumberId} is already registered`,
      () =>
        this.dataSource.transaction(async (manager) => {
          // FOR SHARE: the account can't be deleted between this check and the insert.
          await this.accounts.in(manager).get(orgId, accountId, { lock: 'pessimistic_read' });
          const saved = await manager.save(
            manager.create(PhoneNumber, {
              orgId,
              wabaAccountId: accountId,
              phoneNumberId: input.phoneNumberId,
              displayPhoneNumber: input.displayPhoneNumber,
              verifiedName: input.verifiedName ?? null,
              qualityRating: input.qualityRating ?? 'UNKNOWN',
              throughputMps: input.throughputMps ?? DEFAULT_THROUGHPUT_MPS,
            }),
          );
          await this.auditNumber(manager, saved, 'phone_number.created', { after: { ...input } });
          return saved;
        }),
    );
  }

  async listPhoneNumbers(orgId: string, accountId: string, query: PageQuery): Promise<Page<PhoneNumber>> {
    await this.accounts.get(orgId, accountId);
    const qb = this.numbers.query(orgId, 'number').andWhere('number.wabaAccountId = :accountId', { accountId });
    return pageByCreatedAt(qb, query, 'ASC');
  }

  updatePhoneNumber(
    orgId: string,
    accountId: string,
    numberId: string,
    input: UpdatePhoneNumberDto,
  ): Promise<PhoneNumber> {
    return this.dataSource.transaction(async (manager) => {
      const number = await this.getNumber(manager, orgId, accountId, numberId);
      const changes = diff(
        {
          displayPhoneNumber: number.displayPhoneNumber,
          verifiedName: number.verifiedName,
          qualityRating: number.qualityRating,
          throughputMps: number.throughputMps,
        },
        input,
      );
      if (!changes) return number;
      Object.assign(number, changes.after);
      const saved = await manager.save(number);
      await this.auditNumber(manager, saved, 'phone_number.updated', changes);
      return saved;
    });
  }

  async deletePhoneNumber(orgId: string, accountId: string, numberId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const number = await this.getNumber(manager, orgId, accountId, numberId);
      await manager.delete(PhoneNumber, { id: number.id, orgId });
      await this.auditNumber(manager, number, 'phone_number.deleted', {
        before: { phoneNumberId: number.phoneNumberId },
      });
    });
  }

  /**
   * Records a passed connection test: the numbers Meta lists for the WABA are upserted by Meta's
   * id (new ones added; known ones get Meta's display number, verified name and quality rating),
   * numbers Meta no longer lists are left alone, and the test is audited. One transaction, with the
   * account row locked so two tests of one account don't race to insert the same number.
   */
  recordConnectionTest(
    orgId: string,
    accountId: string,
    business: { id: string; name: string | null },
    remote: RemotePhoneNumber[],
  ): Promise<PhoneNumber[]> {
    return this.uniquely(
      ErrorCode.PhoneNumberExists,
      'phoneNumberId',
      'A phone number Meta lists for this WABA is already registered under another account',
      () =>
        this.dataSource.transaction(async (manager) => {
          await this.accounts.in(manager).get(orgId, accountId, { lock: 'pessimistic_write' });
          // Meta's phone number ids are unique platform-wide, so the lookup is too.
          const known = new Map(
            (await manager.findBy(PhoneNumber, { phoneNumberId: In(remote.map((n) => n.phoneNumberId)) })).map((n) => [
              n.phoneNumberId,
              n,
            ]),
          );
          const stored: PhoneNumber[] = [];
          for (const number of remote) {
            const existing = known.get(number.phoneNumberId);
            if (existing && existing.wabaAccountId !== accountId) {
              throw DomainError.invalidField(
                ErrorCode.PhoneNumberExists,
                'phoneNumberId',
                `Phone number ${number.phoneNumberId}, which Meta lists for this WABA, is already registered under another account`,
              );
            }
            const details = {
              displayPhoneNumber: number.displayPhoneNumber,
              verifiedName: number.verifiedName,
              qualityRating: number.qualityRating,
            };
            if (!existing) {
              const saved = await manager.save(
                manager.create(PhoneNumber, {
                  orgId,
                  wabaAccountId: accountId,
                  phoneNumberId: number.phoneNumberId,
                  ...details,
                }),
              );
              await this.auditNumber(manager, saved, 'phone_number.created', {
                after: { phoneNumberId: number.phoneNumberId, ...details },
              });
              stored.push(saved);
              continue;
            }
            const changes = diff(
              {
                displayPhoneNumber: existing.displayPhoneNumber,
                verifiedName: existing.verifiedName,
                qualityRating: existing.qualityRating,
              },
              details,
            );
            if (!changes) {
              stored.push(existing);
              continue;
            }
            Object.assign(existing, changes.after);
            const saved = await manager.save(existing);
            await this.auditNumber(manager, saved, 'phone_number.updated', changes);
            stored.push(saved);
          }
          await this.audit.record(manager, {
            orgId,
            action: 'waba_account.tested',
            targetType: 'waba_account',
            targetId: accountId,
            changes: { after: { ok: true, business, phoneNumbers: remote.map((n) => n.phoneNumberId) } },
          });
          return stored;
        }),
    );
  }

  /** Records a connection test Meta refused, with Meta's code (never the token). */
  async recordFailedConnectionTest(orgId: string, accountId: string, meta: { code: number | null }): Promise<void> {
    await this.audit.record(this.dataSource.manager, {
      orgId,
      action: 'waba_account.tested',
      targetType: 'waba_account',
      targetId: accountId,
      changes: { after: { ok: false, metaCode: meta.code } },
    });
  }

  private async getNumber(
    manager: EntityManager,
    orgId: string,
    accountId: string,
    numberId: string,
  ): Promise<PhoneNumber> {
    const number = await this.numbers.in(manager).get(orgId, numberId);
    if (number.wabaAccountId !== accountId) throw DomainError.notFound('Phone number');
    return number;
  }

  private auditNumber(
    manager: EntityManager,
    number: PhoneNumber,
    action: string,
    changes: { before?: object; after?: object },
  ) {
    return this.audit.record(manager, {
      orgId: number.orgId,
      action,
      targetType: 'phone_number',
      targetId: number.id,
      changes: changes as { before?: Record<string, unknown>; after?: Record<string, unknown> },
    });
  }

  private sealSecrets(accountId: string, input: { appSecret?: string; accessToken?: string }): Partial<WabaAccount> {
    return {
      ...(input.appSecret !== undefined && {
        appSecretEncrypted: this.secrets.encrypt(input.appSecret, sealedAt('app_secret', accountId)),
      }),
      ...(input.accessToken !== undefined && {
        accessTokenEncrypted: this.secrets.encrypt(input.accessToken, sealedAt('access_token', accountId)),
        accessTokenHint: input.accessToken.length >= 24 ? input.accessToken.slice(-4) : '',
      }),
    };
  }

  /** Runs `fn`, turning a unique violation (a concurrent duplicate) into a 409 naming `field`. */
  private async uniquely<T>(code: ErrorCode, field: string, message: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isUniqueViolation(error)) throw DomainError.invalidField(code, field, message);
      throw error;
    }
  }
}
