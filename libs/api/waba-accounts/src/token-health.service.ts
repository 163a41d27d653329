import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import { AppConfig, returning } from '@parley/api/core';
import { GraphApiError } from '@parley/whatsapp/cloud-api';
import { DataSource } from 'typeorm';
import { WabaAccount } from './entities/waba-account.entity';
import { asGraphApiFailure, GraphApiClients } from './graph-api-clients';
import { judgeToken, TokenVerdict } from './token-health';
import { WabaAccountsService } from './waba-accounts.service';

/** How long a check the worker took stays its own before another worker may take it again. */
const CLAIM_LEASE_MS = 10 * 60_000;
/** When a check that could not reach Meta is tried again. */
const RETRY_AFTER_MS = 3_600_000;
/** Accounts checked per claim. */
const CLAIM_BATCH = 20;

/**
 * Checks WABA access tokens against Meta (`debug_token`, asked with the app's own credentials) and
 * keeps the verdict on the account: every token daily in the worker, and one on demand. A token
 * that is refused, lacks a WhatsApp permission or ends within TOKEN_EXPIRY_WARNING_DAYS is flagged
 * before sends fail with 190; a change of verdict is audited.
 */
@Injectable()
export class TokenHealthService {
  private readonly logger = new Logger(TokenHealthService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: WabaAccountsService,
    private readonly clients: GraphApiClients,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Checks one account's token now. Meta unreachable or failing is a 502, and the account keeps its verdict. */
  async check(orgId: string, accountId: string): Promise<WabaAccount> {
    const account = await this.accounts.get(orgId, accountId);
    let verdict: TokenVerdict;
    try {
      verdict = await this.askMeta(account);
    } catch (error) {
      await this.postpone(account.id);
      throw asGraphApiFailure(error);
    }
    return (await this.record(account, verdict)) ?? this.accounts.get(orgId, accountId);
  }

  /**
   * Meta refused a call with 190 (expired or revoked token, or a client still holding the token
   * just rotated away): the account is checked on the worker's next round instead of a day later,
   * against the token stored now, so a rotation is never flagged by mistake. One UPDATE, for the
   * send path to call without waiting.
   */
  async checkSoon(orgId: string, accountId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE waba_accounts SET token_check_due_at = now()
       WHERE id = $1 AND org_id = $2 AND token_check_due_at > now()`,
      [accountId, orgId],
    );
  }

  /**
   * Checks every active account whose check is due, a batch at a time; how many were checked. Each
   * claim pushes the account's due time a lease ahead, so workers share the work and a crashed
   * check is taken again.
   */
  async checkDue(): Promise<number> {
    let checked = 0;
    for (;;) {
      const claimed = await returning<{ id: string; org_id: string }>(
        this.dataSource,
        `WITH due AS (
           SELECT id FROM waba_accounts
           WHERE status = 'active' AND token_check_due_at <= now()
           ORDER BY token_check_due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         UPDATE waba_accounts a SET token_check_due_at = now() + ($2 || ' milliseconds')::interval
         FROM due WHERE a.id = due.id
         RETURNING a.id, a.org_id`,
        [CLAIM_BATCH, CLAIM_LEASE_MS],
      );
      for (const row of claimed) {
        try {
          await this.check(row.org_id, row.id);
          checked += 1;
        } catch (error) {
          this.logger.warn(`token check of WABA account ${row.id} failed: ${reason(error)}`);
        }
      }
      if (claimed.length < CLAIM_BATCH) return checked;
    }
  }

  /** Meta's verdict on the token; a refusal of the check itself (a wrong app secret) counts against it. */
  private async askMeta(account: WabaAccount): Promise<TokenVerdict> {
    const credentials = this.accounts.credentialsOf(account);
    const client = this.clients.forCredentials(credentials);
    try {
      const info = await client.inspectToken({ appId: account.appId, appSecret: credentials.appSecret });
      return judgeToken(info, new Date(), this.config.TOKEN_EXPIRY_WARNING_DAYS);
    } catch (error) {
      if (!(error instanceof GraphApiError) || error.retryable || error.httpStatus === null) throw error;
      return { status: 'invalid', expiresAt: null, problem: `Meta refused to check the token: ${error.message}` };
    }
  }

  /**
   * Stores the verdict unless the token was rotated meanwhile (the verdict was about the old one;
   * the rotation made the new one due), and audits a change of status. The account as stored, or
   * null when the verdict was not stored.
   */
  private record(checked: WabaAccount, verdict: TokenVerdict): Promise<WabaAccount | null> {
    return this.dataSource.transaction(async (manager) => {
      const account = await manager.findOne(WabaAccount, {
        where: { id: checked.id, orgId: checked.orgId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!account || account.accessTokenEncrypted !== checked.accessTokenEncrypted) return null;
      const before = account.tokenStatus;
      const saved = await manager.save(
        Object.assign(account, {
          tokenStatus: verdict.status,
          tokenExpiresAt: verdict.expiresAt,
          tokenProblem: verdict.problem,
          tokenCheckedAt: new Date(),
          tokenCheckDueAt: new Date(Date.now() + this.config.TOKEN_HEALTH_CHECK_EVERY_MS),
        }),
      );
      if (before === verdict.status) return saved;
      await this.audit.record(manager, {
        orgId: account.orgId,
        action: 'waba_account.token_checked',
        targetType: 'waba_account',
        targetId: account.id,
        changes: {
          before: { tokenStatus: before },
          after: { tokenStatus: verdict.status, problem: verdict.problem, expiresAt: verdict.expiresAt },
        },
      });
      return saved;
    });
  }

  /** A check that could not reach Meta is tried again within the hour, not a day later. */
  private async postpone(accountId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE waba_accounts SET token_check_due_at = now() + ($2 || ' milliseconds')::interval WHERE id = $1`,
      [accountId, Math.min(RETRY_AFTER_MS, this.config.TOKEN_HEALTH_CHECK_EVERY_MS)],
    );
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
