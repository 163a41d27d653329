import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import {
  AppConfig,
  clientIp,
  DomainError,
  ErrorCode,
  isUniqueViolation,
  randomToken,
  sha256Hex,
  userAgent,
} from '@parley/api/core';
import { User, UsersService } from '@parley/api/users';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { AuthResponseDto, TokensDto } from './dto/auth.dto';
import { AuthSession } from './entities/auth-session.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { AccessTokenClaims, AccessTokens } from './access-tokens';
import { LoginThrottle } from './login-throttle';
import { hashPassword, passwordProblem, verifyPassword } from './password';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(AuthSession) private readonly sessions: Repository<AuthSession>,
    private readonly users: UsersService,
    private readonly accessTokens: AccessTokens,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async signup(input: { email: string; password: string; name: string }): Promise<AuthResponseDto> {
    const problem = passwordProblem(input.password, input);
    if (problem) throw new DomainError(ErrorCode.ValidationFailed, problem.message, [problem]);
    if (await this.users.findByEmail(input.email)) throw this.emailTaken();
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const user = await this.users.create(manager, { email: input.email, name: input.name, passwordHash });
        const actor = { type: 'user' as const, id: user.id, label: user.email };
        await this.audit.record(manager, {
          orgId: null,
          action: 'user.signed_up',
          targetType: 'user',
          targetId: user.id,
          actor,
        });
        return this.startSession(manager, user);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw this.emailTaken();
      throw error;
    }
  }

  async login(input: { email: string; password: string }): Promise<AuthResponseDto> {
    const ip = clientIp();
    await this.throttle.attempt(input.email, ip);
    const user = await this.users.findWithPasswordHash(input.email);
    if (!(await verifyPassword(user?.passwordHash, input.password)) || !user) {
      throw new DomainError(ErrorCode.InvalidCredentials, 'Email or password is wrong');
    }
    await this.throttle.succeeded(input.email, ip);
    return this.dataSource.transaction(async (manager) => {
      const actor = { type: 'user' as const, id: user.id, label: user.email };
      await this.audit.record(manager, {
        orgId: null,
        action: 'user.logged_in',
        targetType: 'user',
        targetId: user.id,
        actor,
      });
      return this.startSession(manager, user);
    });
  }

  /**
   * Trades a refresh token for a new pair. A token works once: presenting a used one means it
   * leaked, so the whole session (every token rotated from the same sign-in) is revoked.
   */
  async refresh(refreshToken: string): Promise<TokensDto> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const token = await manager.findOne(RefreshToken, {
        where: { tokenHash: sha256Hex(refreshToken) },
        lock: { mode: 'pessimistic_write' },
      });
      const session =
        token && (await manager.findOne(AuthSession, { where: { id: token.sessionId }, relations: { user: true } }));
      if (!token || !session?.user || session.revokedAt) return { ok: false as const };
      if (token.usedAt) {
        await manager.update(
          AuthSession,
          { id: session.id },
          { revokedAt: new Date(), revokedReason: 'refresh_token_reuse' },
        );
        await this.audit.record(manager, {
          orgId: null,
          action: 'session.revoked_on_reuse',
          targetType: 'session',
          targetId: session.id,
          actor: { type: 'user', id: session.userId, label: session.user.email },
        });
        this.logger.warn(`refresh token reused: session ${session.id} of user ${session.userId} revoked`);
        return { ok: false as const };
      }
      if (token.expiresAt <= new Date() || session.expiresAt <= new Date()) return { ok: false as const };
      await manager.update(RefreshToken, { id: token.id }, { usedAt: new Date() });
      return { ok: true as const, tokens: await this.issueTokens(manager, session, session.user) };
    });
    if (!outcome.ok)
      throw new DomainError(
        ErrorCode.InvalidRefreshToken,
        'Refresh token is invalid, expired or already used; sign in again',
      );
    return outcome.tokens;
  }

  async logout(sessionId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.update(
        AuthSession,
        { id: sessionId, userId, revokedAt: IsNull() },
        { revokedAt: new Date(), revokedReason: 'logout' },
      );
      if (result.affected) {
        await this.audit.record(manager, {
          orgId: null,
          action: 'user.logged_out',
          targetType: 'session',
          targetId: sessionId,
        });
      }
    });
  }

  /** Whether an access token's session still stands (not logged out, not revoked for reuse). */
  async sessionActive(sessionId: string, userId: string): Promise<boolean> {
    // Raw SQL: this runs on every authenticated request, and the query builder costs more than the query.
    const rows: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM auth_sessions WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()',
      [sessionId, userId],
    );
    return rows.length > 0;
  }

  /** Housekeeping: drop sessions that ended (expired or revoked) before `olderThan`, with their tokens. */
  async purgeEndedSessions(olderThan: Date): Promise<number> {
    const result = await this.sessions
      .createQueryBuilder()
      .delete()
      .where('expires_at < :olderThan OR revoked_at < :olderThan', { olderThan })
      .execute();
    return result.affected ?? 0;
  }

  private async startSession(manager: EntityManager, user: User): Promise<AuthResponseDto> {
    const session = await manager.save(
      manager.create(AuthSession, {
        userId: user.id,
        userAgent: userAgent() ?? null,
        ip: clientIp() ?? null,
        expiresAt: this.refreshExpiry(),
      }),
    );
    const tokens = await this.issueTokens(manager, session, user);
    return { user: { id: user.id, email: user.email, name: user.name }, ...tokens };
  }

  private async issueTokens(manager: EntityManager, session: AuthSession, user: User): Promise<TokensDto> {
    const refreshToken = randomToken(32);
    const expiresAt = this.refreshExpiry();
    await manager.insert(RefreshToken, { sessionId: session.id, tokenHash: sha256Hex(refreshToken), expiresAt });
    await manager.update(AuthSession, { id: session.id }, { expiresAt });
    const claims: AccessTokenClaims = { sub: user.id, sid: session.id, email: user.email };
    const accessToken = this.accessTokens.sign(claims);
    return { accessToken, refreshToken, expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1_000);
  }

  private emailTaken(): DomainError {
    return DomainError.invalidField(ErrorCode.EmailTaken, 'email', 'An account with this email already exists');
  }
}
