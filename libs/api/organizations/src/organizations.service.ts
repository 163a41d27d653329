import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { diff, AuditService } from '@parley/api/audit';
import {
  DomainError,
  ErrorCode,
  isUuid,
  mapPage,
  Page,
  PageQuery,
  pageByCreatedAt,
  Role,
  roleAtLeast,
  tenant,
} from '@parley/api/core';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { UpdateOrganizationDto } from './dto/organization.dto';
import { Membership } from './entities/membership.entity';
import { Organization } from './entities/organization.entity';
import { businessHoursProblems, isTimeZone } from './business-hours';
import { conflictingKeywords, optInSettingsOf } from './opt-in-settings';

/** Organizations and their memberships. The last owner of an org can be neither removed nor demoted. */
@Injectable()
export class OrganizationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Organization) private readonly orgs: Repository<Organization>,
    @InjectRepository(Membership) private readonly memberships: Repository<Membership>,
    private readonly audit: AuditService,
  ) {}

  /** The role `userId` holds in `orgId`, or null when not a member: what the access guard asks. */
  async roleOf(orgId: string, userId: string): Promise<Role | null> {
    // Raw SQL: this runs on every org-scoped request, and the query builder costs more than the query.
    const rows: { role: Role }[] = await this.dataSource.query(
      'SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2',
      [orgId, userId],
    );
    return rows[0]?.role ?? null;
  }

  create(userId: string, name: string): Promise<Organization> {
    return this.dataSource.transaction(async (manager) => {
      const org = await manager.save(manager.create(Organization, { name }));
      await manager.insert(Membership, { orgId: org.id, userId, role: 'owner' });
      await this.audit.record(manager, {
        orgId: org.id,
        action: 'org.created',
        targetType: 'org',
        targetId: org.id,
        changes: { after: { name } },
      });
      return org;
    });
  }

  /** The orgs `userId` belongs to, oldest membership first, each with the user's role. */
  async listForUser(userId: string, query: PageQuery): Promise<Page<{ org: Organization; role: Role }>> {
    const qb = this.memberships
      .createQueryBuilder('membership')
      .innerJoinAndSelect('membership.org', 'org')
      .where('membership.userId = :userId', { userId });
    // The inner join above guarantees `org` on every row.
    return mapPage(await pageByCreatedAt(qb, query, 'ASC'), (m) => ({ org: m.org as Organization, role: m.role }));
  }

  async get(orgId: string): Promise<Organization> {
    const org = await this.orgs.findOneBy({ id: orgId });
    if (!org) throw DomainError.notFound('Organization');
    return org;
  }

  /** Name and opt-in keyword settings; a word can't both opt out and opt in (built-in words included). */
  update(orgId: string, input: UpdateOrganizationDto): Promise<Organization> {
    return this.dataSource.transaction(async (manager) => {
      const org = await this.lockOrg(manager, orgId);
      const next = { ...org, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
      if (input.timezone !== undefined && !isTimeZone(input.timezone))
        throw DomainError.invalidField(
          ErrorCode.ValidationFailed,
          'timezone',
          'timezone must be an IANA time zone, such as Europe/Lisbon',
        );
      if (
        input.messageRetentionDays !== undefined &&
        input.messageRetentionDays !== org.messageRetentionDays &&
        !roleAtLeast(tenant().role, 'owner')
      )
        throw DomainError.invalidField(
          ErrorCode.InsufficientRole,
          'messageRetentionDays',
          'Only an owner can change how long messages are kept',
        );
      const hoursProblems = input.businessHours ? businessHoursProblems(input.businessHours) : [];
      if (hoursProblems.length > 0)
        throw new DomainError(ErrorCode.ValidationFailed, hoursProblems[0]?.message ?? '', hoursProblems);
      const both = conflictingKeywords(optInSettingsOf(next));
      if (both.length > 0) {
        throw DomainError.invalidField(
          ErrorCode.ValidationFailed,
          'optInKeywords',
          `${both.join(', ')} would both opt out and opt in`,
        );
      }
      const fields = [
        'name',
        'optOutKeywords',
        'optInKeywords',
        'optOutReply',
        'optInReply',
        'timezone',
        'businessHours',
        'messageRetentionDays',
      ] as const;
      const before = Object.fromEntries(fields.map((field) => [field, JSON.stringify(org[field])]));
      const after = Object.fromEntries(fields.map((field) => [field, JSON.stringify(next[field])]));
      const changed = fields.filter((field) => before[field] !== after[field]);
      if (changed.length === 0) return org;
      const saved = await manager.save(Object.assign(org, next));
      await this.audit.record(manager, {
        orgId,
        action: 'org.updated',
        targetType: 'org',
        targetId: orgId,
        changes: {
          before: Object.fromEntries(changed.map((field) => [field, JSON.parse(before[field] ?? 'null')])),
          after: Object.fromEntries(changed.map((field) => [field, JSON.parse(after[field] ?? 'null')])),
        },
      });
      return saved;
    });
  }

  /** Deletes the org and, by cascade, everything it owns. Its audit trail stays. */
  delete(orgId: string): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      const org = await this.lockOrg(manager, orgId);
      await this.audit.record(manager, {
        orgId,
        action: 'org.deleted',
        targetType: 'org',
        targetId: orgId,
        changes: { before: { name: org.name } },
      });
      await manager.delete(Organization, { id: orgId });
    });
  }

  listMembers(orgId: string, query: PageQuery): Promise<Page<Membership>> {
    const qb = this.memberships
      .createQueryBuilder('membership')
      .innerJoinAndSelect('membership.user', 'user')
      .where('membership.orgId = :orgId', { orgId });
    return pageByCreatedAt(qb, query, 'ASC');
  }

  async changeRole(orgId: string, userId: string, role: Role): Promise<Membership> {
    return this.dataSource.transaction(async (manager) => {
      await this.lockOrg(manager, orgId);
      const membership = await this.getMembership(manager, orgId, userId);
      this.assertMayManage(membership.role, role);
      if (membership.role === role) return membership;
      if (membership.role === 'owner') await this.assertAnotherOwner(manager, orgId, 'demoted');
      const changes = diff({ role: membership.role }, { role });
      membership.role = role;
      await manager.update(Membership, { id: membership.id }, { role });
      await this.audit.record(manager, {
        orgId,
        action: 'member.role_changed',
        targetType: 'member',
        targetId: userId,
        changes,
      });
      return membership;
    });
  }

  async removeMember(orgId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.lockOrg(manager, orgId);
      const membership = await this.getMembership(manager, orgId, userId);
      this.assertMayManage(membership.role);
      if (membership.role === 'owner') await this.assertAnotherOwner(manager, orgId, 'removed');
      await manager.delete(Membership, { id: membership.id });
      await this.audit.record(manager, {
        orgId,
        action: 'member.removed',
        targetType: 'member',
        targetId: userId,
        changes: { before: { role: membership.role } },
      });
    });
  }

  /** Adds a member inside the caller's transaction (invitation acceptance). */
  async addMember(manager: EntityManager, orgId: string, userId: string, role: Role): Promise<void> {
    const existing = await manager.findOne(Membership, { where: { orgId, userId } });
    if (existing) throw new DomainError(ErrorCode.AlreadyMember, 'You are already a member of this organization');
    await manager.insert(Membership, { orgId, userId, role });
  }

  /** Only owners may touch owners or make new ones. */
  private assertMayManage(currentRole: Role, newRole?: Role): void {
    const actingRole = tenant().role;
    if ((currentRole === 'owner' || newRole === 'owner') && !roleAtLeast(actingRole, 'owner')) {
      throw new DomainError(
        ErrorCode.InsufficientRole,
        'Only an owner can change or remove owners, or grant the owner role',
      );
    }
  }

  private async assertAnotherOwner(manager: EntityManager, orgId: string, verb: string): Promise<void> {
    const owners = await manager.count(Membership, { where: { orgId, role: 'owner' } });
    if (owners <= 1) {
      throw DomainError.invalidField(
        ErrorCode.LastOwner,
        'role',
        `The last owner of an organization cannot be ${verb}; make someone else owner first`,
      );
    }
  }

  private async getMembership(manager: EntityManager, orgId: string, userId: string): Promise<Membership> {
    const membership = isUuid(userId)
      ? await manager.findOne(Membership, { where: { orgId, userId }, relations: { user: true } })
      : null;
    if (!membership) throw DomainError.notFound('Member');
    return membership;
  }

  /** Serialises membership changes per org, so two owners can't demote each other at once. */
  private async lockOrg(manager: EntityManager, orgId: string): Promise<Organization> {
    const org = await manager.findOne(Organization, { where: { id: orgId }, lock: { mode: 'pessimistic_write' } });
    if (!org) throw DomainError.notFound('Organization');
    return org;
  }
}
