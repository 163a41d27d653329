import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import {
  AppConfig,
  DomainError,
  ErrorCode,
  Mailer,
  OrgScopedRepository,
  Page,
  PageQuery,
  pageByCreatedAt,
  randomToken,
  Role,
  roleAtLeast,
  sha256Hex,
  tenant,
} from '@parley/api/core';
import { User, UsersService } from '@parley/api/users';
import { DataSource, IsNull, Repository } from 'typeorm';
import { Invitation } from './entities/invitation.entity';
import { Organization } from './entities/organization.entity';
import { OrganizationsService } from './organizations.service';

export interface CreatedInvitation {
  invitation: Invitation;
  token: string;
  inviteUrl: string;
}

@Injectable()
export class InvitationsService {
  private readonly logger = new Logger(InvitationsService.name);
  private readonly scoped: OrgScopedRepository<Invitation>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Invitation) private readonly invitations: Repository<Invitation>,
    private readonly organizations: OrganizationsService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly mailer: Mailer,
    private readonly config: AppConfig,
  ) {
    this.scoped = new OrgScopedRepository(invitations, 'Invitation');
  }

  /** Invites `email` with `role`, replacing any open invitation to the same address. */
  async create(orgId: string, inviter: User, email: string, role: Role): Promise<CreatedInvitation> {
    if (!roleAtLeast(tenant().role, role)) {
      throw new DomainError(ErrorCode.InsufficientRole, `Your role can't invite someone as ${role}`, [
        { field: 'role', message: `role must not be above your own (${tenant().role})` },
      ]);
    }
    const existingUser = await this.users.findByEmail(email);
    if (existingUser && (await this.organizations.roleOf(orgId, existingUser.id))) {
      throw DomainError.invalidField(
        ErrorCode.AlreadyMember,
        'email',
        `${email} is already a member of this organization`,
      );
    }
    const token = randomToken();
    const invitation = await this.dataSource.transaction(async (manager) => {
      // One invitation change at a time per org: two invites to one address can't both be open.
      await manager.findOne(Organization, { where: { id: orgId }, lock: { mode: 'pessimistic_write' } });
      await manager.update(
        Invitation,
        { orgId, email, acceptedAt: IsNull(), revokedAt: IsNull() },
        { revokedAt: new Date() },
      );
      const created = await manager.save(
        manager.create(Invitation, {
          orgId,
          email,
          role,
          tokenHash: sha256Hex(token),
          invitedById: inviter.id,
          expiresAt: new Date(Date.now() + this.config.INVITATION_TTL_HOURS * 3_600_000),
        }),
      );
      await this.audit.record(manager, {
        orgId,
        action: 'invitation.created',
        targetType: 'invitation',
        targetId: created.id,
        changes: { after: { email, role } },
      });
      return created;
    });
    const inviteUrl = `${this.config.CONSOLE_URL}/invitations/${token}`;
    const org = await this.organizations.get(orgId);
    await this.mailer
      .send({
        orgId,
        to: email,
        subject: `${inviter.name} invited you to ${org.name} on Parley`,
        text: `${inviter.name} invited you to join ${org.name} as ${role}.\n\nAccept: ${inviteUrl}\n\nThe link expires on ${invitation.expiresAt.toUTCString()}.`,
      })
      // The inviter also gets the link in the response, so a mail outage must not fail the invitation.
      .catch((error: unknown) => this.logger.warn(`could not queue invitation mail: ${String(error)}`));
    return { invitation, token, inviteUrl };
  }

  list(orgId: string, query: PageQuery): Promise<Page<Invitation>> {
    return pageByCreatedAt(this.scoped.query(orgId, 'invitation'), query);
  }

  async revoke(orgId: string, invitationId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const invitation = await this.scoped.in(manager).get(orgId, invitationId);
      if (invitation.status() !== 'pending') return;
      await manager.update(Invitation, { id: invitation.id }, { revokedAt: new Date() });
      await this.audit.record(manager, {
        orgId,
        action: 'invitation.revoked',
        targetType: 'invitation',
        targetId: invitation.id,
      });
    });
  }

  /** The invitation behind a token, for the accept page; 404 once used or revoked, 410 when expired. */
  async preview(token: string): Promise<{ invitation: Invitation; org: Organization }> {
    const invitation = await this.invitations.findOne({
      where: { tokenHash: sha256Hex(token) },
      relations: { org: true },
    });
    this.assertUsable(invitation);
    return { invitation, org: invitation.org as Organization };
  }

  /** Makes `user` a member with the invited role. One-time: a second accept is a 404. */
  async accept(token: string, user: User): Promise<{ org: Organization; role: Role }> {
    return this.dataSource.transaction(async (manager) => {
      const invitation = await manager.findOne(Invitation, {
        where: { tokenHash: sha256Hex(token) },
        lock: { mode: 'pessimistic_write' },
      });
      this.assertUsable(invitation);
      if (invitation.email !== user.email) {
        throw new DomainError(
          ErrorCode.InvitationEmailMismatch,
          'This invitation was sent to another email address; sign in with that address to accept it',
        );
      }
      await this.organizations.addMember(manager, invitation.orgId, user.id, invitation.role);
      await manager.update(Invitation, { id: invitation.id }, { acceptedAt: new Date(), acceptedById: user.id });
      await this.audit.record(manager, {
        orgId: invitation.orgId,
        action: 'member.joined',
        targetType: 'member',
        targetId: user.id,
        changes: { after: { role: invitation.role, invitationId: invitation.id } },
      });
      const org = await manager.findOneByOrFail(Organization, { id: invitation.orgId });
      return { org, role: invitation.role };
    });
  }

  /** Housekeeping: forget invitations that ended (accepted, revoked or expired) over 30 days ago. */
  async purgeEnded(olderThan: Date): Promise<number> {
    const result = await this.invitations
      .createQueryBuilder()
      .delete()
      .where('COALESCE(accepted_at, revoked_at, expires_at) < :olderThan', { olderThan })
      .execute();
    return result.affected ?? 0;
  }

  private assertUsable(invitation: Invitation | null): asserts invitation is Invitation {
    const status = invitation?.status();
    if (!invitation || status === 'accepted' || status === 'revoked') {
      throw DomainError.notFound('Invitation (or it was already used)');
    }
    if (status === 'expired')
      throw new DomainError(ErrorCode.InvitationExpired, 'This invitation has expired; ask for a new one');
  }
}
